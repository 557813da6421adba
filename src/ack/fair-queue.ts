/**
 * The bucket of calls that name no caller. One shared bucket, not one per call: unnamed callers
 * cannot be told apart, so they share one fair share rather than each taking a new one.
 */
export const ANONYMOUS_CALLER = 'anonymous';

/** Why a call was refused a place in the queue. */
export type QueueFullReason =
  /** The caller already has its most calls waiting. */
  | 'caller'
  /** The queue is full and the caller already has at least its share of it. */
  | 'total';

/** A call refused a place in the queue; no work was started for it. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';

  constructor(
    readonly caller: string,
    readonly reason: QueueFullReason,
  ) {
    super(reason === 'caller' ? 'Too many calls of this caller are waiting.' : 'Too many calls are waiting.');
  }
}

export interface FairQueueOptions {
  /** Calls running at once; changed later with `setLimit`. */
  limit: number;
  /** Calls waiting in all; 0 means none wait. */
  maxQueue: number;
  /** Calls waiting per caller; capped by `maxQueue`. */
  maxQueuePerCaller: number;
  /** Hears the queue becoming empty (no call waiting), e.g. to end a burst's log line. */
  onEmpty?: () => void;
  /** The monotonic clock that `pauseUntil` is read against. @default performance.now */
  now?: () => number;
}

interface Waiting {
  start: () => void;
  refuse: (error: QueueFullError) => void;
}

/**
 * A concurrency bound whose waiting room is shared fairly: at most `limit` calls run, and free
 * slots go round-robin across the callers that have calls waiting, first in first out within
 * one caller. A burst of one caller therefore delays another caller's call by at most one slot
 * per other waiting caller, instead of by the whole burst.
 *
 * Room is bounded twice: per caller (`maxQueuePerCaller`: beyond it that caller is refused at
 * once) and in all (`maxQueue`). When the whole queue is full, a caller with fewer calls waiting
 * than the busiest caller still gets in: the busiest caller's newest waiting call is refused in
 * its place, so no caller is shut out by others' bursts while they hold more than it.
 */
export class FairQueue {
  /** Waiting calls per caller; the Map's order is the round-robin order. */
  private readonly waiting = new Map<string, Waiting[]>();
  private waitingCount = 0;
  private running = 0;
  private currentLimit: number;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private resumeTimer: NodeJS.Timeout | undefined;
  private resumeAt = Number.NEGATIVE_INFINITY;
  private readonly maxQueue: number;
  private readonly maxQueuePerCaller: number;
  private readonly onEmpty: (() => void) | undefined;
  private readonly now: () => number;

  constructor(options: FairQueueOptions) {
    this.currentLimit = Math.max(1, Math.floor(options.limit));
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue));
    this.maxQueuePerCaller = Math.min(this.maxQueue, Math.max(0, Math.floor(options.maxQueuePerCaller)));
    this.onEmpty = options.onEmpty;
    this.now = options.now ?? (() => performance.now());
  }

  /** Calls running now. */
  get inFlight(): number {
    return this.running;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.waitingCount;
  }

  /** Calls allowed to run at once now. */
  get limit(): number {
    return this.currentLimit;
  }

  /** Waiting calls of one caller. */
  queuedFor(caller: string): number {
    return this.waiting.get(caller)?.length ?? 0;
  }

  /**
   * Runs `task` when a slot is free and it is the caller's turn; rejects with `QueueFullError`
   * when there is no room to wait. The task's own outcome is passed on.
   */
  run<T>(caller: string, task: () => Promise<T>): Promise<T> {
    // Nobody waits: a free slot is taken at once (waiting calls are never overtaken).
    if (this.waitingCount === 0 && this.canStart()) return this.start(task);
    return new Promise<T>((resolve, reject) => {
      this.admit(caller, {
        start: () => {
          this.start(task).then(resolve, reject);
        },
        refuse: reject,
      });
      this.drain();
    });
  }

  /** Changes how many calls may run at once (at least 1); running calls are never stopped. */
  setLimit(limit: number): void {
    this.currentLimit = Math.max(1, Math.floor(limit));
    this.drain();
  }

  /** Starts no call before `until` (on the `now` clock); running calls go on. */
  pauseUntil(until: number): void {
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.drain();
  }

  private canStart(): boolean {
    return this.running < this.currentLimit && this.now() >= this.pausedUntil;
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    this.running += 1;
    const settled = (async () => task())();
    return settled.finally(() => {
      this.running -= 1;
      this.drain();
    });
  }

  private admit(caller: string, call: Waiting): void {
    const own = this.waiting.get(caller) ?? [];
    if (own.length >= this.maxQueuePerCaller) {
      call.refuse(new QueueFullError(caller, 'caller'));
      return;
    }
    if (this.waitingCount >= this.maxQueue) {
      const busiest = this.busiestOtherThan(caller);
      // Only a caller holding at least two more places than this one gives one up: after the
      // swap it still holds at least as many, so two callers never take turns evicting each other.
      if (!busiest || busiest.calls.length < own.length + 2) {
        call.refuse(new QueueFullError(caller, 'total'));
        return;
      }
      const evicted = busiest.calls.pop()!;
      this.waitingCount -= 1;
      if (busiest.calls.length === 0) this.waiting.delete(busiest.caller);
      evicted.refuse(new QueueFullError(busiest.caller, 'total'));
    }
    own.push(call);
    this.waitingCount += 1;
    if (own.length === 1) this.waiting.set(caller, own);
  }

  private busiestOtherThan(caller: string): { caller: string; calls: Waiting[] } | undefined {
    let busiest: { caller: string; calls: Waiting[] } | undefined;
    for (const [other, calls] of this.waiting) {
      if (other !== caller && calls.length > (busiest?.calls.length ?? 0)) busiest = { caller: other, calls };
    }
    return busiest;
  }

  private drain(): void {
    while (this.waitingCount > 0 && this.running < this.currentLimit) {
      const wait = this.pausedUntil - this.now();
      if (wait > 0) {
        this.resumeLater(this.pausedUntil, wait);
        return;
      }
      const [caller, calls] = this.waiting.entries().next().value as [string, Waiting[]];
      const next = calls.shift()!;
      this.waitingCount -= 1;
      // To the back of the round: every other waiting caller gets a slot before this one again.
      this.waiting.delete(caller);
      if (calls.length > 0) this.waiting.set(caller, calls);
      if (this.waitingCount === 0) this.onEmpty?.();
      next.start();
    }
  }

  private resumeLater(at: number, ms: number): void {
    if (this.resumeTimer && this.resumeAt === at) return;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeAt = at;
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      this.drain();
    }, Math.ceil(ms));
    // A pause must never keep the process alive on its own.
    this.resumeTimer.unref();
  }
}
