import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AckApi } from '../../src/ack/ack-api.js';
import { stalenessOf } from '../../src/ack/ack-cache.js';
import type { AckResilienceOptions } from '../../src/ack/resilience.js';
import { createLogger } from '../../src/logger.js';
import type { Fault } from '../../src/simulator/index.js';
import {
  gatewayPerTest,
  type Simulator,
  startTestGateway,
  TEST_KEY,
  type TestGateway,
} from '../helpers/gateway.js';

/**
 * Retries, circuit breaker, concurrency bound, stale-if-error and not-found caching, through the
 * real SDK over HTTP to the simulator; upstream calls are counted at the simulator. Timing
 * assertions are lower bounds (a loaded machine only makes things slower) with wide margins.
 */

const NODE_POOLS = `query($id: ID!) { nodePools(clusterId: $id) { id } }`;
const CLUSTERS = `query($ids: [ID!]!) { clusters(ids: $ids) { id } }`;
const UNKNOWN_CLUSTER = 'cnotfound00000000000000000000000001';
const logger = createLogger('silent');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const callsTo = (simulator: Simulator, clusterId: string) => simulator.stats().byCluster[clusterId] ?? 0;

/** Retries on, waits short: what most tests here want. */
const FAST_RETRIES: AckResilienceOptions = {
  retryMaxAttempts: 3,
  retryBaseDelayMs: 10,
  retryMaxDelayMs: 1_000,
};

/**
 * Clears a cluster's fault as soon as the simulator has taken its first call. The simulator
 * decides a faulty answer when the request arrives, then holds it for `latencyMs`: with some
 * latency, the fault is gone before the retry arrives, however slow the machine.
 */
async function clearFaultAfterFirstCall(simulator: Simulator, clusterId: string): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (callsTo(simulator, clusterId) < 1 && Date.now() < giveUpAt) await sleep(2);
  simulator.setFault(clusterId, undefined);
}

const start = gatewayPerTest();

