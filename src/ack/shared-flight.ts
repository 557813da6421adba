import { AckError } from './errors.js';
import {
  decodeNotice,
  decodeRecord,
  encodeNotice,
  encodeRecord,
  type SharedRecord,
  UnshareableValue,
} from './shared-codec.js';
import type {
  SharedClaim,
  SharedLease,
  SharedSettlement,
  SharedTier,
  SharedTierEvent,
  SharedTierObserver,
} from './shared-tier.js';

export interface SharedFlightOptions {
  tier: SharedTier;
  ttlMs: number;
  staleGraceMs: number;
  notFoundTtlMs: number;
  leaseMs: number;
  /** Longest a read waits for other replicas' leases in all before asking ACK itself. */
  maxWaitMs: number;
  observer?: SharedTierObserver;
}

/** An answer and when ACK gave it (epoch ms). */
export interface Timed {
  value: object;
  at: number;
}

/**
 * How one key was resolved: an answer (from the tier or from `load`), or a failure (`load`'s, or
 * the lease holder's as it told us), with what may stand in for it: the last shared answer still
 * within TTL + grace, and for a not-found from the tier, until when it holds.
 */
export type Resolution =
  | ({ ok: true } & Timed)
  | { ok: false; error: unknown; previous?: Timed; notFoundUntil?: number };

/** Slack on top of a lease's remaining time before a waiter asks again. */
const LEASE_MARGIN_MS = 25;

/**
 * Cross-replica single-flight over a `SharedTier`: one replica asks ACK for a key, the others
 * wait for its notice and read its answer.
 *
 * A read first claims the key (one atomic step): a record young enough is the answer; else the
 * reader takes the lease, asks ACK, stores the answer with a TTL of `ttlMs + staleGraceMs` (a
 * not-found for `notFoundTtlMs`), releases the lease and notifies; or someone holds it, and the
 * reader waits for the notice, at most as long as the lease still runs, then claims again. The
 * holder renews its lease while its call runs, so a slow answer never lets a second call in,
 * while a holder that died stops renewing and delays the others by at most one lease. Any
 * failure of the tier (down, slow, full) makes the read ask ACK directly: the tier costs answers
 * nothing.
 */
export class SharedFlight {
  constructor(private readonly options: SharedFlightOptions) {}

  get tier(): SharedTier {
    return this.options.tier;
  }

  /** Whether the tier is in use now (else the first tier answers for the full TTL, as alone). */
  get up(): boolean {
    return this.options.tier.status().state === 'up';
  }

