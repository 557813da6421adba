import { LRUCache } from 'lru-cache';
import {
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_NOT_FOUND_TTL_MS,
  DEFAULT_STALE_GRACE_MS,
} from '../defaults.js';
import type { AckObserver } from './ack-observer.js';
import { AckError, type AckErrorKind, isRetryable } from './errors.js';

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
 */
export class AckCache {
  private readonly answers: LRUCache<string, Entry> | undefined;
  private readonly notFound: LRUCache<string, AckError> | undefined;
  private readonly inFlight = new Map<string, Promise<object>>();
  private readonly ttlMs: number;
  private readonly staleGraceMs: number;
  private readonly refreshAheadRatio: number;
  private readonly observer: AckObserver | undefined;

  constructor(options: AckCacheOptions = {}) {
    this.observer = options.observer;
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.staleGraceMs = Math.max(0, options.staleGraceMs ?? DEFAULT_STALE_GRACE_MS);
    this.refreshAheadRatio = options.refreshAheadRatio ?? DEFAULT_REFRESH_AHEAD_RATIO;
    const maxEntries = options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES;
    const notFoundTtlMs = options.notFoundTtlMs ?? DEFAULT_NOT_FOUND_TTL_MS;
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
      const age = performance.now() - entry.at;
      if (age < this.ttlMs) {
        // Stale-while-revalidate: a hot key near its expiry is refreshed in the background,
        // once, so steady polling never waits at the TTL boundary.
        if (age >= this.ttlMs * this.refreshAheadRatio && !this.inFlight.has(key)) {
          this.observer?.onCache?.('refresh_ahead');
          this.shareInFlight(key, () => this.refresh(key, load)).catch(() => {});
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
    return this.shareInFlight(key, () => this.refresh(key, load)).then((value) => {
      // Counted per answer a caller receives: a background refresh nobody waits for is none.
      if (stalenessOf(value)) this.observer?.onCache?.('stale_served');
      return value as MaybeStale<V>;
    });
  }

  /** Drops every entry (tests, and operators rotating credentials). */
  clear(): void {
    this.answers?.clear();
    this.notFound?.clear();
  }

  private async refresh(key: string, load: Load): Promise<object> {
    try {
      const value = await load();
      this.answers?.set(key, { value, at: performance.now() });
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
      const stale: AckStaleness = {
        ageMs: Math.round(ageMs),
        reason: error.message,
        kind: error.kind,
        ...(error.details.upstreamCode ? { upstreamCode: error.details.upstreamCode } : {}),
      };
      return { ...previous.value, stale };
    }
  }

  private shareInFlight(key: string, load: Load): Promise<object> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
