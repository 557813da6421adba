import { LRUCache } from 'lru-cache';

/**
 * Circuit breakers for ACK calls: one per cluster and one for the endpoint (composed in
 * resilience.ts). Hand-written rather than cockatiel's: cockatiel's half-open circuit makes
 * every other call wait for the trial, it cannot be asked "would you refuse?" without running
 * a call (a call refused before it queues must not wait for a slot first), and it knows only
 * success and failure, where a throttled or refused attempt says nothing about a cluster.
 */

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What one attempt says about the thing a breaker guards. */
export type BreakerVerdict = 'success' | 'failure' | 'neutral';

/**
 * A breaker's leave for one attempt: `pass` while closed, `trial` for the one attempt a
 * half-open breaker lets through. Hand it back to `record`.
 */
export type BreakerPermit = 'pass' | 'trial';

export interface BreakerOptions {
  /** Fewest judged attempts (successes and failures) within the window before it may open. */
  minAttempts: number;
  /** Share of failures among the judged attempts in the window that opens it. */
  failureRatio: number;
  windowMs: number;
  /** How long it stays open before one trial attempt may pass. */
  cooldownMs: number;
}

/** Buckets of a breaker's sliding window: memory per breaker stays small and fixed. */
const WINDOW_BUCKETS = 10;

/** Successes and failures over a sliding window, kept in a few time buckets. */
class WindowCounts {
  private readonly starts = new Array<number>(WINDOW_BUCKETS).fill(Number.NEGATIVE_INFINITY);
  private readonly successes = new Array<number>(WINDOW_BUCKETS).fill(0);
  private readonly failures = new Array<number>(WINDOW_BUCKETS).fill(0);
  private readonly bucketMs: number;

  constructor(private readonly windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / WINDOW_BUCKETS);
  }

  add(now: number, failed: boolean): void {
    const slot = Math.floor(now / this.bucketMs);
    const index = slot % WINDOW_BUCKETS;
    const start = slot * this.bucketMs;
    if (this.starts[index] !== start) {
      this.starts[index] = start;
      this.successes[index] = 0;
      this.failures[index] = 0;
    }
    if (failed) this.failures[index]! += 1;
    else this.successes[index]! += 1;
  }

  totals(now: number): { successes: number; failures: number } {
    let successes = 0;
    let failures = 0;
    for (let index = 0; index < WINDOW_BUCKETS; index++) {
      if (this.starts[index]! + this.bucketMs > now - this.windowMs) {
        successes += this.successes[index]!;
        failures += this.failures[index]!;
      }
    }
    return { successes, failures };
  }

  clear(): void {
    this.starts.fill(Number.NEGATIVE_INFINITY);
  }
}

/**
 * Closed, it counts what attempts said over a sliding window and opens when at least
 * `minAttempts` were judged and `failureRatio` of them failed. Open, it refuses every attempt
 * until `cooldownMs` has passed; then it is half-open and lets one trial attempt through, which
 * closes it (success) or opens it again (failure). A neutral trial frees the place for another.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private openedAt = Number.NEGATIVE_INFINITY;
  private trialRunning = false;
  private readonly counts: WindowCounts;

  constructor(
    private readonly options: BreakerOptions,
    private readonly onChange?: (state: BreakerState, from: BreakerState, reason?: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.counts = new WindowCounts(options.windowMs);
  }

  /** The state now: an open breaker past its cool-down reads as half-open. */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) return 'half-open';
    return this.current;
  }

  /** Whether an attempt would be let through now; claims nothing. */
  allows(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && !this.trialRunning);
  }

  /** Leave for one attempt, or undefined when it is refused. */
  acquire(): BreakerPermit | undefined {
    const state = this.state;
    if (state === 'closed') return 'pass';
    if (state === 'open' || this.trialRunning) return undefined;
    if (this.current === 'open') this.change('half-open');
    this.trialRunning = true;
    return 'trial';
  }

  /**
   * What an attempt said. Without a permit (an attempt that was let past the breaker, such as
   * a health probe) it only counts while closed, like a `pass`.
   */
  record(permit: BreakerPermit | undefined, verdict: BreakerVerdict): void {
    if (permit === 'trial') {
      this.trialRunning = false;
      if (verdict === 'success') this.close();
      else if (verdict === 'failure') this.trip();
      return;
    }
    // Attempts let through before the breaker opened say nothing about its trial.
    if (this.current !== 'closed' || verdict === 'neutral') return;
    const now = this.now();
    this.counts.add(now, verdict === 'failure');
    if (verdict !== 'failure') return;
    const { successes, failures } = this.counts.totals(now);
    const judged = successes + failures;
    if (judged >= this.options.minAttempts && failures / judged >= this.options.failureRatio) this.trip();
  }

  /** Opens it now; `reason` says why, when it was judged elsewhere (many clusters failing at once). */
  trip(reason?: string): void {
    this.openedAt = this.now();
    this.counts.clear();
    this.change('open', reason);
  }

  private close(): void {
    this.counts.clear();
    this.change('closed');
  }

  private change(state: BreakerState, reason?: string): void {
    const from = this.current;
    this.current = state;
    if (from !== state) this.onChange?.(state, from, reason);
  }
}

