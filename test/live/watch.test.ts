import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type LiveSubscription, nodePoolCalls, sleep, subscribeSse } from './live-client.js';

/**
 * The `nodePools` subscription's economics and meaning, over SSE through yoga's fetch handler
 * (no socket needed): one ACK poll per watched cluster per interval whatever the number of
 * subscribers, the first event whole, nothing while nothing changes, a change told once to
 * exactly the subscribers of its cluster, failures as events that recover.
 */
const INTERVAL_MS = 250;
const TRANSITION_MS = 80;

let gateway: TestGateway;
const open: LiveSubscription[] = [];

const fetcher = (input: string, init: RequestInit) => gateway.app.fetch(input, init);
async function subscribe(variables: Record<string, unknown>, headers?: Record<string, string>) {
  const subscription = await subscribeSse(fetcher, 'http://gateway.test/graphql', variables, { headers });
  open.push(subscription);
  return subscription;
}
const clusterId = (index: number) => gateway.simulator.clusters[index]?.id ?? '';
const poolId = (cluster: number, pool: number) =>
  gateway.simulator.clusters[cluster]?.nodePools[pool]?.nodepool_info.nodepool_id ?? '';
const poolIds = (cluster: number) =>
  gateway.simulator.clusters[cluster]?.nodePools.map((pool) => pool.nodepool_info.nodepool_id) ?? [];

async function closeAll() {
  await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  // The watcher forgets a stream once its consumer is gone.
  await expect.poll(() => gateway.gateway.watcher.stats().subscriptions, { timeout: 5_000 }).toBe(0);
}

beforeAll(async () => {
  gateway = await startTestGateway({
    simulator: { clusterCount: 4 },
    env: {
      WATCH_INTERVAL_MS: String(INTERVAL_MS),
      WATCH_TRANSITION_INTERVAL_MS: String(TRANSITION_MS),
      WATCH_MAX_SUBSCRIPTIONS_PER_CALLER: '1000',
      // Recovery after a fault should not wait for the default 10 s breaker cooldown.
      ACK_BREAKER_COOLDOWN_MS: '200',
    },
  });
});
afterAll(() => gateway?.close());
afterEach(async () => {
  await closeAll();
  // A poll in flight when the last subscriber left still finishes, and the next test's first
  // read of that cluster would share it: an answer from before that test set its fault.
  await expect.poll(() => gateway.cache.readsInFlight, { timeout: 5_000 }).toBe(0);
  gateway.simulator.setFault(clusterId(3), undefined);
  gateway.cache.clear();
  gateway.simulator.resetStats();
});

