import { LRUCache } from 'lru-cache';

/** How long an upstream answer is served from memory. */
export const DEFAULT_CACHE_TTL_MS = 30_000;
/** How many upstream answers are kept at most (ACK's default quota is 50 clusters per account). */
export const DEFAULT_CACHE_MAX_ENTRIES = 5_000;

export interface AckCacheOptions {
  /** @default DEFAULT_CACHE_TTL_MS; 0 disables caching (in-flight calls are still shared). */
  ttlMs?: number;
  /** @default DEFAULT_CACHE_MAX_ENTRIES */
  maxEntries?: number;
}

type Load = () => Promise<object>;

/**
 * The process-wide cache below the per-request loaders. Within the TTL a repeated question costs
 * no upstream call; concurrent misses for one key share one in-flight call; a failed call is not
 * cached, so the next question asks again. Keys are built by the caller from the client's
 * identity (endpoint and credentials), the operation and its arguments.
 */
export class AckCache {
  private readonly lru: LRUCache<string, object, Load>;
  private readonly inFlight = new Map<string, Promise<object>>();
  private readonly ttlMs: number;

  constructor(options: AckCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.lru = new LRUCache<string, object, Load>({
      max: options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES,
      ttl: this.ttlMs > 0 ? this.ttlMs : undefined,
      // TTL checks read a clock per get; a coarse clock is enough at millisecond TTLs.
      ttlResolution: 1,
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  }

  /** The cached answer for `key`, or the result of `load()`, shared by concurrent callers. */
  get<V extends object>(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return this.shareInFlight(key, load);
    return this.lru.fetch(key, { context: load }) as Promise<V>;
  }

  /** Drops every entry (tests, and operators rotating credentials). */
  clear(): void {
    this.lru.clear();
  }

  private shareInFlight<V extends object>(key: string, load: () => Promise<V>): Promise<V> {
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<V>;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}