describe('retries', () => {
  const EXPECTED: Record<string, { code: string; upstream?: string }> = {
    throttled: { code: 'UPSTREAM_THROTTLED', upstream: 'Throttling.User' },
    'server-error': { code: 'UPSTREAM_UNAVAILABLE', upstream: 'InternalError' },
    unavailable: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'ServiceUnavailable' },
    'non-json': { code: 'UPSTREAM_BAD_RESPONSE' },
  };

  for (const [fault, expected] of Object.entries(EXPECTED)) {
    it(`${fault}: retried up to the max attempts, then answered as ${expected.code}`, async () => {
      const g = await start({
        simulator: {
          clusterCount: 1,
          faults: { [UNKNOWN_CLUSTER]: fault as Fault },
          throttleRetryAfterMs: 20,
        },
        cacheTtlMs: 0,
        client: { resilience: { ...FAST_RETRIES, breakerFailures: 0 } },
      });
      const result = await g.query(NODE_POOLS, { id: UNKNOWN_CLUSTER });
      expect(result.data).toEqual({ nodePools: null });
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: expected.code,
        ...(expected.upstream ? { upstream: { code: expected.upstream } } : {}),
      });
      expect(callsTo(g.simulator, UNKNOWN_CLUSTER)).toBe(3);
    });

    it(`${fault} once: the retry answers normally`, async () => {
      const g = await start({
        simulator: { clusterCount: 1, latencyMs: 150, throttleRetryAfterMs: 20 },
        cacheTtlMs: 0,
        client: { resilience: FAST_RETRIES },
      });
      const id = g.simulator.clusters[0]?.id ?? '';
      g.simulator.setFault(id, fault as Fault);
      const [result] = await Promise.all([
        g.query(NODE_POOLS, { id }),
        clearFaultAfterFirstCall(g.simulator, id),
      ]);
      expect(result.errors).toBeUndefined();
      expect(result.data?.nodePools).toHaveLength(5);
      expect(callsTo(g.simulator, id)).toBe(2);
    });
  }

  it('a timeout is retried up to the max attempts, then answered as UPSTREAM_TIMEOUT', async () => {
    const g = await start({
      simulator: { clusterCount: 1, faults: { [UNKNOWN_CLUSTER]: 'slow' }, slowMs: 3_000 },
      cacheTtlMs: 0,
      client: { readTimeoutMs: 400, resilience: { ...FAST_RETRIES, breakerFailures: 0 } },
    });
    const result = await g.query(NODE_POOLS, { id: UNKNOWN_CLUSTER });
    expect(result.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(callsTo(g.simulator, UNKNOWN_CLUSTER)).toBe(3);
  });

  it('never retries 4xx answers: forbidden, not found, rejected credentials', async () => {
    const forbidden = 'cforbidden00000000000000000000001';
    const g = await start({
      simulator: { clusterCount: 1, faults: { [forbidden]: 'forbidden' } },
      cacheTtlMs: 0,
      client: { resilience: FAST_RETRIES },
    });
    const result = await g.query(
      `query($f: ID!, $n: ID!) { f: nodePools(clusterId: $f) { id } n: cluster(id: $n) { id } }`,
      { f: forbidden, n: UNKNOWN_CLUSTER },
    );
    expect(result.data).toEqual({ f: null, n: null });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(g.simulator.stats().byCluster).toEqual({ [forbidden]: 1, [UNKNOWN_CLUSTER]: 1 });

    const wrongSecret = await startTestGateway({
      cacheTtlMs: 0,
      client: {
        credentials: { accessKeyId: TEST_KEY.accessKeyId, accessKeySecret: 'wrong' },
        resilience: FAST_RETRIES,
      },
    });
    try {
      const denied = await wrongSecret.query(NODE_POOLS, { id: wrongSecret.simulator.clusters[0]?.id });
      expect(denied.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: { code: 'SignatureDoesNotMatch' },
      });
      expect(wrongSecret.simulator.stats().rejectedSignatures).toBe(1);
    } finally {
      await wrongSecret.close();
    }
  });

  it("honours ACK's retry-after: the retry comes no sooner", async () => {
    const retryAfterMs = 600;
    const g = await start({
      simulator: { clusterCount: 1, throttleRetryAfterMs: retryAfterMs },
      cacheTtlMs: 0,
      client: { resilience: { ...FAST_RETRIES, retryMaxDelayMs: 2_000 } },
    });
    const id = g.simulator.clusters[0]?.id ?? '';
    g.simulator.setFault(id, 'throttled');
    const startedAt = performance.now();
    const [result] = await Promise.all([
      g.query(NODE_POOLS, { id }),
      clearFaultAfterFirstCall(g.simulator, id),
    ]);
    const elapsed = performance.now() - startedAt;
    expect(result.errors).toBeUndefined();
    expect(callsTo(g.simulator, id)).toBe(2);
    // The backoff alone is at most 10 ms here: only the retry-after explains the wait.
    expect(elapsed).toBeGreaterThanOrEqual(retryAfterMs - 5);
  });

  it('does not wait for a retry-after longer than the longest retry delay', async () => {
    const g = await start({
      simulator: {
        clusterCount: 1,
        faults: { [UNKNOWN_CLUSTER]: 'throttled' },
        throttleRetryAfterMs: 60_000,
      },
      cacheTtlMs: 0,
      client: { resilience: { ...FAST_RETRIES, retryMaxDelayMs: 500 } },
    });
    const startedAt = performance.now();
    const result = await g.query(NODE_POOLS, { id: UNKNOWN_CLUSTER });
    expect(performance.now() - startedAt).toBeLessThan(10_000);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_THROTTLED',
      upstream: { code: 'Throttling.User', retryAfterMs: 60_000 },
    });
    expect(callsTo(g.simulator, UNKNOWN_CLUSTER)).toBe(1);
  });
});