describe('one poll per cluster, whatever the subscribers', () => {
  it('N subscribers over K clusters cost about K polls per interval; the first event is the whole list; nothing while nothing changes', async () => {
    const K = 3;
    const perCluster = 10;
    const pollsBefore = gateway.gateway.watcher.stats().polls;
    const subscriptions = await Promise.all(
      Array.from({ length: K * perCluster }, (_, index) => subscribe({ clusterId: clusterId(index % K) })),
    );
    await Promise.all(subscriptions.map((subscription) => subscription.received.atLeast(1)));
    // One read per cluster for all of its first events (shared), none per subscriber; on a busy
    // machine an interval may pass before the last first event: its polls count apart, and one
    // that falls due while a first read is in flight shares that read's call.
    const polled = gateway.gateway.watcher.stats().polls - pollsBefore;
    const calls = nodePoolCalls(gateway.simulator.stats());
    expect(calls).toBeGreaterThanOrEqual(K);
    expect(calls).toBeLessThanOrEqual(K + polled);
    subscriptions.forEach((subscription, index) => {
      const [first] = subscription.received.updates();
      const cluster = index % K;
      expect(first?.clusterId).toBe(clusterId(cluster));
      expect(first?.nodePools?.map((pool) => pool.id)).toEqual(poolIds(cluster));
      expect(first?.changed).toEqual(poolIds(cluster));
      expect(first?.removed).toEqual([]);
      // Freshness fields answer from the event's own list, not from a new call.
      expect(first?.nodePools?.every((pool) => pool.observedAt === first.observedAt && !pool.stale)).toBe(
        true,
      );
    });
    expect(gateway.gateway.watcher.stats()).toMatchObject({ clusters: K, subscriptions: K * perCluster });

    gateway.simulator.resetStats();
    const windowMs = 2_000;
    await sleep(windowMs);
    const stats = gateway.simulator.stats();
    const intervals = windowMs / INTERVAL_MS;
    // About K per interval: timers drift a little, and a poll may be in flight at either end.
    expect(nodePoolCalls(stats)).toBeGreaterThanOrEqual(K * (intervals - 2));
    expect(nodePoolCalls(stats)).toBeLessThanOrEqual(K * (intervals + 1));
    for (let cluster = 0; cluster < K; cluster += 1) {
      expect(stats.byCluster[clusterId(cluster)]).toBeLessThanOrEqual(intervals + 1);
    }
    // Thirty subscribers, eight polls each cluster: still one event each.
    for (const subscription of subscriptions) expect(subscription.received.payloads).toHaveLength(1);
  });

  it('answers the first event from the cache when it is fresh', async () => {
    const answer = await gateway.query(`{ nodePools(clusterId: "${clusterId(1)}") { id } }`);
    expect(answer.errors).toBeUndefined();
    expect(nodePoolCalls(gateway.simulator.stats())).toBe(1);
    const subscription = await subscribe({ clusterId: clusterId(1) });
    const [first] = await subscription.received.atLeast(1);
    expect(first?.data?.nodePools?.nodePools).toHaveLength(poolIds(1).length);
    expect(nodePoolCalls(gateway.simulator.stats())).toBe(1);
  });

  it('stops polling a cluster when its last subscriber leaves', async () => {
    const subscription = await subscribe({ clusterId: clusterId(2) });
    await subscription.received.atLeast(1);
    await sleep(INTERVAL_MS * 2);
    expect(nodePoolCalls(gateway.simulator.stats())).toBeGreaterThan(1);
    await closeAll();
    expect(gateway.gateway.watcher.stats().clusters).toBe(0);
    gateway.simulator.resetStats();
    await sleep(INTERVAL_MS * 3);
    expect(nodePoolCalls(gateway.simulator.stats())).toBe(0);
  });
});

