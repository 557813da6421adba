import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTier, redisTarget } from '../../src/ack/redis-tier.js';
import type { SharedLease } from '../../src/ack/shared-tier.js';
import { createLogger } from '../../src/logger.js';
import { hasRedisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';

/**
 * The Redis shared tier against a real `redis-server` of the test's own (Debian's package, which
 * `.ci/run` installs): the lease protocol, what lands in Redis (hashed keys, a TTL on every
 * write), ACL users and TLS-free URLs with a password, and the down/up states when Redis dies,
 * stalls or fills up.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { logger, lines };
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * `holder` settles its lease with a stored answer; a waiter of `listener` on `key`, there before
 * the settlement, must hear the notice within `ms`. Returns the answer's time.
 */
async function storeAndHear(
  holder: RedisTier,
  lease: SharedLease,
  listener: RedisTier,
  key: string,
  ms: number,
): Promise<number> {
  const waiter = listener.waiter(key);
  const at = Date.now();
  await holder.settle(lease, {
    store: { record: `{"at":${at},"v":1,"kind":"answer","value":{}}`, at, ttlMs: 5_000 },
    notice: '{"o":"stored"}',
  });
  expect(await waiter.next(ms)).toBe('{"o":"stored"}');
  waiter.close();
  return at;
}

const KEY = 'http://127.0.0.1:1|ak:0123456789abcdef01234567\0DescribeClusterNodePools\0c-secretish';

describe.skipIf(!hasRedisServer())('RedisTier (real redis-server)', () => {
  let redis: TestRedis;
  const tiers: RedisTier[] = [];
  const tier = async (options: Partial<ConstructorParameters<typeof RedisTier>[0]> = {}) => {
    const made = new RedisTier({
      url: redis.url,
      logger: createLogger('silent'),
      timeoutMs: 200,
      keyPrefix: 'test:',
      ...options,
    });
    tiers.push(made);
    await made.whenUp(5_000);
    return made;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(tiers.map((t) => t.close()));
    await redis?.stop();
  });

  it('claims: a young record, else the lease, else how long the holder still holds it', async () => {
    const a = await tier();
    const b = await tier();
    const first = await a.claim(KEY, 1_000, 0);
    expect(first.kind).toBe('lease');
    const second = await b.claim(KEY, 1_000, 0);
    expect(second.kind).toBe('held');
    expect(second.kind === 'held' && second.heldForMs).toBeGreaterThan(800);
    if (first.kind !== 'lease') return;
    const at = await storeAndHear(a, first.lease, b, KEY, 1_000);
    expect(await b.claim(KEY, 1_000, at)).toEqual({
      kind: 'record',
      record: expect.stringMatching(/^\{"at":/),
    });
    // Too old for this reader (it wants one newer than `at`): the lease, with the old record.
    const newer = await b.claim(KEY, 1_000, at + 1);
    expect(newer).toMatchObject({ kind: 'lease', previous: expect.stringMatching(/^\{"at":/) });
  });

  it('keeps the newer record, releases and renews only for the holder', async () => {
    const a = await tier();
    const key = `${KEY}-2`;
    const claimA = await a.claim(key, 300, 0);
    if (claimA.kind !== 'lease') throw new Error('expected the lease');
    const stolen = { key, token: 'someone-else' };
    expect(await a.renew(stolen, 5_000)).toBe(false);
    expect(await a.renew(claimA.lease, 300)).toBe(true);
    const client = redis.client();
    await a.settle(stolen, { notice: '{"o":"failed"}' });
    expect(await client.get(`test:v1:lease:${sha256(key)}`)).toBe(claimA.lease.token);
    const write = (at: number) =>
      a.settle(claimA.lease, {
        store: { record: `{"at":${at},"v":1,"kind":"answer","value":{"at":${at}}}`, at, ttlMs: 5_000 },
        notice: '{"o":"stored"}',
      });
    await write(2_000);
    await write(1_000);
    expect(await client.get(`test:v1:data:${sha256(key)}`)).toContain('"value":{"at":2000}');
    expect(await client.exists(`test:v1:lease:${sha256(key)}`)).toBe(0);
  });

  it('writes hashed keys under the prefix, each with a TTL, and nothing of the cache key', async () => {
    const client = redis.client();
    const a = await tier();
    const key = `${KEY}-3`;
    const claim = await a.claim(key, 2_000, 0);
    if (claim.kind !== 'lease') throw new Error('expected the lease');
    const at = Date.now();
    await a.settle(claim.lease, {
      store: { record: `{"at":${at},"v":1,"kind":"answer","value":{}}`, at, ttlMs: 7_000 },
      notice: '{"o":"stored"}',
    });
    await a.claim(`${KEY}-4`, 2_000, 0);
    const keys = await client.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const name of keys) {
      expect(name).toMatch(/^test:v1:(data|lease|probe):[0-9a-f]+$/);
      expect(name).not.toContain('secretish');
      const ttl = await client.pttl(name);
      expect(ttl, `${name} has a TTL`).toBeGreaterThan(0);
    }
    expect(await client.pttl(`test:v1:data:${sha256(key)}`)).toBeGreaterThan(6_000);
  });

  it('works as an ACL user with only what it needs, password and database in the URL', async () => {
    const admin = redis.client();
    await admin.call(
      'ACL',
      'SETUSER',
      'gateway',
      'on',
      '>s3cr3t/pass word',
      'resetkeys',
      '~acl:*',
      'resetchannels',
      // PSUBSCRIBE patterns are checked literally against the user's channel patterns.
      '&acl:v1:done:*',
      '-@all',
      '+get',
      '+set',
      '+del',
      '+pttl',
      '+pexpire',
      '+publish',
      '+evalsha',
      '+eval',
      '+psubscribe',
      '+ping',
      '+select',
      '+quit',
    );
    const { logger, lines } = capturingLogger();
    const url = `redis://gateway:${encodeURIComponent('s3cr3t/pass word')}@127.0.0.1:${redis.port}/3`;
    const a = await tier({ url, keyPrefix: 'acl:', logger });
    const b = await tier({ url, keyPrefix: 'acl:', logger });
    expect(a.status().state).toBe('up');
    const claim = await a.claim(KEY, 1_000, 0);
    if (claim.kind !== 'lease') throw new Error('expected the lease');
    const waiter = b.waiter(KEY);
    await a.settle(claim.lease, { notice: '{"o":"failed"}' });
    expect(await waiter.next(1_000)).toBe('{"o":"failed"}');
    waiter.close();
    expect(await redis.client(3).keys('acl:*')).not.toHaveLength(0);
    const logged = JSON.stringify(lines);
    expect(logged).toContain(`127.0.0.1:${redis.port}/3`);
    expect(logged).not.toContain('s3cr3t');
    expect(redisTarget(url)).toBe(`redis://127.0.0.1:${redis.port}/3`);
  });

  it('without the channel in the ACL, waiters poll instead of waiting a whole lease', async () => {
    const admin = redis.client();
    await admin.call(
      'ACL',
      'SETUSER',
      'nochannels',
      'on',
      '>pw',
      'resetkeys',
      '~poll:*',
      'resetchannels',
      '-@all',
      '+get',
      '+set',
      '+del',
      '+pttl',
      '+pexpire',
      '+publish',
      '+evalsha',
      '+eval',
      '+psubscribe',
      '+ping',
      '+select',
    );
    const { logger, lines } = capturingLogger();
    const url = `redis://nochannels:pw@127.0.0.1:${redis.port}/0`;
    const a = await tier({ url, keyPrefix: 'poll:', logger });
    await until(() => lines.some((line) => String(line.msg).includes('PSUBSCRIBE')), 2_000, 'the warning');
    const claim = await a.claim(KEY, 5_000, 0);
    expect(claim.kind).toBe('lease');
    const waiter = a.waiter(KEY);
    const started = performance.now();
    expect(await waiter.next(5_000)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
    waiter.close();
  });

  it('goes down when Redis stalls past the timeout, and comes back by itself', async () => {
    const { logger, lines } = capturingLogger();
    const a = await tier({ logger, timeoutMs: 100 });
    const admin = redis.client();
    const sleeping = admin.call('CLIENT', 'PAUSE', '1200', 'ALL').then(() => sleep(1_200));
    await sleep(50);
    const started = performance.now();
    await expect(a.claim(`${KEY}-slow`, 1_000, 0)).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(400);
    expect(a.status()).toMatchObject({ state: 'down', reason: 'timeout' });
    // Skipped at once while down: no second timeout.
    const skipped = performance.now();
    await expect(a.claim(`${KEY}-slow`, 1_000, 0)).rejects.toThrow();
    expect(performance.now() - skipped).toBeLessThan(20);
    await sleeping;
    await until(() => a.status().state === 'up', 5_000, 'Redis up again');
    const states = lines.filter((line) => String(line.msg).startsWith('Redis shared cache is'));
    expect(states.map((line) => line.level)).toEqual([30, 40, 30]);
  });

  it('goes down when Redis is full (noeviction), up when it has room again', async () => {
    const a = await tier();
    const admin = redis.client();
    await admin.set('filler', 'x'.repeat(4 * 1024 * 1024));
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '2mb');
    try {
      await expect(a.claim(`${KEY}-full`, 1_000, 0)).rejects.toThrow(/OOM/);
      expect(a.status()).toMatchObject({ state: 'down', reason: 'full' });
      await sleep(1_300);
      expect(a.status().state).toBe('down');
    } finally {
      await admin.del('filler');
      await admin.config('SET', 'maxmemory', '0');
    }
    await until(() => a.status().state === 'up', 5_000, 'Redis up again');
  });

  it('goes down when Redis dies, wakes its waiters, and reconnects when it returns', async () => {
    const { logger, lines } = capturingLogger();
    const a = await tier({ logger });
    const b = await tier();
    const claim = await b.claim(`${KEY}-kill`, 10_000, 0);
    expect(claim.kind).toBe('lease');
    const held = await a.claim(`${KEY}-kill`, 10_000, 0);
    expect(held.kind).toBe('held');
    const waiter = a.waiter(`${KEY}-kill`);
    const waiting = waiter.next(10_000);
    const started = performance.now();
    await redis.kill();
    expect(await waiting).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
    waiter.close();
    await until(() => a.status().state === 'down', 2_000, 'down');
    await expect(a.claim(`${KEY}-kill`, 1_000, 0)).rejects.toThrow();
    await redis.restart();
    await until(() => a.status().state === 'up' && b.status().state === 'up', 8_000, 'both up again');
    const again = await a.claim(`${KEY}-kill`, 1_000, 0);
    expect(again.kind).toBe('lease');
    // Subscribed again after the reconnect: a waiter hears the holder's notice.
    if (again.kind !== 'lease') return;
    await storeAndHear(a, again.lease, b, `${KEY}-kill`, 2_000);
    const states = lines.filter((line) => String(line.msg).startsWith('Redis shared cache is'));
    expect(states.map((line) => line.level)).toEqual([30, 40, 30]);
  });
});