describe('circuit breakers', () => {
  it("a failing cluster's circuit opens alone: healthy clusters keep their answers", async () => {
    const g = await start({ simulator: { clusterCount: 10 }, cacheTtlMs: 0 });
    const ids = g.simulator.clusters.map((cluster) => cluster.id);
    const [serverError = '', unavailable = ''] = ids;
    g.simulator.setFault(serverError, 'server-error');
    g.simulator.setFault(unavailable, 'unavailable');
    // The default breaker judges after 5 attempts: five rounds of real failures, then fail-fast.
    for (let round = 0; round < 7; round++) {
      g.simulator.resetStats();
      const result = await g.query(CLUSTERS, { ids });
      const clusters = result.data?.clusters as ({ id: string } | null)[];
      expect(clusters.slice(2)).toEqual(ids.slice(2).map((id) => ({ id })));
      expect(result.errors?.map((error) => [error.path?.[1], error.extensions?.upstream?.code])).toEqual(
        round < 5
          ? [
              [0, 'InternalError'],
              [1, 'ServiceUnavailable'],
            ]
          : [
              [0, 'CircuitOpen'],
              [1, 'CircuitOpen'],
            ],
      );
      expect(callsTo(g.simulator, serverError)).toBe(round < 5 ? 1 : 0);
      expect(g.simulator.stats().total).toBe(round < 5 ? 10 : 8);
    }
    expect(g.client.status()).toMatchObject({ circuit: 'closed', openClusters: 2 });
    expect(g.client.clusterCircuit(serverError)).toBe('open');
    expect(g.client.clusterCircuit(ids[2] ?? '')).toBe('closed');
  });

  const COOL_DOWN_MS = 1_500;
  const failing = 'cfailing000000000000000000000001';
  const forbidden = 'cforbidden00000000000000000000001';

  it("opens a cluster's circuit after N failures, fails it fast with zero upstream calls, closes after the cool-down", async () => {
    const g = await start({
      simulator: { clusterCount: 1, faults: { [failing]: 'unavailable', [forbidden]: 'forbidden' } },
      cacheTtlMs: 0,
      cache: { notFoundTtlMs: 0 },
      client: { resilience: { retryMaxAttempts: 1, breakerFailures: 3, breakerCooldownMs: COOL_DOWN_MS } },
    });
    const healthy = g.simulator.clusters[0]?.id ?? '';

    // ACK's "no" (404, 403) is an answer, not an outage: it never opens a circuit.
    for (let i = 0; i < 4; i++) {
      await g.query(NODE_POOLS, { id: UNKNOWN_CLUSTER });
      await g.query(NODE_POOLS, { id: forbidden });
    }
    expect(g.client.status()).toMatchObject({ circuit: 'closed', openClusters: 0 });
    expect(g.client.clusterCircuit(forbidden)).toBe('closed');
    expect(g.client.clusterCircuit(UNKNOWN_CLUSTER)).toBe('closed');

    for (let i = 0; i < 3; i++) {
      const result = await g.query(NODE_POOLS, { id: failing });
      expect(result.errors?.[0]?.extensions?.upstream?.code).toBe('ServiceUnavailable');
    }
    expect(g.client.clusterCircuit(failing)).toBe('open');
    expect(g.client.status()).toMatchObject({ circuit: 'closed', openClusters: 1 });

    g.simulator.resetStats();
    const open = await g.query(
      `query($bad: ID!, $good: ID!) { bad: nodePools(clusterId: $bad) { id } good: nodePools(clusterId: $good) { id } }`,
      { bad: failing, good: healthy },
    );
    expect(open.data?.bad).toBeNull();
    expect(open.data?.good).toHaveLength(5);
    expect(open.errors?.map((error) => [error.path, error.extensions])).toEqual([
      [['bad'], expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', upstream: { code: 'CircuitOpen' } })],
    ]);
    expect(g.simulator.stats().byCluster).toEqual({ [healthy]: 1 });

    // After the cool-down one trial call passes; it fails, so the circuit opens again.
    await sleep(COOL_DOWN_MS + 300);
    g.simulator.resetStats();
    const trial = await g.query(NODE_POOLS, { id: failing });
    expect(trial.errors?.[0]?.extensions?.upstream?.code).toBe('ServiceUnavailable');
    expect(g.client.clusterCircuit(failing)).toBe('open');
    const stillOpen = await g.query(NODE_POOLS, { id: failing });
    expect(stillOpen.errors?.[0]?.extensions?.upstream?.code).toBe('CircuitOpen');
    expect(g.simulator.stats().total).toBe(1);

    // ACK recovers: after the next cool-down the trial succeeds and the circuit closes.
    g.simulator.setFault(failing, undefined);
    await sleep(COOL_DOWN_MS + 300);
    const recovered = await g.query(NODE_POOLS, { id: failing });
    expect(recovered).toEqual({ data: { nodePools: null } });
    expect(g.client.clusterCircuit(failing)).toBe('closed');
    expect(g.client.status()).toMatchObject({ circuit: 'closed', openClusters: 0 });
    expect(g.simulator.stats().total).toBe(2);
  });

  it('stops retrying when the circuit opens mid-call, answering the real failure', async () => {
    const g = await start({
      simulator: { clusterCount: 1, faults: { [failing]: 'server-error' } },
      cacheTtlMs: 0,
      client: { resilience: { ...FAST_RETRIES, retryMaxAttempts: 5, breakerFailures: 2 } },
    });
    const result = await g.query(NODE_POOLS, { id: failing });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      upstream: { code: 'InternalError' },
    });
    expect(callsTo(g.simulator, failing)).toBe(2);
    expect(g.client.clusterCircuit(failing)).toBe('open');
  });

  it("opens the endpoint's circuit when ACK cannot be reached, and fails every call fast", async () => {
    const g = await start({
      simulator: { clusterCount: 3 },
      cacheTtlMs: 0,
      client: { resilience: { breakerFailures: 3, breakerCooldownMs: 30_000 } },
    });
    const ids = g.simulator.clusters.map((cluster) => cluster.id);
    await g.simulator.close();
    for (let i = 0; i < 3; i++) {
      const refused = await g.query(NODE_POOLS, { id: ids[i] });
      expect(refused.errors?.[0]?.extensions?.upstream).toBeUndefined();
      expect(refused.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    }
    // Three different clusters: no cluster's circuit has anything against it, the endpoint has.
    expect(g.client.status()).toMatchObject({ circuit: 'open', openClusters: 0 });
    const fast = await g.query(CLUSTERS, { ids });
    expect(fast.errors?.map((error) => error.extensions?.upstream?.code)).toEqual([
      'CircuitOpen',
      'CircuitOpen',
      'CircuitOpen',
    ]);
  });
});

