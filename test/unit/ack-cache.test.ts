import { describe, expect, it } from 'vitest';
import { AckCache, type AckCacheOptions, freshUntilOf, stalenessOf } from '../../src/ack/ack-cache.js';
import type { AckCacheEvent } from '../../src/ack/ack-observer.js';
import { AckError } from '../../src/ack/errors.js';

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
