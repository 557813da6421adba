import { afterEach, describe, expect, it } from 'vitest';
import { AckApi } from '../../src/ack/ack-api.js';
import { AckCache } from '../../src/ack/ack-cache.js';
import { AckClient } from '../../src/ack/ack-client.js';
import { createLogger } from '../../src/logger.js';
import { startTestGateway, TEST_KEY, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const ids = (g: TestGateway) => g.simulator.clusters.map((cluster) => cluster.id);

/** Every access path to node pools, several times over, for three clusters. */
const EVERY_PATH = `query($a: ID!, $b: ID!, $c: ID!, $pa: ID!, $pb: ID!) {
  one: cluster(id: $a) { id nodePools { id name } nodePool(id: $pa) { id } }
  two: cluster(id: $a) { nodePools(name: "default-nodepool") { status { totalNodes } } }
  list: nodePools(clusterId: $a) { id cluster { id nodePools { id } } }
  pool: nodePool(clusterId: $b, id: $pb) { id management { enable } cluster { id } }
  again: nodePool(clusterId: $b, id: $pb) { id }
  many: clusters(ids: [$a, $b, $c, $a]) { id nodePools { id } nodePool(id: $pb) { id } }
  c1: nodePools(clusterId: $c) { id }
  c2: cluster(id: $c) { nodePool(id: $pa) { id } }
}`;

function everyPathVariables(g: TestGateway) {
  const [a, b, c] = g.simulator.clusters;
  return {
    a: a?.id,
    b: b?.id,
    c: c?.id,
    pa: a?.nodePools[1]?.nodepool_info.nodepool_id,
    pb: b?.nodePools[2]?.nodepool_info.nodepool_id,
  };
}

describe('per-request batching', () => {
  it('costs exactly one upstream call per distinct cluster, whatever the access paths (no cache)', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 3 }, cacheTtlMs: 0 });
    const result = await gateway.query(EVERY_PATH, everyPathVariables(gateway));
    expect(result.errors).toBeUndefined();
    expect(result.data?.many).toHaveLength(4);
    expect(gateway.simulator.stats().byAction).toEqual({ DescribeClusterNodePools: 3 });
    expect(Object.values(gateway.simulator.stats().byCluster).every((count) => count === 1)).toBe(true);
    // Without the data cache, the next request asks again: the loaders are per request.
    await gateway.query(EVERY_PATH, everyPathVariables(gateway));
    expect(gateway.upstreamCalls()).toBe(6);
  });

  it('decides cluster(id) existence with the same call that loads its node pools', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 1 }, cacheTtlMs: 0 });
    const [id] = ids(gateway);
    const result = await gateway.query(`query($id: ID!) { cluster(id: $id) { id nodePools { id } } }`, {
      id,
    });
    expect(result.errors).toBeUndefined();
    expect(gateway.upstreamCalls()).toBe(1);
  });
});

describe('process-wide cache', () => {
  it('serves a repeated query within the TTL with zero upstream calls, and asks again after it', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 3 }, cacheTtlMs: 400 });
    const first = await gateway.query(EVERY_PATH, everyPathVariables(gateway));
    expect(gateway.upstreamCalls()).toBe(3);
    const second = await gateway.query(EVERY_PATH, everyPathVariables(gateway));
    expect(second).toEqual(first);
    expect(gateway.upstreamCalls()).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await gateway.query(EVERY_PATH, everyPathVariables(gateway));
    expect(gateway.upstreamCalls()).toBe(6);
  });

  it('shares one in-flight call among concurrent cold requests: N requests over K clusters cost K calls', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 4, latencyMs: 150 } });
    const g = gateway;
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        g.query(`query($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { id } } }`, {
          ids: index % 2 ? ids(g) : [...ids(g)].reverse(),
        }),
      ),
    );
    for (const result of results) expect(result.errors).toBeUndefined();
    expect(g.upstreamCalls()).toBe(4);
  });

  it('never shares entries between different endpoints or credentials', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 1 } });
    const [id = ''] = ids(gateway);
    const sharedCache = new AckCache({ ttlMs: 60_000 });
    const logger = createLogger('silent');
    const { endpoint } = gateway;
    const api = (secret: string) =>
      new AckApi(
        new AckClient({
          endpoint,
          protocol: 'http',
          credentials: { accessKeyId: TEST_KEY.accessKeyId, accessKeySecret: secret },
        }),
        sharedCache,
        logger,
      );
    const right = api(TEST_KEY.accessKeySecret);
    await right.nodePools(id);
    expect(gateway.upstreamCalls()).toBe(1);
    await right.nodePools(id);
    expect(gateway.upstreamCalls()).toBe(1);
    await expect(api('wrong-secret').nodePools(id)).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(gateway.simulator.stats().rejectedSignatures).toBe(1);
  });
});
