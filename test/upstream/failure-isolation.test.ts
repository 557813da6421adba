import { describe, expect, it } from 'vitest';
import { AckApi } from '../../src/ack/ack-api.js';
import type { AckError } from '../../src/ack/errors.js';
import { hashApiKey } from '../../src/auth/api-key.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { DEFAULT_RETRY_MAX_ATTEMPTS } from '../../src/defaults.js';
import { createLogger } from '../../src/logger.js';
import { type GraphQLErrorJson, gatewayPerTest, type TestGatewayOptions } from '../helpers/gateway.js';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorJson[];
}

/**
 * Issue 9: one cluster's failure never costs another cluster its answer, and one caller's burst
 * never costs another caller its answer. Through the real SDK over HTTP to the simulator, with
 * the production breaker defaults and retries on; upstream calls are counted at the simulator.
 */

/** Cluster ids the simulator does not know: each answers with its fault (or 404). */
const FAILING = {
  forbidden: 'cforbidden00000000000000000000001',
  throttled: 'cthrottled00000000000000000000001',
  unavailable: 'cunavailable000000000000000000001',
  'non-json': 'cnonjson0000000000000000000000001',
} as const;
const MISSING = 'cnotfound00000000000000000000000001';
const FAILING_IDS = [...Object.values(FAILING), MISSING];

/** What each failing cluster may answer (`code`, `upstream.code`): its own failure, or its open circuit. */
const CIRCUIT_OPEN = ['UPSTREAM_UNAVAILABLE', 'CircuitOpen'];
const FAILING_ANSWERS: Record<string, (string | undefined)[][]> = {
  [FAILING.forbidden]: [['FORBIDDEN', 'StatusForbidden']],
  [FAILING.throttled]: [['UPSTREAM_THROTTLED', 'Throttling.User']],
  [FAILING.unavailable]: [['UPSTREAM_UNAVAILABLE', 'ServiceUnavailable'], CIRCUIT_OPEN],
  [FAILING['non-json']]: [['UPSTREAM_BAD_RESPONSE', undefined], CIRCUIT_OPEN],
};

const CLUSTERS_WITH_POOLS = `query($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { id } } }`;
const NODE_POOLS = `query($id: ID!) { nodePools(clusterId: $id) { id } }`;

const start = gatewayPerTest();

/** The production guard (retries included), a short throttle retry-after to keep the test quick. */
const PRODUCTION: TestGatewayOptions = {
  simulator: {
    clusterCount: 100,
    faults: {
      [FAILING.forbidden]: 'forbidden',
      [FAILING.throttled]: 'throttled',
      [FAILING.unavailable]: 'unavailable',
      [FAILING['non-json']]: 'non-json',
    },
    throttleRetryAfterMs: 150,
  },
  client: { resilience: { retryMaxAttempts: DEFAULT_RETRY_MAX_ATTEMPTS, retryBaseDelayMs: 20 } },
};

/** Asserts a clusters(ids) answer: each healthy cluster whole, each failing one only its own error. */
function expectIsolated(result: Answer, ids: readonly string[], healthy: ReadonlySet<string>) {
  const clusters = result.data?.clusters as ({ id: string; nodePools: unknown[] } | null)[];
  ids.forEach((id, index) => {
    if (healthy.has(id)) {
      expect(clusters[index], `healthy cluster ${id}`).toEqual({ id, nodePools: expect.any(Array) });
      expect(clusters[index]?.nodePools).toHaveLength(5);
    } else {
      expect(clusters[index], `failing cluster ${id}`).toBeNull();
    }
  });
  const errors = result.errors ?? [];
  for (const error of errors) {
    const id = ids[error.path?.[1] as number] ?? '';
    expect(healthy.has(id), `an error on healthy cluster ${id}: ${error.message}`).toBe(false);
    expect(FAILING_ANSWERS[id]).toContainEqual([error.extensions?.code, error.extensions?.upstream?.code]);
  }
  // One error per failing cluster; the missing one is null without error.
  expect(errors.map((error) => ids[error.path?.[1] as number]).sort()).toEqual(Object.values(FAILING).sort());
}

