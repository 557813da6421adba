import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createLogger } from '../../src/logger.js';
import { createObservability } from '../../src/observability/observability.js';
import { createAckSimulator } from '../../src/simulator/index.js';
import { TEST_KEY } from '../helpers/gateway.js';
import { hasRedisServer, startRedis, type TestRedis } from '../helpers/redis-server.js';
import { type LiveSubscription, nodePoolCalls, sleep, subscribeSse } from './live-client.js';

/**
 * Two replicas over one ACK (one simulator) and one Redis: one replica polls a watched cluster
 * for both, and every replica's subscribers hear its observations over pub/sub. Needs a
 * `redis-server` binary (Debian's `redis-server` package); skipped without one.
 */
const INTERVAL_MS = 250;

describe.skipIf(!hasRedisServer())('the Redis watch coordinator', () => {
  let redis: TestRedis;
  let simulator: ReturnType<typeof createAckSimulator>;
  let a: Gateway;
  let b: Gateway;
  const open: LiveSubscription[] = [];

  beforeAll(async () => {
    redis = await startRedis();

    // Two replicas of the same wiring over the same ACK.
    simulator = createAckSimulator({ ...TEST_KEY });
    const { endpoint } = await simulator.listen(0, '127.0.0.1');
    const logger = createLogger('silent');
    const config = loadConfig({
      ACK_ENDPOINT: endpoint,
      ACK_PROTOCOL: 'http',
      ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      ACK_RETRY_MAX_ATTEMPTS: '1',
      WARM_UP: 'false',
      WATCH_INTERVAL_MS: String(INTERVAL_MS),
      // The production wiring: REDIS_URL alone makes the gateway lead watches through Redis.
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `test-${process.pid}:`,
    });
    const replica = async () =>
      createGateway(config, logger, {
        observability: await createObservability({ metrics: { enabled: false }, tracing: {} }, logger),
      });
    a = await replica();
    b = await replica();
  });

  afterAll(async () => {
    await Promise.all(open.map((subscription) => subscription.close()));
    await b?.close();
    await a?.close();
    await simulator?.close();
    await redis?.stop();
  });

  const subscribe = async (gateway: Gateway, clusterId: string) => {
    const subscription = await subscribeSse(
      (input, init) => gateway.app.fetch(input, init),
      'http://gateway.test/graphql',
      { clusterId },
    );
    open.push(subscription);
    return subscription;
  };

  it('polls each watched cluster once for both replicas, and tells both replicas’ subscribers', async () => {
    const clusterId = simulator.clusters[0]?.id ?? '';
    const onA = await Promise.all([1, 2, 3].map(() => subscribe(a, clusterId)));
    const onB = await Promise.all([1, 2, 3].map(() => subscribe(b, clusterId)));
    await Promise.all([...onA, ...onB].map((subscription) => subscription.received.atLeast(1)));

    simulator.resetStats();
    await sleep(2_000);
    const polls = nodePoolCalls(simulator.stats());
    // One replica's worth (~8), not two.
    expect(polls).toBeLessThanOrEqual(2_000 / INTERVAL_MS + 1);
    expect(polls).toBeGreaterThanOrEqual(2_000 / INTERVAL_MS - 2);
    const leaders = [a.watcher.stats().leading, b.watcher.stats().leading];
    expect(leaders.sort()).toEqual([0, 1]);

    await simulator.scaleNodePool(0, 0, 11, { stepMs: 0, steps: 1 });
    const pool = simulator.clusters[0]?.nodePools[0]?.nodepool_info.nodepool_id;
    await Promise.all([...onA, ...onB].map((subscription) => subscription.received.atLeast(2)));
    for (const subscription of [...onA, ...onB]) {
      expect(subscription.received.updates()[1]?.changed).toEqual([pool]);
    }

    // The leader's subscribers leave: it releases the lease, the other replica polls on.
    const leaderIsA = a.watcher.stats().leading === 1;
    await Promise.all((leaderIsA ? onA : onB).map((subscription) => subscription.close()));
    const rest = leaderIsA ? onB : onA;
    const follower = leaderIsA ? b : a;
    await expect.poll(() => follower.watcher.stats().leading, { timeout: 5_000 }).toBe(1);
    await simulator.scaleNodePool(0, 0, 4, { stepMs: 0, steps: 1 });
    await Promise.all(rest.map((subscription) => subscription.received.atLeast(3)));
    await Promise.all(rest.map((subscription) => subscription.close()));
    await expect.poll(() => a.watcher.stats().clusters + b.watcher.stats().clusters).toBe(0);
  });

  it('after Redis restarts, the replica that follows hears the leader again', async () => {
    const clusterId = simulator.clusters[1]?.id ?? '';
    const onA = await subscribe(a, clusterId);
    const onB = await subscribe(b, clusterId);
    await Promise.all([onA, onB].map((subscription) => subscription.received.atLeast(1)));
    await redis.kill();
    await sleep(500);
    await redis.restart();
    await expect
      .poll(() => [a, b].map((gateway) => gateway.sharedTier?.status().state), { timeout: 10_000 })
      .toEqual(['up', 'up']);
    // While Redis was away each replica polled for itself; now one leads and the other follows.
    await expect
      .poll(() => [a.watcher.stats().leading, b.watcher.stats().leading].sort(), { timeout: 10_000 })
      .toEqual([0, 1]);
    const seen = [onA, onB].map((subscription) => subscription.received.updates().length);
    await simulator.scaleNodePool(1, 0, 9, { stepMs: 0, steps: 1 });
    const pool = simulator.clusters[1]?.nodePools[0]?.nodepool_info.nodepool_id;
    await Promise.all(
      [onA, onB].map((subscription, index) => subscription.received.atLeast((seen[index] ?? 0) + 1)),
    );
    for (const subscription of [onA, onB]) {
      expect(subscription.received.updates().at(-1)?.changed).toEqual([pool]);
    }
  });
});
