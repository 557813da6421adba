import { describe, expect, it } from 'vitest';
import { AckCache, type AckCacheOptions, freshUntilOf, stalenessOf } from '../../src/ack/ack-cache.js';
import type { AckCacheEvent } from '../../src/ack/ack-observer.js';
import { AckError } from '../../src/ack/errors.js';
import { INVALID_KEYS } from '../../src/ack/model/dsl.js';
import type { SharedTierEvent } from '../../src/ack/shared-tier.js';
import { MemoryTier } from '../helpers/memory-tier.js';

/**
 * The process-wide cache on its own, with an upstream stand-in. TTLs are short real times;
 * waits are lower bounds with margins, so a slow machine can only make entries older.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const UNAVAILABLE = () =>
  new AckError('UNAVAILABLE', 'ACK failed with HTTP 503.', {
    upstreamCode: 'ServiceUnavailable',
    retryable: true,
    scope: 'resource',
  });
const FORBIDDEN = () => new AckError('FORBIDDEN', 'ACK denied access to this resource.', { statusCode: 403 });
const NOT_FOUND = () => new AckError('NOT_FOUND', 'ACK answered ErrorClusterNotFound.');

/** A cache whose observer records every event, and an upstream whose next answer a test sets. */
function setup(options: Omit<AckCacheOptions, 'observer'> = {}) {
  const events: AckCacheEvent[] = [];
  const cache = new AckCache({ ...options, observer: { onCache: (event) => events.push(event) } });
  const upstream = {
    calls: 0,
    next: (): object | AckError => ({ version: upstream.calls }),
    load: async (): Promise<{ version?: number }> => {
      upstream.calls += 1;
      const answer = upstream.next();
      if (answer instanceof AckError) throw answer;
      return answer;
    },
  };
  const count = (event: AckCacheEvent) => events.filter((e) => e === event).length;
  return { cache, events, upstream, count };
}

