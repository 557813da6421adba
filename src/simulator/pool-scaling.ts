/**
 * Scale events: a node pool goes to `scaling`, its node counts walk from the current total to
 * the desired size in a few timed steps, then it is `active` again. Each step replaces the
 * pool in the response store, so every DescribeClusterNodePools (and node pool detail) answer
 * shows the step it was made at; the generated fixture itself is never changed.
 *
 * The counts stay consistent at every step (total = serving + initial + failed + removing,
 * healthy = serving - offline): at the start only the state and the desired size change; from
 * the first step on, the pool's nodes are all serving and healthy (a scale replaces failed
 * nodes too), `total_nodes` = `serving_nodes` = `healthy_nodes` = the step's count.
 */
import type { ResponseStore } from './response-store.js';
import { formatMillis } from './timestamps.js';
import type { WireNodePool, WireNodePoolCondition } from './wire-types.js';

/** How long one step takes. @default 1 s */
export const DEFAULT_SCALE_STEP_MS = 1000;
/** Steps of a scale (fewer when fewer nodes change; at least one). @default 3 */
export const DEFAULT_SCALE_STEPS = 3;
export const MAX_SCALE_STEPS = 20;
/** The largest desired size the simulator accepts (ACK's own per-pool ceiling is of this order). */
export const MAX_SCALE_NODES = 1000;
/** The longest step the admin API and the text forms accept. */
export const MAX_SCALE_STEP_MS = 60_000;

export interface ScaleOptions {
  /** @default the simulator's scaleStepMs (DEFAULT_SCALE_STEP_MS) */
  stepMs?: number;
  /** @default DEFAULT_SCALE_STEPS */
  steps?: number;
}

/** A running scale, as GET /_simulator/state shows it. */
export interface ScaleProgress {
  from: number;
  to: number;
  /** Steps done so far: 0 right after the start, `steps` never (the pool is active then). */
  step: number;
  steps: number;
  stepMs: number;
}

/** The totals a scale passes through, one per step; the last is `to`. */
export function scalePlan(from: number, to: number, steps: number = DEFAULT_SCALE_STEPS): number[] {
  const count = Math.max(1, Math.min(steps, Math.abs(to - from)));
  return Array.from({ length: count }, (_, k) => from + Math.round(((to - from) * (k + 1)) / count));
}

function readyCondition(
  conditions: readonly WireNodePoolCondition[],
  state: 'scaling' | 'active',
  atMs: number,
): WireNodePoolCondition[] {
  const ready: WireNodePoolCondition =
    state === 'active'
      ? {
          type: 'Ready',
          status: 'True',
          reason: 'NodePoolActive',
          message: '',
          last_transition_time: formatMillis(atMs),
        }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'NodePoolScaling',
          message: 'node pool is scaling',
          last_transition_time: formatMillis(atMs),
        };
  const others = conditions.filter((condition) => condition.type !== 'Ready');
  return [ready, ...others];
}

/** The pool as a scale to `to` starts: state `scaling`, the new desired size, counts as they were. */
export function scalingStarted(pool: WireNodePool, to: number, atMs: number): WireNodePool {
  return {
    ...pool,
    nodepool_info: { ...pool.nodepool_info, updated: formatMillis(atMs) },
    status: {
      ...pool.status,
      state: 'scaling',
      conditions: readyCondition(pool.status.conditions, 'scaling', atMs),
    },
    scaling_group: { ...pool.scaling_group, desired_size: to },
  };
}

/** The pool after a step: `total` nodes, all serving and healthy; `active` on the last step. */
export function scalingStep(pool: WireNodePool, total: number, last: boolean, atMs: number): WireNodePool {
  const state = last ? 'active' : 'scaling';
  return {
    ...pool,
    status: {
      ...pool.status,
      state,
      healthy_nodes: total,
      initial_nodes: 0,
      failed_nodes: 0,
      offline_nodes: 0,
      removing_nodes: 0,
      serving_nodes: total,
      total_nodes: total,
      spot_nodes: Math.min(pool.status.spot_nodes, total),
      conditions: last ? readyCondition(pool.status.conditions, state, atMs) : pool.status.conditions,
    },
  };
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface ScaleJob {
  readonly plan: readonly number[];
  readonly progress: ScaleProgress;
  timer: NodeJS.Timeout | undefined;
  readonly waiters: Waiter[];
}

/** Runs the scale events of one simulator; {@link stop} ends them all (on close). */
export class PoolScaler {
  private readonly jobs = new Map<string, ScaleJob>();
  private stopped: Error | undefined;

  constructor(
    private readonly store: ResponseStore,
    private readonly now: () => number,
  ) {}

  /**
   * Starts scaling pool `poolIndex` of `clusterId` to `to` (a scale already running there is
   * superseded: the new one starts from the current count, and its waiters wait for the new
   * one). `waiter` learns when the pool is active again, or that the simulator closed first.
   */
  start(
    clusterId: string,
    poolIndex: number,
    to: number,
    options: Required<ScaleOptions>,
    waiter?: Waiter,
  ): ScaleProgress {
    if (this.stopped) throw this.stopped;
    const pool = this.store.currentNodePools(clusterId)?.[poolIndex];
    if (!pool) throw new RangeError(`no node pool ${poolIndex} in cluster ${clusterId}`);
    const key = `${clusterId}\u0000${poolIndex}`;
    const previous = this.jobs.get(key);
    if (previous) clearTimeout(previous.timer);
    const from = pool.status.total_nodes;
    const plan = scalePlan(from, to, options.steps);
    const job: ScaleJob = {
      plan,
      progress: { from, to, step: 0, steps: plan.length, stepMs: options.stepMs },
      timer: undefined,
      waiters: [...(previous?.waiters ?? []), ...(waiter ? [waiter] : [])],
    };
    this.jobs.set(key, job);
    this.store.replaceNodePool(clusterId, poolIndex, scalingStarted(pool, to, this.now()));

    const advance = () => {
      job.timer = undefined;
      const step = job.progress.step;
      const current = this.store.currentNodePools(clusterId)?.[poolIndex];
      const total = job.plan[step];
      if (!current || total === undefined) return;
      const last = step === job.plan.length - 1;
      this.store.replaceNodePool(clusterId, poolIndex, scalingStep(current, total, last, this.now()));
      job.progress.step = step + 1;
      if (last) {
        this.jobs.delete(key);
        for (const w of job.waiters) w.resolve();
        return;
      }
      job.timer = setTimeout(advance, job.progress.stepMs);
    };
    job.timer = setTimeout(advance, job.progress.stepMs);
    return { ...job.progress };
  }

  progress(clusterId: string, poolIndex: number): ScaleProgress | undefined {
    const job = this.jobs.get(`${clusterId}\u0000${poolIndex}`);
    return job ? { ...job.progress } : undefined;
  }

  /** Ends every running scale where it is; their waiters get `reason`. Later starts throw it. */
  stop(reason: Error): void {
    this.stopped = reason;
    for (const job of this.jobs.values()) {
      clearTimeout(job.timer);
      for (const w of job.waiters) w.reject(reason);
    }
    this.jobs.clear();
  }
}
