import { describe, expect, it } from 'vitest';
import { type CachedAnswer, ResponseCache } from '../../src/http/response-cache.js';

const answer = (bytes: number, freshForMs = 10_000): CachedAnswer => ({
  status: 200,
  headers: [['content-type', 'application/json']],
  body: Buffer.alloc(bytes, 'x'),
  freshUntil: Date.now() + freshForMs,
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ResponseCache', () => {
  it('keys are fixed-size digests whatever the size of the parts', () => {
    const small = ResponseCache.key(['scope', '/graphql', '{}']);
    const large = ResponseCache.key(['scope', '/graphql', 'x'.repeat(100_000)]);
    expect(small).toHaveLength(43);
    expect(large).toHaveLength(43);
    // Parts are delimited: moving a character from one part to the next is another key.
    expect(ResponseCache.key(['ab', 'c'])).not.toBe(ResponseCache.key(['a', 'bc']));
  });

  it('admits an answer on its second request, or when a second caller joins the first', async () => {
    const cache = new ResponseCache({ ttlMs: 10_000 });
    await cache.run('a', async () => answer(10)).answer;
    expect(cache.get('a')).toBeUndefined();
    await cache.run('a', async () => answer(10)).answer;
    expect(cache.get('a')).toBeDefined();
    let release: (value: CachedAnswer) => void = () => {};
    const first = cache.run('b', () => new Promise<CachedAnswer>((resolve) => (release = resolve)));
    const joined = cache.run('b', async () => answer(1));
    expect(joined.joined).toBe(true);
    release(answer(10));
    await first.answer;
    expect(cache.get('b')).toBeDefined();
  });

  it("keeps an executed answer's text as its UTF-8 bytes, counted in bytes, in memory of their own", async () => {
    const cache = new ResponseCache({ ttlMs: 10_000 });
    const text = JSON.stringify({ data: { name: '名前'.repeat(100) } });
    for (let i = 0; i < 2; i++) await cache.run('a', async () => ({ ...answer(0), body: text })).answer;
    const kept = cache.get('a')?.body;
    expect(Buffer.isBuffer(kept)).toBe(true);
    expect(kept?.toString('utf8')).toBe(text);
    // Not a slice of Node's shared pool, which a kept answer would hold whole.
    expect((kept as Buffer).buffer.byteLength).toBe(Buffer.byteLength(text));
    expect(cache.stats().bytes).toBeGreaterThanOrEqual(Buffer.byteLength(text));
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length);
  });

  it('encodes a shared answer once: joiners get its bytes, the caller that executed keeps its text', async () => {
    const cache = new ResponseCache({ ttlMs: 10_000 });
    const text = JSON.stringify({ data: { ok: true } });
    const flight = cache.begin('a');
    const joined = cache.join('a');
    const executed = { ...answer(0), body: text };
    flight.settle(executed);
    const shared = await joined;
    expect(executed.body).toBe(text);
    expect(Buffer.isBuffer(shared?.body)).toBe(true);
    // The bytes kept for replays are the very ones the joiner wrote.
    expect(cache.get('a')?.body).toBe(shared?.body);
  });

  it('counts bodies, headers and per-entry overhead against maxBytes', async () => {
    const cache = new ResponseCache({ ttlMs: 10_000, maxBytes: 3_000 });
    for (const key of ['a', 'b', 'c']) {
      await cache.run(key, async () => answer(1_000)).answer;
      await cache.run(key, async () => answer(1_000)).answer;
    }
    const { entries, bytes } = cache.stats();
    expect(entries).toBe(2);
    expect(bytes).toBeLessThanOrEqual(3_000);
    expect(cache.get('a')).toBeUndefined();
  });

  it('never keeps an answer past its freshness, and sweeps expired entries on later writes', async () => {
    const cache = new ResponseCache({ ttlMs: 10_000 });
    for (let round = 0; round < 2; round++) await cache.run('short', async () => answer(10, 50)).answer;
    expect(cache.get('short')).toBeDefined();
    await sleep(1_100);
    expect(cache.get('short')).toBeUndefined();
    for (let round = 0; round < 2; round++) await cache.run('next', async () => answer(10)).answer;
    expect(cache.stats().entries).toBe(1);
  });

  it('keeps nothing it was told not to (freshUntil 0), and bounds the questions it remembers', async () => {
    const cache = new ResponseCache({ ttlMs: 10_000, admissionKeys: 10 });
    for (let round = 0; round < 2; round++)
      await cache.run('x', async () => ({ ...answer(10), freshUntil: 0 })).answer;
    expect(cache.get('x')).toBeUndefined();
    for (let i = 0; i < 100; i++) await cache.run(`k${i}`, async () => answer(1)).answer;
    expect(cache.stats().admissionKeys).toBe(10);
  });

  it('refreshes a kept answer once in the background, however often it is asked for', async () => {
    const cache = new ResponseCache({ ttlMs: 1_000, refreshAheadRatio: 0.5 });
    for (let round = 0; round < 2; round++) await cache.run('hot', async () => answer(10, 300)).answer;
    const hit = cache.get('hot');
    expect(hit && cache.dueForRefresh(hit)).toBe(true);
    let refreshes = 0;
    const refresh = async () => {
      refreshes += 1;
      await sleep(20);
      return answer(10);
    };
    for (let i = 0; i < 10; i++) cache.refresh('hot', refresh);
    await sleep(50);
    expect(refreshes).toBe(1);
    expect(cache.get('hot') && cache.dueForRefresh(cache.get('hot') as CachedAnswer)).toBe(false);
  });

  it('hands the answer of a flight to its joiners, and its failure, once, whatever comes after', async () => {
    const cache = new ResponseCache({ ttlMs: 10_000 });
    expect(cache.join('q')).toBeUndefined();
    const flight = cache.begin('q');
    const joiners = [cache.join('q'), cache.join('q')];
    // One promise for every joiner, made when the first joined.
    expect(joiners[0]).toBe(joiners[1]);
    const settled = answer(10);
    flight.settle(settled);
    flight.fail(new Error('too late'));
    await expect(joiners[0]).resolves.toBe(settled);
    // Joined: asked twice, so kept; and no longer in flight.
    expect(cache.get('q')).toBe(settled);
    expect(cache.join('q')).toBeUndefined();

    const failing = cache.begin('f');
    const joiner = cache.join('f');
    failing.fail(new Error('upstream down'));
    failing.settle(answer(10));
    await expect(joiner).rejects.toThrow('upstream down');
    expect(cache.get('f')).toBeUndefined();
    expect(cache.join('f')).toBeUndefined();
  });

  it('a flight nobody joined settles without a promise, and keeps only an answer asked for twice', async () => {
    const cache = new ResponseCache({ ttlMs: 10_000 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      cache.begin('once').settle(answer(10));
      expect(cache.get('once')).toBeUndefined();
      cache.begin('once').settle(answer(10));
      expect(cache.get('once')).toBeDefined();
      cache.begin('lonely').fail(new Error('nobody waits'));
      // A joiner that hung up before the failure leaves a rejected promise nobody awaits.
      const flight = cache.begin('gone');
      cache.join('gone');
      flight.fail(new Error('everyone hung up'));
      await sleep(10);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