/** A cluster's leave for one attempt: the breaker it came from, if the cluster had one. */
export interface ClusterPermit {
  clusterId: string;
  breaker?: CircuitBreaker;
  permit: BreakerPermit;
}

/**
 * One breaker per cluster, so one cluster's failures never refuse another's calls. Bounded
 * (least recently used go first): a dropped breaker is simply a closed one. A breaker is made at
 * a cluster's first failure, not at its first call, so a stream of healthy clusters never
 * pushes failing clusters' open breakers out.
 */
export class ClusterBreakers {
  private readonly breakers: LRUCache<string, CircuitBreaker>;

  constructor(
    private readonly options: BreakerOptions,
    maxBreakers: number,
    private readonly onChange?: (clusterId: string, state: BreakerState, from: BreakerState) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.breakers = new LRUCache({ max: Math.max(1, Math.floor(maxBreakers)) });
  }

  /** Whether an attempt for the cluster would be let through now; claims nothing. */
  allows(clusterId: string): boolean {
    return this.breakers.peek(clusterId)?.allows() ?? true;
  }

  acquire(clusterId: string): ClusterPermit | undefined {
    const breaker = this.breakers.get(clusterId);
    if (!breaker) return { clusterId, permit: 'pass' };
    const permit = breaker.acquire();
    return permit ? { clusterId, breaker, permit } : undefined;
  }

  record(leave: ClusterPermit, verdict: BreakerVerdict): void {
    if (leave.breaker) {
      leave.breaker.record(leave.permit, verdict);
      return;
    }
    if (verdict !== 'failure') return;
    let breaker = this.breakers.get(leave.clusterId);
    if (!breaker) {
      const { clusterId } = leave;
      breaker = new CircuitBreaker(
        this.options,
        this.onChange && ((state, from) => this.onChange?.(clusterId, state, from)),
        this.now,
      );
      this.breakers.set(clusterId, breaker);
    }
    breaker.record('pass', verdict);
  }

  /** The cluster's breaker state; closed when it has none. */
  state(clusterId: string): BreakerState {
    return this.breakers.peek(clusterId)?.state ?? 'closed';
  }

  /** Clusters whose breaker is open or half-open now. */
  openCount(): number {
    let open = 0;
    for (const breaker of this.breakers.values()) if (breaker.state !== 'closed') open += 1;
    return open;
  }
}

/**
 * Distinct clusters that failed since ACK last answered anything, within a window: many of them
 * with no answer in between says the endpoint, not the clusters, is unwell. Holds at most
 * `threshold` clusters: it only needs to know whether that many failed.
 */
export class FailureSpread {
  /** Cluster id -> when it last failed; in order of that time. */
  private readonly failed = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    /** How many distinct failing clusters are enough to tell. */
    readonly threshold: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A cluster's call failed; returns how many distinct clusters failed in the window since. */
  failure(clusterId: string): number {
    const now = this.now();
    this.failed.delete(clusterId);
    this.failed.set(clusterId, now);
    for (const [id, at] of this.failed) {
      if (at > now - this.windowMs && this.failed.size <= this.threshold) break;
      this.failed.delete(id);
    }
    return this.failed.size;
  }

  /** ACK answered a call: whatever failed before says nothing against the endpoint. */
  answered(): void {
    this.failed.clear();
  }
}
