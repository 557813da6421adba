import { LRUCache } from 'lru-cache';
import {
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_FIRST_TIER_TTL_MS,
  DEFAULT_NOT_FOUND_TTL_MS,
  DEFAULT_REDIS_LEASE_MS,
  DEFAULT_REQUEST_DEADLINE_MS,
  DEFAULT_STALE_GRACE_MS,
} from '../defaults.js';
import type { AckObserver } from './ack-observer.js';
import { AckError, type AckErrorKind, isRetryable } from './errors.js';
import { type Resolution, SharedFlight, type Timed } from './shared-flight.js';
import type { SharedTier, SharedTierObserver } from './shared-tier.js';

/** The tier the replicas share, under this cache (docs/replicas.md). */
export interface AckCacheSharedOptions {
  tier: SharedTier;
  /** How long a replica's lease on a key lasts while it asks ACK (renewed meanwhile). @default DEFAULT_REDIS_LEASE_MS */
  leaseMs?: number;
  /**
   * How long this process answers from its own memory before asking the shared tier again;
   * never past the answer's TTL, counted from when ACK gave it. @default DEFAULT_FIRST_TIER_TTL_MS
   */
  firstTierTtlMs?: number;
  /** Longest a read waits for other replicas' leases in all. @default DEFAULT_REQUEST_DEADLINE_MS */
  maxWaitMs?: number;
  /** Hears what the shared tier did for each read it saw. @default none */
  observer?: SharedTierObserver;
}

export interface AckCacheOptions {
  /** @default DEFAULT_CACHE_TTL_MS; 0 disables caching (in-flight calls are still shared). */
  ttlMs?: number;
  /** @default DEFAULT_CACHE_MAX_ENTRIES */
  maxEntries?: number;
  /**
   * Stale-if-error: when a refresh fails in a way that may pass (throttled, timeout,
   * unavailable, circuit open), an answer younger than `ttlMs + staleGraceMs` is served instead,
   * marked `stale`. 0 disables. @default DEFAULT_STALE_GRACE_MS
   */
  staleGraceMs?: number;
  /** How long a `NOT_FOUND` failure is answered from memory; 0 disables. @default DEFAULT_NOT_FOUND_TTL_MS */
  notFoundTtlMs?: number;
  /**
   * Past this fraction of the TTL, a read answers from memory and refreshes the entry in the
   * background (once); 1 disables. @default DEFAULT_REFRESH_AHEAD_RATIO
   */
  refreshAheadRatio?: number;
  /** Hears every read's hit, miss, shared call, not-found hit and stale answer. @default none */
  observer?: AckObserver;
  /**
   * A tier shared with the other replicas (Redis): answers, not-found markers and a fleet-wide
   * lease per key live there, and this cache becomes a short-lived first tier in front of it.
   * While the tier is down, the cache works alone, as without it. @default none
   */
  shared?: AckCacheSharedOptions;
}

/** Why and how old an answer served past its TTL is (stale-if-error). */
export interface AckStaleness {
  /** Time since ACK gave this answer, in milliseconds. */
  ageMs: number;
  /** What the failed refresh said (an `AckError` message: safe to show). */
  reason: string;
  /** The failed refresh's kind (`UNAVAILABLE`, `THROTTLED`, `TIMEOUT`, ...). */
  kind: AckErrorKind;
  /** ACK's code of the failed refresh, or `CircuitOpen` / `QueueFull`, when known. */
  upstreamCode?: string;
}

/**
 * A cached answer. `stale` is set only on answers served past their TTL because the refresh
 * failed; fresh answers never carry it.
 */
export type MaybeStale<V> = V & { readonly stale?: AckStaleness };

/** The staleness of an answer from `AckCache`/`AckApi`, or undefined when it is fresh. */
export const stalenessOf = (value: unknown): AckStaleness | undefined =>
  typeof value === 'object' && value !== null ? (value as { stale?: AckStaleness }).stale : undefined;

