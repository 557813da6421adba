/**
 * The signature nonces seen recently, to reject replays.
 *
 * A nonce needs remembering only while its request's `x-acs-date` is still acceptable: after
 * that the timestamp check rejects a replay anyway. Memory is bounded: past `maxEntries` the
 * oldest nonces are forgotten first (which re-opens replay for those within the window; a
 * simulator trades that for a fixed ceiling under benchmark load).
 */

/** @default 100_000 nonces (a few MB). */
export const DEFAULT_MAX_REMEMBERED_NONCES = 100_000;

export class NonceCache {
  /** nonce -> the instant (epoch ms) after which it may be forgotten; insertion-ordered. */
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxEntries: number = DEFAULT_MAX_REMEMBERED_NONCES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  get size(): number {
    return this.expiries.size;
  }

  /**
   * Records `nonce` until `forgetAfterMs`. Returns false when it is already known (a replay).
   */
  remember(nonce: string, forgetAfterMs: number, nowMs: number): boolean {
    const known = this.expiries.get(nonce);
    if (known !== undefined && known >= nowMs) return false;
    if (known !== undefined) this.expiries.delete(nonce);
    this.evictExpired(nowMs);
    while (this.expiries.size >= this.maxEntries) {
      const oldest = this.expiries.keys().next();
      if (oldest.done) break;
      this.expiries.delete(oldest.value);
    }
    this.expiries.set(nonce, forgetAfterMs);
    return true;
  }

  clear(): void {
    this.expiries.clear();
  }

  /** Drops expired entries from the front; insertion order is close to expiry order. */
  private evictExpired(nowMs: number): void {
    for (const [nonce, expiry] of this.expiries) {
      if (expiry >= nowMs) break;
      this.expiries.delete(nonce);
    }
  }
}
