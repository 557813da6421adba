/**
 * What the soak saw: every answer's latency and verdict, counted for the final report.
 */
import { type CollateralError, errorKey, type GqlError, type Judge } from './probes.js';

export interface LostSample {
  kind: string;
  /** The variables as JSON, cut short. */
  variables: string;
  status: number;
  reasons: string[];
  body: string;
}

/** How many lost answers are shown in full. */
const LOST_SAMPLES = 5;
/** How many collateral errors are kept as examples. */
const COLLATERAL_SAMPLES = 5;
/** Characters of a lost sample's variables and body kept. */
const SAMPLE_VARIABLES_CHARS = 300;
const SAMPLE_BODY_CHARS = 600;

const add = (map: Map<string, number>, key: string, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

/** Ids and indexes out of a reason, so that equal failures count as one kind. */
const reasonKind = (reason: string): string =>
  reason
    .replace(/\b(c|np)[0-9a-f]{32}\b/g, '<id>')
    .replace(/\.\d+\b/g, '.<n>')
    .replace(/\[[^\]]*\]/g, '[..]')
    .slice(0, 160);

/** The median of a few values (undefined for none). */
export const median = (values: readonly number[]): number | undefined =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

export class Tally {
  requests = 0;
  lost = 0;
  collateral = 0;
  /** Answers that carried at least one collateral error. */
  answersWithCollateral = 0;
  faultedErrors = 0;
  faultedAnswered = 0;
  staleHealthy = 0;
  staleFaulted = 0;
  readonly lostReasons = new Map<string, number>();
  readonly lostSamples: LostSample[] = [];
  readonly collateralSamples: (CollateralError & { kind: string })[] = [];
  /** Clusters (slot ids) collateral errors were on. */
  readonly collateralByCluster = new Map<string, number>();
  readonly collateralByCode = new Map<string, number>();
  readonly collateralByKind = new Map<string, number>();
  readonly errorsByCode = new Map<string, number>();
  readonly byStatus = new Map<string, number>();
  readonly byKind = new Map<string, number[]>();
  readonly latencies: number[] = [];

  /** An answer that never became a GraphQL result (network, timeout, status, body). */
  failed(
    kind: string,
    variables: unknown,
    status: number,
    latencyMs: number,
    reason: string,
    body: string,
  ): void {
    this.count(kind, status, latencyMs);
    this.lose(kind, variables, status, [reason], body);
  }

  judged(
    kind: string,
    variables: unknown,
    status: number,
    latencyMs: number,
    judge: Judge,
    text: string,
  ): void {
    this.count(kind, status, latencyMs);
    for (const error of (judge.body.errors ?? []) as GqlError[]) add(this.errorsByCode, errorKey(error));
    if (judge.lost.length > 0) this.lose(kind, variables, status, judge.lost, text);
    if (judge.collateral.length > 0) this.answersWithCollateral += 1;
    this.collateral += judge.collateral.length;
    for (const error of judge.collateral) {
      add(this.collateralByCode, error.spike ? `${error.code} (latency spike)` : error.code);
      add(this.collateralByCluster, error.clusterId);
      if (this.collateralSamples.length < COLLATERAL_SAMPLES) this.collateralSamples.push({ ...error, kind });
    }
    if (judge.collateral.length > 0) add(this.collateralByKind, kind, judge.collateral.length);
    this.faultedErrors += judge.faultedErrors;
    this.faultedAnswered += judge.faultedAnswered;
    this.staleHealthy += judge.staleHealthy;
    this.staleFaulted += judge.staleFaulted;
  }

  private count(kind: string, status: number, latencyMs: number): void {
    this.requests += 1;
    this.latencies.push(latencyMs);
    add(this.byStatus, String(status));
    const list = this.byKind.get(kind) ?? [];
    list.push(latencyMs);
    this.byKind.set(kind, list);
  }

  private lose(kind: string, variables: unknown, status: number, reasons: string[], body: string): void {
    this.lost += 1;
    for (const reason of new Set(reasons.map(reasonKind))) add(this.lostReasons, `${kind}: ${reason}`);
    if (this.lostSamples.length < LOST_SAMPLES) {
      this.lostSamples.push({
        kind,
        variables: (JSON.stringify(variables) ?? '').slice(0, SAMPLE_VARIABLES_CHARS),
        status,
        reasons,
        body: body.slice(0, SAMPLE_BODY_CHARS),
      });
    }
  }
}

/** `a 3, b 2` from a count map, largest first, at most `limit` entries. */
export function topCounts(map: ReadonlyMap<string, number>, limit = 12): string {
  const entries = [...map].sort((a, b) => b[1] - a[1]);
  const shown = entries.slice(0, limit).map(([key, value]) => `${key} ${value}`);
  if (entries.length > limit) shown.push(`(+${entries.length - limit} more)`);
  return shown.join(', ') || 'none';
}