interface Entry {
  value: object;
  /** `performance.now()` when ACK answered. */
  at: number;
  /** `Date.now()` when ACK answered: comparable across replicas. */
  epochAt: number;
  /** `performance.now()` when this process last had it confirmed (loaded, or read from the shared tier). */
  checkedAt: number;
}

type Load = () => Promise<object>;

/** Fraction of the TTL after which a read also refreshes the entry in the background, once. */
export const DEFAULT_REFRESH_AHEAD_RATIO = 0.8;

/** How a read may use the cache. */
export interface AckCacheReadOptions {
  /** Ask ACK even if a fresh answer is cached (a background refresh of a cached response). */
  forceRefresh?: boolean;
  /**
   * Who asks (an id such as the principal's, never a secret), for the upstream queue's fair
   * shares; the cache itself ignores it: answers are shared by every caller.
   * @default the shared anonymous bucket
   */
  caller?: string;
}

/** When each answer stops being fresh (epoch ms), for caches built on top of this one. */
const freshUntil = new WeakMap<object, number>();

/** Until when (epoch ms) an answer from `AckCache` may be served as fresh; undefined when stale or unknown. */
export const freshUntilOf = (value: unknown): number | undefined =>
  typeof value === 'object' && value !== null ? freshUntil.get(value) : undefined;

/** Failures a recent answer may stand in for: ACK or the way to it failing, not ACK's "no". */
const servesStale = (error: unknown): error is AckError =>
  isRetryable(error) ||
  (error instanceof AckError &&
    (error.kind === 'UNAVAILABLE' || error.kind === 'THROTTLED' || error.kind === 'TIMEOUT'));

/**
 * The process-wide cache below the per-request loaders. Within the TTL a repeated question costs
 * no upstream call; concurrent misses for one key share one in-flight call; a failed call is not
 * cached as a success, so the next question asks again. Keys are built by the caller from the
 * client's identity (endpoint and credentials), the operation and its arguments.
 *
 * Entries are kept for `ttlMs + staleGraceMs`. Past `ttlMs` an entry is refreshed like a miss;
 * if that refresh fails transiently, the old answer is served with `stale` set. A forbidden
 * failure drops the key's answer: access withdrawn is never answered from memory. Not-found
 * failures are remembered for `notFoundTtlMs`, apart from the answers so they never evict them.
 * Values must be plain objects: a stale answer is a shallow copy with `stale` added.
 *
 * With a shared tier (`shared`), a miss here asks the tier before ACK, under a lease that makes
 * concurrent misses on all replicas cost one call (`SharedFlight`); an answer read from it is
 * kept here for `firstTierTtlMs` at most, and never past its TTL from when ACK gave it. While the
 * tier is down, this cache serves its entries for their full TTL and asks ACK directly.
 */
export class AckCache {
  private readonly answers: LRUCache<string, Entry> | undefined;
  private readonly notFound: LRUCache<string, AckError> | undefined;
  private readonly inFlight = new Map<string, Promise<object>>();
  private readonly ttlMs: number;
  private readonly staleGraceMs: number;
  private readonly refreshAheadRatio: number;
  private readonly observer: AckObserver | undefined;
  private readonly notFoundTtlMs: number;
  private readonly flight: SharedFlight | undefined;
  private readonly firstTierTtlMs: number;