describe('concurrency bound', () => {
  it('keeps at most maxConcurrency calls in flight: 20 clusters, 4 at a time, take 5 rounds', async () => {
    const latencyMs = 100;
    const g = await start({
      simulator: { clusterCount: 20, nodePoolsPerCluster: 1, latencyMs },
      client: { resilience: { maxConcurrency: 4 } },
    });
    const ids = g.simulator.clusters.map((cluster) => cluster.id);
    let maxInFlight = 0;
    let maxQueued = 0;
    const sampler = setInterval(() => {
      const { inFlight, queued } = g.client.status();
      maxInFlight = Math.max(maxInFlight, inFlight);
      maxQueued = Math.max(maxQueued, queued);
    }, 5);
    const startedAt = performance.now();
    const result = await g.query(CLUSTERS, { ids }).finally(() => clearInterval(sampler));
    const elapsed = performance.now() - startedAt;
    expect(result.errors).toBeUndefined();
    expect(result.data?.clusters).toHaveLength(20);
    expect(g.simulator.stats().total).toBe(20);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxQueued).toBeGreaterThan(0);
    // Five rounds of at least `latencyMs` each (unbounded, all 20 would take one round).
    expect(elapsed).toBeGreaterThanOrEqual(5 * latencyMs * 0.9);
  });

  it('refuses calls beyond the queue at once, as UPSTREAM_UNAVAILABLE (QueueFull), without calling ACK', async () => {
    const g = await start({
      simulator: { clusterCount: 3, nodePoolsPerCluster: 1, latencyMs: 300 },
      client: { resilience: { maxConcurrency: 1, maxQueue: 1 } },
    });
    const ids = g.simulator.clusters.map((cluster) => cluster.id);
    const result = await g.query(CLUSTERS, { ids });
    expect(result.data?.clusters).toEqual([{ id: ids[0] }, { id: ids[1] }, null]);
    expect(result.errors).toMatchObject([
      {
        path: ['clusters', 2],
        extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { code: 'QueueFull' } },
      },
    ]);
    expect(g.simulator.stats().total).toBe(2);
  });
});

