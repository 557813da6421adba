/**
 * The soak's fault schedule: every period a fixed number of clusters (a quarter of them in the
 * soak) get an error fault and the rest stay healthy, now and then every answer slows down, and
 * the simulator's latency wanders in its normal range. Every change is logged with its time, so
 * each answer can later be judged against what its clusters were doing while it was being made.
 */
import type { AckSimulator, Fault } from '../../src/simulator/index.js';

/** The error faults the soak rotates ('malformed' and 'future' change data, not availability). */
export const ROTATED_FAULTS = [
  'throttled',
  'server-error',
  'unavailable',
  'non-json',
  'slow',
  'forbidden',
] as const satisfies readonly Fault[];

export interface FaultScheduleOptions {
  /** How long one set of faults stays. */
  periodMs: number;
  /** Clusters faulted at every moment of the fault phase (the others stay healthy). */
  faultedPerPeriod: number;
  /** Every n-th period is calm (no faults at all); 0: never. */
  calmEvery: number;
  /**
   * The settle margin: a fault "touches" an answer when its window overlaps
   * [start - settleMs, end]. For a while after a fault is lifted its cluster may still fail on
   * its own account (an upstream call made before the lift still shared, its breaker still open
   * until the cool-down's trial call): that is not collateral damage.
   */
  settleMs: number;
  /** Normal latency of the simulator, re-drawn every few hundred ms. */
  baseLatencyMs: readonly [number, number];
  /** Chance per period of a latency spike for every cluster. */
  spikeChance: number;
  spikeLatencyMs: readonly [number, number];
  spikeDurationMs: number;
  /** Which clusters, which faults, which spikes: a stream of its own, so a seed replays them. */
  random: () => number;
  /** The normal latency's draws (their count depends on timing). @default random */
  jitterRandom?: () => number;
}

interface Window {
  fault: Fault | 'spike';
  from: number;
  to: number;
}

/** How often the normal latency is re-drawn. */
const JITTER_EVERY_MS = 200;

export class FaultSchedule {
  private readonly windows = new Map<string, Window[]>();
  private readonly active = new Map<string, Window>();
  private readonly spikes: Window[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private spikeUntil = 0;
  private periodIndex = 0;
  /** `performance.now()` when the faults started: times in reports are relative to it. */
  origin = performance.now();
  /** Faults applied, by kind. */
  readonly applied: Record<string, number> = {};
  calmPeriods = 0;

  constructor(
    private readonly simulator: AckSimulator,
    private readonly clusterIds: readonly string[],
    private readonly options: FaultScheduleOptions,
  ) {}

  private between([low, high]: readonly [number, number], random = this.options.random): number {
    return Math.round(low + random() * (high - low));
  }

  private baseLatency(): number {
    return this.between(this.options.baseLatencyMs, this.options.jitterRandom ?? this.options.random);
  }

  /** Starts the latency jitter (before warm-up). */
  startJitter(): void {
    this.simulator.setOptions({ latencyMs: this.baseLatency() });
    this.timers.push(
      setInterval(() => {
        if (performance.now() < this.spikeUntil) return;
        this.simulator.setOptions({ latencyMs: this.baseLatency() });
      }, JITTER_EVERY_MS),
    );
  }

  /** Starts rotating faults (after warm-up). */
  startFaults(): void {
    this.origin = performance.now();
    this.rotate();
    this.timers.push(setInterval(() => this.rotate(), this.options.periodMs));
  }

  get periods(): number {
    return this.periodIndex;
  }

  get spikeCount(): number {
    return this.spikes.length;
  }

  private clearActive(now: number): void {
    for (const [clusterId, window] of this.active) {
      window.to = now;
      this.simulator.setFault(clusterId, undefined);
    }
    this.active.clear();
  }

  private rotate(): void {
    const now = performance.now();
    this.clearActive(now);
    this.periodIndex += 1;
    if (this.options.calmEvery > 0 && this.periodIndex % this.options.calmEvery === 0) {
      this.calmPeriods += 1;
      return;
    }
    const pool = [...this.clusterIds];
    const count = Math.min(this.options.faultedPerPeriod, pool.length - 1);
    for (let i = 0; i < count; i++) {
      const [clusterId] = pool.splice(Math.floor(this.options.random() * pool.length), 1);
      if (clusterId === undefined) break;
      const fault = ROTATED_FAULTS[Math.floor(this.options.random() * ROTATED_FAULTS.length)] ?? 'throttled';
      const window: Window = { fault, from: now, to: Number.POSITIVE_INFINITY };
      this.simulator.setFault(clusterId, fault);
      this.active.set(clusterId, window);
      const list = this.windows.get(clusterId) ?? [];
      list.push(window);
      this.windows.set(clusterId, list);
      this.applied[fault] = (this.applied[fault] ?? 0) + 1;
    }
    if (this.options.random() < this.options.spikeChance) {
      this.spikeUntil = now + this.options.spikeDurationMs;
      this.spikes.push({ fault: 'spike', from: now, to: this.spikeUntil });
      this.simulator.setOptions({ latencyMs: this.between(this.options.spikeLatencyMs) });
    }
  }

  private overlaps(window: Window, from: number, to: number): boolean {
    return window.from <= to && window.to >= from - this.options.settleMs;
  }

  /** Clusters with a fault right now. */
  get faultedNow(): number {
    return this.active.size;
  }

  /** The faults of `clusterId` that touch an answer made between `from` and `to`. */
  faultsDuring(clusterId: string, from: number, to: number): Fault[] {
    const out: Fault[] = [];
    for (const window of this.windows.get(clusterId) ?? []) {
      if (window.fault !== 'spike' && this.overlaps(window, from, to)) out.push(window.fault);
    }
    return out;
  }

  healthy(clusterId: string, from: number, to: number): boolean {
    return this.faultsDuring(clusterId, from, to).length === 0;
  }

  /**
   * What `clusterId` last went through before `at`, for the report of a collateral error:
   * `never faulted`, `slow until 3.1 s before` or `throttled since 1.2 s`.
   */
  lastFault(clusterId: string, at: number): string {
    const before = (this.windows.get(clusterId) ?? []).filter((window) => window.from <= at).at(-1);
    if (!before) return 'never faulted before';
    const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
    return before.to > at
      ? `${before.fault} since ${seconds(at - before.from)}`
      : `${before.fault} lifted ${seconds(at - before.to)} before`;
  }

  /** Whether a latency spike touches an answer made between `from` and `to`. */
  spikeDuring(from: number, to: number): boolean {
    return this.spikes.some((window) => this.overlaps(window, from, to));
  }

  /** Stops everything and leaves the simulator healthy at its normal latency. */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    this.clearActive(performance.now());
    this.simulator.setOptions({ latencyMs: this.baseLatency() });
  }
}