  constructor(options: AckCacheOptions = {}) {
    this.observer = options.observer;
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.staleGraceMs = Math.max(0, options.staleGraceMs ?? DEFAULT_STALE_GRACE_MS);
    this.refreshAheadRatio = options.refreshAheadRatio ?? DEFAULT_REFRESH_AHEAD_RATIO;
    const maxEntries = options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
    const notFoundTtlMs = options.notFoundTtlMs ?? DEFAULT_NOT_FOUND_TTL_MS;
    this.notFoundTtlMs = notFoundTtlMs;
    const shared = options.shared;
    this.firstTierTtlMs = Math.min(shared?.firstTierTtlMs ?? DEFAULT_FIRST_TIER_TTL_MS, this.ttlMs);
    // Nothing to share without a TTL: every read asks ACK anyway.
    this.flight =
      shared && this.ttlMs > 0
        ? new SharedFlight({
            tier: shared.tier,
            ttlMs: this.ttlMs,
            staleGraceMs: this.staleGraceMs,
            notFoundTtlMs,
            leaseMs: shared.leaseMs ?? DEFAULT_REDIS_LEASE_MS,
            maxWaitMs: shared.maxWaitMs ?? DEFAULT_REQUEST_DEADLINE_MS,
            observer: shared.observer,
          })
        : undefined;
    if (this.ttlMs > 0) {
      // TTL checks read a clock per get; a coarse clock is enough at millisecond TTLs.
      this.answers = new LRUCache({ max: maxEntries, ttl: this.ttlMs + this.staleGraceMs, ttlResolution: 1 });
      if (notFoundTtlMs > 0) {
        this.notFound = new LRUCache({ max: maxEntries, ttl: notFoundTtlMs, ttlResolution: 1 });
      }
    }
  }

  /**
   * The cached answer for `key`, or the result of `load()`, shared by concurrent callers; past
   * the TTL, a transient failure of `load()` answers the previous value marked `stale`.
   */
  get<V extends object>(
    key: string,
    load: () => Promise<V>,
    options: AckCacheReadOptions = {},
  ): Promise<MaybeStale<V>> {
    const entry = options.forceRefresh ? undefined : this.answers?.get(key);
    if (entry) {
      const now = performance.now();
      const age = now - entry.at;
      if (age < this.ttlMs && this.firstTierServes(entry, now)) {
        // Stale-while-revalidate: a hot key near its expiry is refreshed in the background,
        // once, so steady polling never waits at the TTL boundary.
        if (age >= this.ttlMs * this.refreshAheadRatio && !this.inFlight.has(key)) {
          this.observer?.onCache?.('refresh_ahead');
          this.shareInFlight(key, () => this.refresh(key, load, true)).catch(() => {});
        }
        this.observer?.onCache?.('hit');
        return Promise.resolve(entry.value as V);
      }
    }
    const missing = this.notFound?.get(key);
    if (missing) {
      this.observer?.onCache?.('not_found_hit');
      return Promise.reject(missing);
    }
    this.observer?.onCache?.(this.inFlight.has(key) ? 'shared' : 'miss');
    return this.shareInFlight(key, () => this.refresh(key, load, options.forceRefresh === true)).then(
      (value) => {
        // Counted per answer a caller receives: a background refresh nobody waits for is none.
        if (stalenessOf(value)) this.observer?.onCache?.('stale_served');
        return value as MaybeStale<V>;
      },
    );
  }

  /**
   * Drops every entry of this process (tests, and operators rotating credentials); the shared
   * tier's expire by their TTL, and rotated credentials have keys of their own anyway.
   */
  clear(): void {
    this.answers?.clear();
    this.notFound?.clear();
  }

  /**
   * ACK reads in flight, each shared by whoever asks for its key meanwhile: a test that changes
   * a fault waits for none, or its next read may join one that started before the change.
   */
  get readsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * Whether an entry within its TTL may answer from this process's memory: always alone, and
   * with a shared tier for `firstTierTtlMs` since it was last confirmed, or while the tier is down.
   */
  private firstTierServes(entry: Entry, now: number): boolean {
    return !this.flight || now - entry.checkedAt < this.firstTierTtlMs || !this.flight.up;
  }

  /**
   * Asks for `key` (the shared tier first, when there is one). `newer`: this is a refresh of an
   * answer the caller has (refresh-ahead, a forced refresh), so only a later answer will do.
   */
  private refresh(key: string, load: Load, newer: boolean): Promise<object> {
    return this.flight ? this.refreshShared(this.flight, key, load, newer) : this.refreshAlone(key, load);
  }

