export interface AdaptiveLimitOptions {
  /** The most calls allowed at once, and where the limit starts. */
  max: number;
  /** The pause after a throttled answer without retry-after; it doubles per throttle in a row. */
  baseDelayMs: number;
  /** The longest pause, retry-after included. */
  maxDelayMs: number;
  /** @default performance.now */
  now?: () => number;
}

/**
 * How hard an endpoint may be asked, learnt from its throttling (AIMD, as TCP learns a link):
 * a throttled answer halves the calls allowed at once and pauses new calls until ACK's
 * retry-after (or a doubling backoff without one); every answer within the quota adds one back,
 * up to `max`. Throttling is about the account's quota, not about one cluster or caller: every
 * caller slows down, nobody is cut off.
 *
 * A burst sent under one limit often comes back throttled many times over; halving once per
 * throttle would drop the limit to 1 for one event. So each call notes the `epoch` it was sent
 * in, and only answers to calls sent under the current limit change it.
 */
export class AdaptiveLimit {
  private currentLimit: number;
  private currentEpoch = 0;
  private pauseEnd = Number.NEGATIVE_INFINITY;
  private throttlesInARow = 0;
  private readonly max: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => number;

  constructor(options: AdaptiveLimitOptions) {
    this.max = Math.max(1, Math.floor(options.max));
    this.currentLimit = this.max;
    this.baseDelayMs = Math.max(0, options.baseDelayMs);
    this.maxDelayMs = Math.max(0, options.maxDelayMs);
    this.now = options.now ?? (() => performance.now());
  }

  /** Calls allowed at once now. */
  get limit(): number {
    return this.currentLimit;
  }

  /** Changes each time the limit drops; a call remembers it when it is sent. */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** No new call should start before this time (on the `now` clock). */
  get pausedUntil(): number {
    return this.pauseEnd;
  }

  /** An answer within the quota, to a call sent in `epoch`. */
  onSuccess(epoch: number): void {
    this.throttlesInARow = 0;
    if (epoch === this.currentEpoch && this.currentLimit < this.max) this.currentLimit += 1;
  }

  /** A throttled answer to a call sent in `epoch`, with ACK's retry-after when it sent one. */
  onThrottle(epoch: number, retryAfterMs?: number): void {
    if (epoch === this.currentEpoch) {
      this.currentLimit = Math.max(1, Math.floor(this.currentLimit / 2));
      this.currentEpoch += 1;
      this.throttlesInARow += 1;
    }
    const wait =
      retryAfterMs !== undefined && retryAfterMs > 0
        ? retryAfterMs
        : this.baseDelayMs * 2 ** (Math.max(1, this.throttlesInARow) - 1);
    this.pauseEnd = Math.max(this.pauseEnd, this.now() + Math.min(wait, this.maxDelayMs));
  }
}
