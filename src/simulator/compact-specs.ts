/**
 * The compact text forms of the simulator's start-up faults and scale events: what an
 * environment variable holds (`SIMULATOR_FAULTS`, `SIMULATOR_SCALE_EVENTS`). Pure functions:
 * a string in, options for {@link createAckSimulator} out, or a {@link SimulatorSpecError}
 * naming every problem at once.
 *
 * ```
 * SIMULATOR_FAULTS="0=throttled,2=server-error,c0123abc=html-502"
 * SIMULATOR_SCALE_EVENTS="0/1=8@5s,0/1=2@30s,1/np0123abc=0@1m"
 * ```
 *
 * Clusters and pools are named by index in the generated list (`0` is the first) or by id.
 * Entries are comma-separated; spaces around them and empty entries are ignored.
 */
import { allowedFaultKinds, type Fault, faultFromText } from './faults.js';
import { MAX_SCALE_NODES } from './pool-scaling.js';

/** ACK's id alphabet (the gateway's too): 1 to 128 of letters, digits, `-`, `_`, not starting with `-`/`_`. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const INDEX = /^(0|[1-9]\d*)$/;
/** `1500`, `1500ms`, `5s`, `2m`. */
const DURATION = /^(\d+)(ms|s|m)?$/;
/** How far ahead a start-up event may be scheduled. */
export const MAX_EVENT_DELAY_MS = 24 * 60 * 60 * 1000;

/** Every problem of one text, each naming its entry. */
export class SimulatorSpecError extends Error {
  override readonly name = 'SimulatorSpecError';
  constructor(
    readonly variable: string,
    readonly problems: readonly string[],
  ) {
    super(`${variable}: ${problems.join('; ')}`);
  }
}

/** What the caller knows of the simulator to come, so indices can be checked up front. */
export interface SpecBounds {
  /** Cluster indices must be below it. */
  clusterCount?: number;
  /** Node pool indices must be below it (a single count for every cluster). */
  nodePoolsPerCluster?: number;
}

export interface ParseOptions extends SpecBounds {
  /** Names the text in error messages. @default 'SIMULATOR_FAULTS' / 'SIMULATOR_SCALE_EVENTS' */
  variable?: string;
}

/** A scale event scheduled at start (see {@link AckSimulator.scaleNodePool}). */
export interface SimulatorScaleEvent {
  /** Cluster id, or index in the generated list. */
  cluster: string | number;
  /** Node pool id, or index in the cluster's list. */
  nodePool: string | number;
  /** The desired size: total nodes once active again. */
  to: number;
  /** How long after `listen()` it starts. @default 0 */
  afterMs?: number;
  /** Overrides the simulator's scaleStepMs for this event. */
  stepMs?: number;
  /** Overrides DEFAULT_SCALE_STEPS for this event. */
  steps?: number;
}

function entries(text: string): { entry: string; position: number }[] {
  return text
    .split(',')
    .map((entry, index) => ({ entry: entry.trim(), position: index + 1 }))
    .filter(({ entry }) => entry !== '');
}

/** Checks a cluster or pool key; returns a problem or undefined. */
function keyProblem(key: string, what: string, count: number | undefined): string | undefined {
  if (key === '') return `no ${what} before the separator`;
  if (INDEX.test(key)) {
    if (count !== undefined && Number(key) >= count) {
      return `${what} index ${key} is out of range: there ${count === 1 ? 'is 1' : `are ${count}`} (${count === 0 ? 'none' : `0..${count - 1}`})`;
    }
    return undefined;
  }
  if (/^\d+$/.test(key)) return `${what} index ${key} has a leading zero`;
  if (!ID.test(key)) {
    return `${JSON.stringify(key)} is neither a ${what} index nor a ${what} id (letters, digits, - and _)`;
  }
  return undefined;
}

/**
 * `"0=throttled,2=server-error,c0123...=html-502"` -> `{ "0": "throttled", "2": "server-error",
 * "c0123...": "non-json" }`, the `faults` option of createAckSimulator (digit keys are indices).
 * The kinds are FAULT_KINDS plus the aliases of FAULT_ALIASES. An empty text is no faults.
 * @throws SimulatorSpecError listing every problem (unknown kinds with the allowed ones,
 * indices out of range, malformed entries, a cluster named twice)
 */