describe('what an event says', () => {
  it('a change reaches exactly the subscribers of its cluster, once each, with the right `changed`', async () => {
    const watching0 = await Promise.all([1, 2, 3].map(() => subscribe({ clusterId: clusterId(0) })));
    const watching1 = await Promise.all([1, 2, 3].map(() => subscribe({ clusterId: clusterId(1) })));
    await Promise.all([...watching0, ...watching1].map((subscription) => subscription.received.atLeast(1)));

    const scaled = poolId(0, 1);
    await gateway.simulator.scaleNodePool(0, 1, 9, { stepMs: 0, steps: 1 });
    await Promise.all(watching0.map((subscription) => subscription.received.atLeast(2)));
    await sleep(INTERVAL_MS * 3);

    const sequences = watching0.map((subscription) => subscription.received.updates().slice(1));
    for (const sequence of sequences) {
      // One event per observed step (the scale may be seen mid-way), never a repeat.
      expect(sequence.length).toBeGreaterThanOrEqual(1);
      expect(new Set(sequence.map((update) => update.observedAt)).size).toBe(sequence.length);
      for (const update of sequence) {
        expect(update.changed).toEqual([scaled]);
        expect(update.removed).toEqual([]);
      }
      const last = sequence.at(-1)?.nodePools?.find((pool) => pool.id === scaled);
      expect(last?.status).toEqual({ state: 'ACTIVE', totalNodes: 9 });
    }
    // Every subscriber of the cluster heard the same events.
    expect(sequences[1]).toEqual(sequences[0]);
    expect(sequences[2]).toEqual(sequences[0]);
    // The other cluster's subscribers heard nothing.
    for (const subscription of watching1) expect(subscription.received.payloads).toHaveLength(1);
  });

  it('polls faster while a pool is transitional, and shows the steps', async () => {
    const subscription = await subscribe({ clusterId: clusterId(2) });
    await subscription.received.atLeast(1);
    gateway.simulator.resetStats();
    const stepMs = 300;
    await gateway.simulator.scaleNodePool(2, 0, 12, { stepMs, steps: 3 });
    const polls = gateway.simulator.stats().byCluster[clusterId(2)] ?? 0;
    // ~0.9 s of scaling: ~3 polls at the normal interval, ~11 at the transition interval.
    expect(polls).toBeGreaterThanOrEqual(6);
    const states = () =>
      subscription.received
        .updates()
        .slice(1)
        .map((update) => update.nodePools?.find((pool) => pool.id === poolId(2, 0))?.status);
    await expect.poll(() => states().at(-1), { timeout: 2_000 }).toEqual({ state: 'ACTIVE', totalNodes: 12 });
    expect(states().filter((status) => status?.state === 'SCALING').length).toBeGreaterThanOrEqual(2);
    // Once nothing moves, the normal interval again (the fixture's other pools stay transitional).
    await sleep(INTERVAL_MS * 2);
    gateway.simulator.resetStats();
    await sleep(INTERVAL_MS * 4);
    expect(gateway.simulator.stats().byCluster[clusterId(2)] ?? 0).toBeLessThanOrEqual(5);
  });

  it('a filtered subscription sees pools enter and leave its view', async () => {
    // Pool 1 of the fixture is scaling (and stays so); pool 0 is active.
    const subscription = await subscribe({ clusterId: clusterId(1), state: 'SCALING' });
    const [first] = await subscription.received.atLeast(1);
    expect(first?.data?.nodePools?.nodePools?.map((pool) => pool.id)).toEqual([poolId(1, 1)]);
    expect(first?.data?.nodePools).toMatchObject({ changed: [poolId(1, 1)], removed: [] });
    await gateway.simulator.scaleNodePool(1, 0, 4, { stepMs: 400, steps: 2 });
    await sleep(INTERVAL_MS * 2);
    const updates = subscription.received.updates();
    const entered = updates.findIndex((update) => update.changed.includes(poolId(1, 0)));
    expect(entered).toBeGreaterThan(0);
    expect(updates[entered]?.nodePools?.map((pool) => pool.id)).toEqual([poolId(1, 0), poolId(1, 1)]);
    expect(updates.at(-1)).toMatchObject({ changed: [], removed: [poolId(1, 0)] });
    expect(updates.at(-1)?.nodePools?.map((pool) => pool.id)).toEqual([poolId(1, 1)]);
  });

  it('a failing cluster yields an error event, stays open, and the next good poll recovers', async () => {
    const subscription = await subscribe({ clusterId: clusterId(3) });
    await subscription.received.atLeast(1);
    gateway.simulator.setFault(clusterId(3), 'server-error');
    const [, failed] = await subscription.received.atLeast(2);
    expect(failed?.data?.nodePools).toMatchObject({ clusterId: clusterId(3), nodePools: null, changed: [] });
    expect(failed?.errors).toEqual([
      expect.objectContaining({
        path: ['nodePools', 'nodePools'],
        extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }),
      }),
    ]);
    // The failure lasting is not news.
    await sleep(INTERVAL_MS * 3);
    expect(subscription.received.payloads).toHaveLength(2);

    gateway.simulator.setFault(clusterId(3), undefined);
    const [, , recovered] = await subscription.received.atLeast(3);
    expect(recovered?.errors).toBeUndefined();
    expect(recovered?.data?.nodePools).toMatchObject({ changed: [], removed: [] });
    expect(recovered?.data?.nodePools?.nodePools).toHaveLength(poolIds(3).length);
    expect(subscription.received.completed).toBe(false);
  });

  it('the first event of an unreachable cluster is an error event', async () => {
    gateway.simulator.setFault(clusterId(3), 'forbidden');
    const subscription = await subscribe({ clusterId: clusterId(3) });
    const [first] = await subscription.received.atLeast(1);
    expect(first?.data?.nodePools?.nodePools).toBeNull();
    expect(first?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