describe('stale-if-error', () => {
  const TTL_MS = 300;
  const GRACE_MS = 1_500;

  it('serves the previous answer, marked stale, while ACK fails within TTL + grace; an error after it', async () => {
    const g = await start({
      simulator: { clusterCount: 1 },
      cacheTtlMs: TTL_MS,
      cache: { staleGraceMs: GRACE_MS },
      client: { resilience: { breakerFailures: 0 } },
    });
    const api = new AckApi(g.client, g.cache, logger);
    const id = g.simulator.clusters[0]?.id ?? '';
    const warmedAt = performance.now();
    const warm = await g.query(NODE_POOLS, { id });
    expect(warm.data?.nodePools).toHaveLength(5);

    await sleep(TTL_MS + 100);
    g.simulator.setFault(id, 'unavailable');
    const stale = await api.nodePools(id);
    expect(stale.nodePools).toHaveLength(5);
    expect(stale.stale).toEqual({
      ageMs: expect.any(Number),
      reason: expect.any(String),
      kind: 'UNAVAILABLE',
      upstreamCode: 'ServiceUnavailable',
    });
    expect(stale.stale?.ageMs).toBeGreaterThanOrEqual(TTL_MS);
    expect(stalenessOf(stale)).toBe(stale.stale);
    // Through GraphQL: the data still arrives, without an error, with a warning in extensions.
    const viaGraphQL: typeof warm & { extensions?: { warnings?: unknown[] } } = await g.query(NODE_POOLS, {
      id,
    });
    expect(viaGraphQL.errors).toBeUndefined();
    expect(viaGraphQL.data?.nodePools).toEqual(warm.data?.nodePools);
    expect(viaGraphQL.extensions?.warnings).toEqual([
      {
        code: 'STALE_DATA',
        message: expect.stringMatching(/ACK could not be asked .*; this answer is \d+ s old\./),
        operation: 'DescribeClusterNodePools',
        clusterId: id,
        ageMs: expect.any(Number),
        upstream: { code: 'ServiceUnavailable' },
      },
    ]);
    expect(warm).not.toHaveProperty('extensions');
    // Each stale answer still asked ACK first.
    expect(callsTo(g.simulator, id)).toBe(3);

    await sleep(Math.max(0, warmedAt + TTL_MS + GRACE_MS + 100 - performance.now()));
    const expired = await g.query(NODE_POOLS, { id });
    expect(expired.data).toEqual({ nodePools: null });
    expect(expired.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('never serves stale when the refresh succeeds, nor in place of a 4xx answer', async () => {
    const g = await start({
      simulator: { clusterCount: 2 },
      cacheTtlMs: TTL_MS,
      cache: { staleGraceMs: GRACE_MS, notFoundTtlMs: 0 },
    });
    const api = new AckApi(g.client, g.cache, logger);
    const [a = '', b = ''] = g.simulator.clusters.map((cluster) => cluster.id);
    await Promise.all([api.nodePools(a), api.nodePools(b)]);
    await sleep(TTL_MS + 100);

    const fresh = await api.nodePools(a);
    expect(fresh.stale).toBeUndefined();
    expect(callsTo(g.simulator, a)).toBe(2);

    g.simulator.setFault(b, 'forbidden');
    await expect(api.nodePools(b)).rejects.toMatchObject({ kind: 'FORBIDDEN' });
  });

  it('serves stale while the circuit is open, at zero upstream calls', async () => {
    const g = await start({
      simulator: { clusterCount: 1 },
      cacheTtlMs: TTL_MS,
      cache: { staleGraceMs: GRACE_MS },
      client: { resilience: { breakerFailures: 1, breakerFailureRatio: 0.4, breakerCooldownMs: 30_000 } },
    });
    const api = new AckApi(g.client, g.cache, logger);
    const id = g.simulator.clusters[0]?.id ?? '';
    await api.nodePools(id);
    await sleep(TTL_MS + 100);
    g.simulator.setFault(id, 'server-error');
    expect((await api.nodePools(id)).stale?.upstreamCode).toBe('InternalError');
    expect(g.client.clusterCircuit(id)).toBe('open');
    g.simulator.resetStats();
    const paused = await api.nodePools(id);
    expect(paused.stale).toMatchObject({ kind: 'UNAVAILABLE', upstreamCode: 'CircuitOpen' });
    expect(paused.nodePools).toHaveLength(5);
    expect(g.simulator.stats().total).toBe(0);
  });
});

describe('negative caching of not-found', () => {
  let g: TestGateway;
  const NOT_FOUND_TTL_MS = 400;
  beforeAll(async () => {
    g = await startTestGateway({
      simulator: { clusterCount: 1 },
      cache: { notFoundTtlMs: NOT_FOUND_TTL_MS },
    });
  });
  afterAll(() => g.close());
  beforeEach(() => {
    g.cache.clear();
    g.simulator.resetStats();
  });

  it('a flood of lookups of a missing cluster costs one call per window', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await g.query(NODE_POOLS, { id: UNKNOWN_CLUSTER })).toEqual({ data: { nodePools: null } });
    }
    await Promise.all(Array.from({ length: 10 }, () => g.query(NODE_POOLS, { id: UNKNOWN_CLUSTER })));
    expect(callsTo(g.simulator, UNKNOWN_CLUSTER)).toBe(1);
    await sleep(NOT_FOUND_TTL_MS + 150);
    await g.query(NODE_POOLS, { id: UNKNOWN_CLUSTER });
    expect(callsTo(g.simulator, UNKNOWN_CLUSTER)).toBe(2);
  });

  it('is off at 0: every lookup asks ACK', async () => {
    const off = await startTestGateway({ simulator: { clusterCount: 1 }, cache: { notFoundTtlMs: 0 } });
    try {
      for (let i = 0; i < 3; i++) await off.query(NODE_POOLS, { id: UNKNOWN_CLUSTER });
      expect(callsTo(off.simulator, UNKNOWN_CLUSTER)).toBe(3);
    } finally {
      await off.close();
    }
  });
});