  private async refreshAlone(key: string, load: Load): Promise<object> {
    try {
      const value = await load();
      const now = performance.now();
      this.answers?.set(key, { value, at: now, epochAt: Date.now(), checkedAt: now });
      freshUntil.set(value, Date.now() + this.ttlMs);
      this.notFound?.delete(key);
      return value;
    } catch (error) {
      if (error instanceof AckError && error.kind === 'NOT_FOUND') {
        // ACK's "no" is an answer: it replaces what was known, and is remembered briefly.
        this.answers?.delete(key);
        this.notFound?.set(key, error);
        throw error;
      }
      if (error instanceof AckError && error.kind === 'FORBIDDEN') {
        // Access was withdrawn: what was seen with it must not be served again, stale or not.
        this.answers?.delete(key);
        throw error;
      }
      if (!servesStale(error)) throw error;
      const previous = this.answers?.get(key);
      const ageMs = previous ? performance.now() - previous.at : Number.POSITIVE_INFINITY;
      // Never past TTL + grace, whatever the LRU's own clock says.
      if (!previous || ageMs >= this.ttlMs + this.staleGraceMs) throw error;
      return this.staleCopy(previous.value, ageMs, error);
    }
  }

  private async refreshShared(
    flight: SharedFlight,
    key: string,
    load: Load,
    newer: boolean,
  ): Promise<object> {
    const known = this.answers?.peek(key);
    const resolution = await flight.resolve(key, load, newer ? known?.epochAt : undefined);
    if (resolution.ok) {
      this.keep(key, resolution);
      return resolution.value;
    }
    return this.failShared(flight, key, resolution);
  }

  /** Keeps an answer (from the shared tier or ACK) with the age it has since ACK gave it. */
  private keep(key: string, { value, at }: Timed): void {
    const now = performance.now();
    const ageMs = Math.max(0, Date.now() - at);
    const keepMs = this.ttlMs + this.staleGraceMs - ageMs;
    if (keepMs > 0)
      this.answers?.set(key, { value, at: now - ageMs, epochAt: at, checkedAt: now }, { ttl: keepMs });
    freshUntil.set(value, at + this.ttlMs);
    this.notFound?.delete(key);
  }

  /** A failed shared resolution, handled as a failed load is alone (not-found, forbidden, stale-if-error). */
  private failShared(flight: SharedFlight, key: string, resolution: Resolution & { ok: false }): object {
    const { error } = resolution;
    if (error instanceof AckError && error.kind === 'NOT_FOUND') {
      this.answers?.delete(key);
      const remainingMs = Math.min(
        this.notFoundTtlMs,
        (resolution.notFoundUntil ?? Date.now() + this.notFoundTtlMs) - Date.now(),
      );
      if (remainingMs > 0) this.notFound?.set(key, error, { ttl: remainingMs });
      throw error;
    }
    if (error instanceof AckError && error.kind === 'FORBIDDEN') {
      this.answers?.delete(key);
      // The holder dropped the shared answer already; a direct call (tier skipped) drops it here.
      if (flight.up) flight.tier.drop(key).catch(() => {});
      throw error;
    }
    if (!servesStale(error)) throw error;
    // The newer of this process's last answer and the shared tier's last one.
    const local = this.answers?.get(key);
    const localAgeMs = local ? performance.now() - local.at : Number.POSITIVE_INFINITY;
    const sharedAgeMs = resolution.previous ? Date.now() - resolution.previous.at : Number.POSITIVE_INFINITY;
    const [value, ageMs] =
      local && localAgeMs <= sharedAgeMs
        ? [local.value, localAgeMs]
        : [resolution.previous?.value, sharedAgeMs];
    if (!value || ageMs >= this.ttlMs + this.staleGraceMs) throw error;
    return this.staleCopy(value, ageMs, error);
  }

  private staleCopy(value: object, ageMs: number, error: AckError): object {
    const stale: AckStaleness = {
      ageMs: Math.round(ageMs),
      reason: error.message,
      kind: error.kind,
      ...(error.details.upstreamCode ? { upstreamCode: error.details.upstreamCode } : {}),
    };
    return { ...value, stale };
  }

  private shareInFlight(key: string, load: Load): Promise<object> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