describe('one cluster failing never costs another its answer', () => {
  it('30 never-seen healthy clusters beside 403, throttling, 503, HTML 502 and 404 all answer, round after round', async () => {
    const g = await start(PRODUCTION);
    const all = g.simulator.clusters.map((cluster) => cluster.id);
    const [first, second, third] = [all.slice(0, 30), all.slice(30, 60), all.slice(60, 90)];
    // Repeats answer the healthy clusters from the cache: then only the failing ones reach ACK,
    // which is what opened one breaker for the whole endpoint before each cluster had its own.
    const rounds = [first, first, first, first, second, second, third, first];
    for (const healthyIds of rounds) {
      // Failing clusters first and last: their answers arrive before and after the healthy ones.
      const ids = [...FAILING_IDS.slice(0, 3), ...healthyIds, ...FAILING_IDS.slice(3)];
      const result = await g.query(CLUSTERS_WITH_POOLS, { ids });
      expectIsolated(result, ids, new Set(healthyIds));
    }
    expect(g.client.status()).toMatchObject({ circuit: 'closed', queued: 0, inFlight: 0 });
    // Only the clusters whose own answers were failures have an open circuit.
    expect(g.client.clusterCircuit(FAILING.unavailable)).toBe('open');
    expect(g.client.clusterCircuit(FAILING['non-json'])).toBe('open');
    for (const id of [FAILING.forbidden, FAILING.throttled, MISSING, ...all.slice(0, 90)]) {
      expect(g.client.clusterCircuit(id)).toBe('closed');
    }
  });

  it("a failing cluster's circuit opens, then the cluster costs zero upstream calls", async () => {
    const g = await start(PRODUCTION);
    const [healthy = ''] = g.simulator.clusters.map((cluster) => cluster.id);
    // Five attempts open the circuit: the first query's three, the second's first two.
    for (let i = 0; i < 2; i++) {
      const result = await g.query(NODE_POOLS, { id: FAILING.unavailable });
      expect(result.errors?.[0]?.extensions?.upstream?.code).toBe('ServiceUnavailable');
    }
    expect(g.simulator.stats().byCluster[FAILING.unavailable]).toBe(5);
    expect(g.client.clusterCircuit(FAILING.unavailable)).toBe('open');

    g.simulator.resetStats();
    for (let i = 0; i < 5; i++) {
      const result = await g.query(
        `query($bad: ID!, $good: ID!) { bad: nodePools(clusterId: $bad) { id } good: nodePools(clusterId: $good) { id } }`,
        { bad: FAILING.unavailable, good: healthy },
      );
      expect(result.data?.bad).toBeNull();
      expect(result.data?.good).toHaveLength(5);
      expect(result.errors?.map((error) => [error.path, error.extensions])).toEqual([
        [
          ['bad'],
          expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', upstream: { code: 'CircuitOpen' } }),
        ],
      ]);
    }
    // The healthy cluster was asked once (then cached); the failing one never.
    expect(g.simulator.stats().byCluster).toEqual({ [healthy]: 1 });
  });

  it('keeps the healthy sibling of three malformed ids after earlier requests touched failing clusters', async () => {
    const g = await start(PRODUCTION);
    const [healthy = ''] = g.simulator.clusters.map((cluster) => cluster.id);
    for (let i = 0; i < 3; i++) await g.query(CLUSTERS_WITH_POOLS, { ids: FAILING_IDS });
    const result = await g.query(
      `query($good: ID!) { clusters(ids: ["not an id", "../../etc", "-x"]) { id } good: nodePools(clusterId: $good) { id } }`,
      { good: healthy },
    );
    expect(result.data?.clusters).toEqual([null, null, null]);
    expect(result.data?.good).toHaveLength(5);
    expect(result.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['clusters', 0], 'BAD_USER_INPUT'],
      [['clusters', 1], 'BAD_USER_INPUT'],
      [['clusters', 2], 'BAD_USER_INPUT'],
    ]);
    expect(g.client.status().circuit).toBe('closed');
  });

  it('a throttled answer slows every call down but refuses none and opens no circuit', async () => {
    const g = await start({
      ...PRODUCTION,
      simulator: { ...PRODUCTION.simulator, latencyMs: 20, throttleRetryAfterMs: 300 },
      client: { resilience: { retryMaxAttempts: 1, maxConcurrency: 8 } },
    });
    const healthy = g.simulator.clusters.slice(0, 12).map((cluster) => cluster.id);
    const throttled = await g.query(NODE_POOLS, { id: FAILING.throttled });
    const throttledAt = performance.now();
    expect(throttled.errors?.[0]?.extensions?.code).toBe('UPSTREAM_THROTTLED');
    expect(g.client.status().concurrencyLimit).toBe(4);

    const result = await g.query(`query($ids: [ID!]!) { clusters(ids: $ids) { id } }`, { ids: healthy });
    // The pause for ACK's retry-after held the calls back, then they all were answered.
    expect(performance.now() - throttledAt).toBeGreaterThanOrEqual(250);
    expect(result).toEqual({ data: { clusters: healthy.map((id) => ({ id })) } });
    expect(g.client.status()).toMatchObject({ circuit: 'closed', openClusters: 0, concurrencyLimit: 8 });
  });
});