describe('AckCache', () => {
  it('answers from memory within the TTL and asks again after it', async () => {
    const { cache, upstream, count } = setup({ ttlMs: 80 });
    expect(await cache.get('k', upstream.load)).toEqual({ version: 1 });
    const cached = await cache.get('k', upstream.load);
    expect(cached).toEqual({ version: 1 });
    expect(freshUntilOf(cached)).toBeGreaterThan(Date.now());
    await sleep(120);
    expect(await cache.get('k', upstream.load)).toEqual({ version: 2 });
    expect(upstream.calls).toBe(2);
    expect([count('miss'), count('hit')]).toEqual([2, 1]);
  });

  it('shares one in-flight call among concurrent misses of a key', async () => {
    const { cache, upstream, count } = setup();
    const answers = await Promise.all(Array.from({ length: 5 }, () => cache.get('k', upstream.load)));
    expect(new Set(answers).size).toBe(1);
    expect(upstream.calls).toBe(1);
    expect([count('miss'), count('shared')]).toEqual([1, 4]);
  });

  it('never caches a failure as a success', async () => {
    const { cache, upstream } = setup();
    upstream.next = UNAVAILABLE;
    await expect(cache.get('k', upstream.load)).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    upstream.next = () => ({ ok: true });
    expect(await cache.get('k', upstream.load)).toEqual({ ok: true });
    expect(upstream.calls).toBe(2);
  });

  it('serves the previous answer marked stale past the TTL while ACK fails, never past TTL + grace', async () => {
    const { cache, upstream, count } = setup({ ttlMs: 50, staleGraceMs: 200, refreshAheadRatio: 1 });
    await cache.get('k', upstream.load);
    await sleep(80);
    upstream.next = UNAVAILABLE;
    const stale = await cache.get('k', upstream.load);
    expect(stale).toMatchObject({ version: 1 });
    expect(stalenessOf(stale)).toEqual({
      ageMs: expect.any(Number),
      reason: 'ACK failed with HTTP 503.',
      kind: 'UNAVAILABLE',
      upstreamCode: 'ServiceUnavailable',
    });
    expect(stalenessOf(stale)?.ageMs).toBeGreaterThanOrEqual(50);
    expect(count('stale_served')).toBe(1);
    await sleep(220);
    await expect(cache.get('k', upstream.load)).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(count('stale_served')).toBe(1);
  });

  it('drops the answer on a 403: access withdrawn is never served again, fresh or stale', async () => {
    const { cache, upstream, count } = setup({ ttlMs: 50, staleGraceMs: 60_000, refreshAheadRatio: 1 });
    await cache.get('k', upstream.load);
    await sleep(80);
    upstream.next = FORBIDDEN;
    await expect(cache.get('k', upstream.load)).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    // ACK now fails transiently: without the drop, the old answer would stand in for it.
    upstream.next = UNAVAILABLE;
    await expect(cache.get('k', upstream.load)).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(count('stale_served')).toBe(0);
    expect(upstream.calls).toBe(3);
  });

  it('drops the answer on a 403 of a forced refresh, even within the TTL', async () => {
    const { cache, upstream, count } = setup({ ttlMs: 60_000 });
    await cache.get('k', upstream.load);
    upstream.next = FORBIDDEN;
    await expect(cache.get('k', upstream.load, { forceRefresh: true })).rejects.toMatchObject({
      kind: 'FORBIDDEN',
    });
    upstream.next = () => ({ version: 'new' });
    expect(await cache.get('k', upstream.load)).toEqual({ version: 'new' });
    expect(count('hit')).toBe(0);
  });

  it('counts stale_served only for answers a caller received, not for a background refresh', async () => {
    const { cache, upstream, count, events } = setup({ ttlMs: 100, refreshAheadRatio: 0.5 });
    await cache.get('k', upstream.load);
    await sleep(60);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    upstream.next = UNAVAILABLE;
    const failingLoad = async () => {
      await gate;
      return upstream.load();
    };
    // Past half the TTL: the hit answers fresh, and a refresh runs in the background.
    expect(await cache.get('k', failingLoad)).toEqual({ version: 1 });
    expect(events.slice(-2)).toEqual(['refresh_ahead', 'hit']);
    release();
    await sleep(10);
    expect(upstream.calls).toBe(2);
    // The refresh failed and its stale fallback reached nobody.
    expect(count('stale_served')).toBe(0);

    // A reader past the TTL whose refresh fails does receive a stale answer: counted.
    await sleep(60);
    const again = await cache.get('k', upstream.load);
    expect(stalenessOf(again)?.kind).toBe('UNAVAILABLE');
    expect(count('stale_served')).toBe(1);
  });

  it('remembers a not-found briefly, apart from the answers', async () => {
    const { cache, upstream, count } = setup({ notFoundTtlMs: 80 });
    upstream.next = NOT_FOUND;
    for (let i = 0; i < 3; i++) {
      await expect(cache.get('k', upstream.load)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    }
    expect(upstream.calls).toBe(1);
    expect(count('not_found_hit')).toBe(2);
    await sleep(120);
    upstream.next = () => ({ back: true });
    expect(await cache.get('k', upstream.load)).toEqual({ back: true });
    expect(upstream.calls).toBe(2);
  });
});

/**
 * Several caches over one shared tier behave like replicas over one Redis: the in-memory tier
 * (test/replicas/memory-tier.ts) keeps the contract `redis-tier.ts` keeps with a real Redis
 * (test/upstream/shared-tier-redis.test.ts), deterministically.
 */
describe('AckCache over a shared tier (replicas)', () => {
  function fleet(
    replicas: number,
    options: Omit<AckCacheOptions, 'observer' | 'shared'> & {
      leaseMs?: number;
      firstTierTtlMs?: number;
      maxValueBytes?: number;
    } = {},
  ) {
    const { leaseMs, firstTierTtlMs, maxValueBytes, ...cacheOptions } = options;
    const tier = new MemoryTier({ maxValueBytes });
    const shared: SharedTierEvent[] = [];
    const upstream = {
      calls: 0,
      latencyMs: 0,
      next: (): object | AckError => ({ version: upstream.calls }),
      load: async (): Promise<{ version?: number }> => {
        upstream.calls += 1;
        const answer = upstream.next();
        if (upstream.latencyMs > 0) await sleep(upstream.latencyMs);
        if (answer instanceof AckError) throw answer;
        return answer;
      },
    };
    const caches = Array.from(
      { length: replicas },
      () =>
        new AckCache({
          ...cacheOptions,
          shared: {
            tier,
            leaseMs: leaseMs ?? 1_000,
            firstTierTtlMs,
            observer: { onSharedTier: (event) => shared.push(event) },
          },
        }),
    );
    const count = (event: SharedTierEvent) => shared.filter((e) => e === event).length;
    return { tier, caches, upstream, shared, count };
  }
  const settle = () => sleep(5);

  it('concurrent misses on three replicas cost one upstream call; a fourth starts warm', async () => {
    const { caches, upstream, count, tier } = fleet(4);
    upstream.latencyMs = 30;
    const [a, b, c, d] = caches as [AckCache, AckCache, AckCache, AckCache];
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => [a, b, c][i % 3]?.get('k', upstream.load)),
    );
    expect(upstream.calls).toBe(1);
    expect(answers.every((answer) => answer?.version === 1)).toBe(true);
    expect([count('miss'), count('lease_wait')]).toEqual([1, 2]);
    await settle();
    const warm = await d.get('k', upstream.load);
    expect(warm).toEqual({ version: 1 });
    expect(upstream.calls).toBe(1);
    expect(count('hit')).toBe(1);
    // Fresh for the TTL from when the upstream answered, not from when this replica read it.
    expect(freshUntilOf(warm)).toBeLessThanOrEqual(Date.now() + 30_000);
    // One claim per replica, one more for each of the two waiters after the notice, one for D.
    expect(tier.calls.claim).toBe(6);
  });

  it("a replica never serves from memory past the shared answer's TTL", async () => {
    const { caches, upstream } = fleet(2, { ttlMs: 150, refreshAheadRatio: 1 });
    const [a, b] = caches as [AckCache, AckCache];
    await a.get('k', upstream.load);
    await settle();
    await sleep(90);
    // B reads the 90 ms old answer; it expires 60 ms later for B too.
    expect(await b.get('k', upstream.load)).toEqual({ version: 1 });
    await sleep(80);
    expect(await b.get('k', upstream.load)).toEqual({ version: 2 });
    expect(upstream.calls).toBe(2);
  });

  it('the first tier is short-lived: a refresh on one replica reaches the others within it', async () => {
    const { caches, upstream } = fleet(2, { firstTierTtlMs: 40 });
    const [a, b] = caches as [AckCache, AckCache];
    await a.get('k', upstream.load);
    await settle();
    expect(await b.get('k', upstream.load)).toEqual({ version: 1 });
    expect(await a.get('k', upstream.load, { forceRefresh: true })).toEqual({ version: 2 });
    await settle();
    expect(await b.get('k', upstream.load)).toEqual({ version: 1 });
    await sleep(60);
    expect(await b.get('k', upstream.load)).toEqual({ version: 2 });
    expect(upstream.calls).toBe(2);
  });

  it('refresh-ahead and forced refreshes follow the lease: once for the fleet', async () => {
    const { caches, upstream } = fleet(3, { ttlMs: 300, refreshAheadRatio: 0.5, firstTierTtlMs: 10_000 });
    await Promise.all(caches.map((cache) => cache.get('k', upstream.load)));
    await settle();
    expect(upstream.calls).toBe(1);
    await sleep(170);
    upstream.latencyMs = 20;
    // Every replica's hit near expiry refreshes in the background; one upstream call in all.
    await Promise.all(caches.map((cache) => cache.get('k', upstream.load)));
    await sleep(60);
    expect(upstream.calls).toBe(2);
    expect(await Promise.all(caches.map((cache) => cache.get('k', upstream.load)))).toEqual([
      { version: 2 },
      { version: 2 },
      { version: 2 },
    ]);
    // Forced refreshes (the response cache's) on every replica at once: one call too.
    await Promise.all(caches.map((cache) => cache.get('k', upstream.load, { forceRefresh: true })));
    expect(upstream.calls).toBe(3);
  });

  it('a holder that died delays the others by at most its lease', async () => {
    const { caches, upstream, tier, count } = fleet(1, { leaseMs: 150 });
    tier.abandonLease('k', 150);
    const started = performance.now();
    expect(await caches[0]?.get('k', upstream.load)).toEqual({ version: 1 });
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(120);
    expect(waited).toBeLessThan(400);
    expect([count('lease_wait'), count('lease_expired'), upstream.calls]).toEqual([1, 1, 1]);
  });

  it('a slow holder renews its lease: nobody else asks meanwhile', async () => {
    const { caches, upstream } = fleet(2, { leaseMs: 60 });
    upstream.latencyMs = 250;
    const [a, b] = caches as [AckCache, AckCache];
    const first = a.get('k', upstream.load);
    await sleep(10);
    const second = b.get('k', upstream.load);
    expect(await Promise.all([first, second])).toEqual([{ version: 1 }, { version: 1 }]);
    expect(upstream.calls).toBe(1);
  });

  it('a tier that is down or failing costs no answer: each replica asks directly', async () => {
    const { caches, upstream, tier, count } = fleet(2, { firstTierTtlMs: 10 });
    const [a, b] = caches as [AckCache, AckCache];
    tier.setUp(false);
    expect(await a.get('k', upstream.load)).toEqual({ version: 1 });
    expect(await b.get('k', upstream.load)).toEqual({ version: 2 });
    // While down, memory serves for the full TTL (the short first-tier window is for sharing).
    await sleep(30);
    expect(await a.get('k', upstream.load)).toEqual({ version: 1 });
    expect(tier.calls.claim).toBeUndefined();
    // Up, but every command fails (a full or slow Redis).
    tier.setUp(true);
    tier.failing = new Error('OOM command not allowed');
    expect(await a.get('other', upstream.load)).toEqual({ version: 3 });
    expect(count('fallback')).toBe(3);
    // Back: sharing resumes.
    tier.failing = undefined;
    expect(await a.get('third', upstream.load)).toEqual({ version: 4 });
    await settle();
    expect(await b.get('third', upstream.load)).toEqual({ version: 4 });
    expect(upstream.calls).toBe(4);
  });

  it('shares not-found answers, and drops the shared answer on a 403', async () => {
    const { caches, upstream } = fleet(3);
    const [a, b, c] = caches as [AckCache, AckCache, AckCache];
    upstream.next = NOT_FOUND;
    await expect(a.get('gone', upstream.load)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    await settle();
    await expect(b.get('gone', upstream.load)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    expect(upstream.calls).toBe(1);

    upstream.next = () => ({ secret: 'seen with access' });
    await a.get('k', upstream.load);
    await settle();
    upstream.next = FORBIDDEN;
    await expect(a.get('k', upstream.load, { forceRefresh: true })).rejects.toMatchObject({
      kind: 'FORBIDDEN',
    });
    await settle();
    // A replica that never saw it must ask, not read what was seen with the withdrawn access.
    await expect(c.get('k', upstream.load)).rejects.toMatchObject({ kind: 'FORBIDDEN' });
    expect(upstream.calls).toBe(4);
  });

  it("the holder's transient failure reaches the waiters, who serve the shared answer stale", async () => {
    const { caches, upstream } = fleet(2, { ttlMs: 60, staleGraceMs: 60_000, refreshAheadRatio: 1 });
    const [a, b] = caches as [AckCache, AckCache];
    await a.get('k', upstream.load);
    await settle();
    await sleep(80);
    upstream.next = UNAVAILABLE;
    upstream.latencyMs = 40;
    const [fromA, fromB] = await Promise.all([a.get('k', upstream.load), b.get('k', upstream.load)]);
    expect(upstream.calls).toBe(2);
    expect(fromA).toMatchObject({ version: 1 });
    // B never had it in memory: the shared tier's last answer stands in.
    expect(fromB).toMatchObject({ version: 1 });
    expect(stalenessOf(fromB)).toMatchObject({ kind: 'UNAVAILABLE', upstreamCode: 'ServiceUnavailable' });
    expect(stalenessOf(fromB)?.ageMs).toBeGreaterThanOrEqual(60);
  });

  it('keeps answers larger than the bound per replica, without making the others wait', async () => {
    const { caches, upstream, count } = fleet(2, { maxValueBytes: 64 });
    const [a, b] = caches as [AckCache, AckCache];
    upstream.next = () => ({ big: 'x'.repeat(200) });
    await a.get('k', upstream.load);
    await settle();
    await b.get('k', upstream.load);
    expect(upstream.calls).toBe(2);
    expect(count('not_shared')).toBe(2);
    expect(count('lease_wait')).toBe(0);
  });

  it('a replica reads back exactly what the other built, INVALID_KEYS included', async () => {
    const { caches, upstream } = fleet(2);
    const [a, b] = caches as [AckCache, AckCache];
    const pool = { id: 'np1', name: null, [INVALID_KEYS]: new Set(['name']) };
    upstream.next = () => ({ nodePools: [pool], requestId: undefined });
    await a.get('k', upstream.load);
    await settle();
    const read = (await b.get('k', upstream.load)) as unknown as { nodePools: (typeof pool)[] };
    expect(read.nodePools[0]?.[INVALID_KEYS]).toEqual(new Set(['name']));
    expect(Object.keys(read)).toEqual(['nodePools', 'requestId']);
    expect(upstream.calls).toBe(1);
  });
});