export function parseSimulatorFaults(text: string, options: ParseOptions = {}): Record<string, Fault> {
  const variable = options.variable ?? 'SIMULATOR_FAULTS';
  const faults: Record<string, Fault> = {};
  const problems: string[] = [];
  for (const { entry, position } of entries(text)) {
    const where = `entry ${position} (${JSON.stringify(entry)})`;
    const eq = entry.indexOf('=');
    if (eq === -1) {
      problems.push(`${where}: expected <cluster>=<fault>, e.g. 0=throttled`);
      continue;
    }
    const key = entry.slice(0, eq).trim();
    const kindText = entry.slice(eq + 1).trim();
    const problem = keyProblem(key, 'cluster', options.clusterCount);
    if (problem) problems.push(`${where}: ${problem}`);
    const fault = faultFromText(kindText);
    if (!fault) {
      problems.push(`${where}: unknown fault ${JSON.stringify(kindText)}; allowed: ${allowedFaultKinds()}`);
    }
    if (problem || !fault) continue;
    if (Object.hasOwn(faults, key)) {
      problems.push(`${where}: cluster ${key} is given twice`);
      continue;
    }
    faults[key] = fault;
  }
  if (problems.length > 0) throw new SimulatorSpecError(variable, problems);
  return faults;
}

/** `5s` -> 5000; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  return value * (unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1);
}

/**
 * `"0/1=8@5s,0/1=2@30s"` -> two scale events: 5 s after listen() cluster 0's pool 1 scales to
 * 8 nodes, at 30 s back to 2. Form: `<cluster>/<pool>=<to>[@<delay>]`, the delay in ms or
 * with a unit (`1500ms`, `5s`, `2m`; default 0). An empty text is no events.
 * @throws SimulatorSpecError listing every problem
 */
export function parseSimulatorScaleEvents(text: string, options: ParseOptions = {}): SimulatorScaleEvent[] {
  const variable = options.variable ?? 'SIMULATOR_SCALE_EVENTS';
  const events: SimulatorScaleEvent[] = [];
  const problems: string[] = [];
  for (const { entry, position } of entries(text)) {
    const where = `entry ${position} (${JSON.stringify(entry)})`;
    const match = /^([^/=@]*)\/([^/=@]*)=([^@]*)(?:@(.*))?$/.exec(entry);
    if (!match) {
      problems.push(`${where}: expected <cluster>/<pool>=<nodes>[@<delay>], e.g. 0/1=8@5s`);
      continue;
    }
    const [, clusterKey = '', poolKey = '', toText = '', delayText] = match.map((part) => part?.trim());
    const found: string[] = [];
    const clusterProblem = keyProblem(clusterKey, 'cluster', options.clusterCount);
    if (clusterProblem) found.push(clusterProblem);
    const poolProblem = keyProblem(poolKey, 'node pool', options.nodePoolsPerCluster);
    if (poolProblem) found.push(poolProblem);
    const to = /^\d+$/.test(toText) ? Number(toText) : Number.NaN;
    if (!(to >= 0 && to <= MAX_SCALE_NODES)) {
      found.push(`the size ${JSON.stringify(toText)} must be an integer from 0 to ${MAX_SCALE_NODES}`);
    }
    const afterMs = delayText === undefined ? 0 : parseDuration(delayText);
    if (afterMs === undefined || afterMs > MAX_EVENT_DELAY_MS) {
      found.push(
        `the delay ${JSON.stringify(delayText)} must be a duration up to 24h, e.g. 1500, 1500ms, 5s or 2m`,
      );
    }
    if (found.length > 0) {
      problems.push(...found.map((problem) => `${where}: ${problem}`));
      continue;
    }
    events.push({
      cluster: INDEX.test(clusterKey) ? Number(clusterKey) : clusterKey,
      nodePool: INDEX.test(poolKey) ? Number(poolKey) : poolKey,
      to,
      afterMs: afterMs ?? 0,
    });
  }
  if (problems.length > 0) throw new SimulatorSpecError(variable, problems);
  return events;
}
