import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('freshness as data', () => {
  it('node pools and cluster details carry observedAt and stale, fresh and then stale-if-error', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 1 }, cacheTtlMs: 200 });
    const [cluster] = gateway.simulator.clusters;
    const query = `query($id: ID!) { cluster(id: $id) { name observedAt stale nodePools { id observedAt stale } } }`;
    const before = Date.now();
    const fresh = await gateway.query(query, { id: cluster?.id });
    expect(fresh.errors).toBeUndefined();
    const freshCluster = fresh.data?.cluster;
    expect(freshCluster.stale).toBe(false);
    expect(Date.parse(freshCluster.observedAt)).toBeGreaterThanOrEqual(before - 1);
    for (const pool of freshCluster.nodePools) expect(pool).toMatchObject({ stale: false });
    await sleep(300);
    gateway.simulator.setFault(cluster?.id ?? '', 'server-error');
    const stale = await gateway.query(query, { id: cluster?.id });
    const staleCluster = stale.data?.cluster;
    expect(staleCluster).toMatchObject({
      name: freshCluster.name,
      stale: true,
      observedAt: freshCluster.observedAt,
    });
    for (const pool of staleCluster.nodePools)
      expect(pool).toMatchObject({ stale: true, observedAt: freshCluster.nodePools[0].observedAt });
    // Direct callers still get the warnings.
    expect(
      (stale as { extensions?: { warnings?: { code: string }[] } }).extensions?.warnings?.[0]?.code,
    ).toBe('STALE_DATA');
  });

  it('a listed cluster answers its freshness from the list page, without a detail call', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 3 } });
    const result = await gateway.query('{ clusterList { nodes { id name observedAt stale } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.clusterList.nodes).toHaveLength(3);
    for (const node of result.data?.clusterList.nodes ?? []) expect(node.stale).toBe(false);
    expect(gateway.simulator.stats().byAction.DescribeClusterDetail ?? 0).toBe(0);
    expect(gateway.upstreamCalls()).toBe(1);
  });
});