  /**
   * The answer for `key`: from the tier if one there is fresh (and, when `newerThan` is given,
   * later than that: a refresh wants a newer answer than the one it has), else from `load`
   * under the fleet-wide lease.
   */
  async resolve(key: string, load: () => Promise<object>, newerThan?: number): Promise<Resolution> {
    const { tier, ttlMs, leaseMs, maxWaitMs } = this.options;
    if (!this.up) {
      this.emit('fallback');
      return this.direct(load);
    }
    const waiter = tier.waiter(key);
    const deadline = Date.now() + maxWaitMs;
    let previous: SharedRecord | undefined;
    let waited = false;
    let leaseRanOut = false;
    try {
      for (;;) {
        const minAt = Math.max(Date.now() - ttlMs + 1, newerThan === undefined ? 0 : newerThan + 1);
        let claim: SharedClaim;
        try {
          claim = await tier.claim(key, leaseMs, minAt);
        } catch {
          this.emit('fallback');
          return this.direct(load, previous);
        }
        if (claim.kind === 'record') {
          const record = decodeRecord(claim.record);
          if (record?.kind === 'answer' || record?.kind === 'not_found') {
            if (!waited) this.emit('hit');
            return this.fromRecord(record);
          }
          // Too large to share, or unreadable: this replica asks for itself, without a lease.
          this.emit(record ? 'not_shared' : 'fallback');
          return this.direct(load, previous);
        }
        previous = decodeRecord(claim.previous) ?? previous;
        if (claim.kind === 'lease') {
          if (!waited) this.emit('miss');
          else if (leaseRanOut) this.emit('lease_expired');
          return await this.hold(claim.lease, load, previous);
        }
        if (!waited) this.emit('lease_wait');
        waited = true;
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          this.emit('fallback');
          return this.direct(load, previous);
        }
        const text = await waiter.next(Math.min(claim.heldForMs + LEASE_MARGIN_MS, remaining));
        if (text === undefined) {
          if (!this.up) {
            this.emit('fallback');
            return this.direct(load, previous);
          }
          // No notice within the lease: its holder is slow (it renewed) or gone; claim again.
          leaseRanOut = true;
          continue;
        }
        leaseRanOut = false;
        const notice = decodeNotice(text);
        if (notice.outcome === 'error') return { ok: false, error: notice.error, ...this.standIn(previous) };
        if (notice.outcome === 'not_shared') {
          this.emit('not_shared');
          return this.direct(load, previous);
        }
        // `stored` (the next claim finds it) or `failed` (the next claim may take the lease).
      }
    } finally {
      waiter.close();
    }
  }

  /** ACK asked by this replica for everyone: the answer is stored and the waiters told. */
  private async hold(
    lease: SharedLease,
    load: () => Promise<object>,
    previous: SharedRecord | undefined,
  ): Promise<Resolution> {
    const { tier, leaseMs } = this.options;
    const renewal = setInterval(() => {
      tier.renew(lease, leaseMs).catch(() => {});
    }, leaseMs / 3);
    renewal.unref();
    let resolution: Resolution;
    let settlement: SharedSettlement & { shared?: boolean };
    try {
      const value = await load();
      const at = Date.now();
      resolution = { ok: true, value, at };
      settlement = this.storing(value, at);
    } catch (error) {
      resolution = { ok: false, error, ...this.standIn(previous) };
      settlement = this.failing(error);
    } finally {
      clearInterval(renewal);
    }
    if (settlement.shared === false) this.emit('not_shared');
    // The caller has its answer now; the waiters hear about it a round trip later.
    tier.settle(lease, settlement).catch(() => {});
    return resolution;
  }

  private storing(value: object, at: number): SharedSettlement & { shared: boolean } {
    const { ttlMs, staleGraceMs, tier } = this.options;
    let record: string | undefined;
    try {
      record = encodeRecord({ kind: 'answer', at, value });
    } catch (error) {
      if (!(error instanceof UnshareableValue)) throw error;
    }
    if (record !== undefined && Buffer.byteLength(record) <= tier.maxValueBytes) {
      return {
        store: { record, at, ttlMs: ttlMs + staleGraceMs },
        notice: encodeNotice({ outcome: 'stored' }),
        shared: true,
      };
    }
    // Too large (or not plain data): a small marker, so the others ask for themselves at once.
    return {
      store: { record: encodeRecord({ kind: 'not_shared', at }), at, ttlMs },
      notice: encodeNotice({ outcome: 'not_shared' }),
      shared: false,
    };
  }

  private failing(error: unknown): SharedSettlement {
    if (!(error instanceof AckError)) return { notice: encodeNotice({ outcome: 'failed' }) };
    if (error.kind === 'NOT_FOUND' && this.options.notFoundTtlMs > 0) {
      const at = Date.now();
      return {
        store: {
          record: encodeRecord({ kind: 'not_found', at, error }),
          at,
          ttlMs: this.options.notFoundTtlMs,
        },
        notice: encodeNotice({ outcome: 'stored' }),
      };
    }
    // Access withdrawn: what was seen with it must not be served again, from any replica.
    if (error.kind === 'FORBIDDEN')
      return { store: 'delete', notice: encodeNotice({ outcome: 'error', error }) };
    return { notice: encodeNotice({ outcome: 'error', error }) };
  }

  private async direct(load: () => Promise<object>, previous?: SharedRecord): Promise<Resolution> {
    try {
      return { ok: true, value: await load(), at: Date.now() };
    } catch (error) {
      return { ok: false, error, ...this.standIn(previous) };
    }
  }

  private fromRecord(record: SharedRecord & { kind: 'answer' | 'not_found' }): Resolution {
    if (record.kind === 'answer') return { ok: true, value: record.value, at: record.at };
    return { ok: false, error: record.error, notFoundUntil: record.at + this.options.notFoundTtlMs };
  }

  /** The last shared answer, if still within TTL + grace: what stale-if-error may serve. */
  private standIn(previous: SharedRecord | undefined): { previous?: Timed } {
    const { ttlMs, staleGraceMs } = this.options;
    if (previous?.kind !== 'answer' || Date.now() - previous.at >= ttlMs + staleGraceMs) return {};
    return { previous: { value: previous.value, at: previous.at } };
  }

  private emit(event: SharedTierEvent): void {
    this.options.observer?.onSharedTier?.(event);
  }
}