describe('one caller bursting never costs another caller its answer', () => {
  /** Two slots, small queues, slow answers: a burst of 30 fills its share at once. */
  const SHARED_QUEUE: TestGatewayOptions = {
    simulator: { clusterCount: 40, nodePoolsPerCluster: 1, latencyMs: 150 },
    client: { resilience: { maxConcurrency: 2, maxQueue: 12, maxQueuePerCaller: 4 } },
  };

  it('through the client: the burst is refused past its share, the other caller is answered', async () => {
    const g = await start(SHARED_QUEUE);
    const api = new AckApi(g.client, g.cache, createLogger('silent'));
    const [calm = '', ...busy] = g.simulator.clusters.map((cluster) => cluster.id);
    const finished: string[] = [];
    const burst = busy.slice(0, 30).map((id) =>
      api.nodePools(id, { caller: 'burst' }).then(
        () => {
          finished.push(id);
          return 'ok';
        },
        (error: AckError) => error.details.upstreamCode,
      ),
    );
    const answer = await api.nodePools(calm, { caller: 'calm' });
    finished.push(calm);
    const outcomes = await Promise.all(burst);

    expect(answer.nodePools).toHaveLength(1);
    // 2 running and 4 waiting of the burst; the other 24 refused at once.
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(6);
    expect(outcomes.filter((outcome) => outcome === 'QueueFull')).toHaveLength(24);
    // Round-robin: the calm caller got the second free slot, not the one after the burst's queue.
    expect(finished.indexOf(calm)).toBeLessThan(finished.length - 2);
    expect(g.simulator.stats().total).toBe(7);
  });

  it('through the gateway: two API keys, one bursts, the other still succeeds', async () => {
    const keys = { burst: 'burst-key-0123456789abcdef', calm: 'calm-key-0123456789abcdef' };
    const authenticate = createAuthenticator({
      mode: 'api-key',
      keys: [
        { name: 'burst', sha256: hashApiKey(keys.burst) },
        { name: 'calm', sha256: hashApiKey(keys.calm) },
      ],
    });
    const g = await start({ ...SHARED_QUEUE, app: { authenticate } });
    const [calm = '', ...busy] = g.simulator.clusters.map((cluster) => cluster.id);
    const as = async (key: string, query: string, variables: Record<string, unknown>) => {
      const response = await g.app.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Answer;
    };
    const burst = as(keys.burst, `query($ids: [ID!]!) { clusters(ids: $ids) { id } }`, {
      ids: busy.slice(0, 30),
    });
    // Let the burst's calls reach the queue first.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const calmResult = await as(keys.calm, NODE_POOLS, { id: calm });
    const burstResult = await burst;

    expect(calmResult).toEqual({ data: { nodePools: [{ id: expect.any(String) }] } });
    const refused = (burstResult.errors ?? []).map((error) => error.extensions?.upstream?.code);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(['QueueFull']));
    const answered = (burstResult.data?.clusters ?? []) as unknown[];
    expect(answered.filter((cluster) => cluster !== null)).toHaveLength(30 - refused.length);
  });
});
