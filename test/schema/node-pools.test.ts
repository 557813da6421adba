import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AckNodePoolSpec } from '../../src/ack/model/node-pool.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { SENSITIVE_SCOPE } from '../../src/auth/principal.js';
import { graphql } from '../gql/index.js';
import { startTestGateway, TEST_KEY, type TestGateway } from '../helpers/gateway.js';
import { expectedObject, selectAll } from '../helpers/spec-expectations.js';

const EVERY_FIELD = selectAll(AckNodePoolSpec);

const RealisticValues = graphql(`
  query RealisticValues($id: ID!) {
    cluster(id: $id) {
      id
      nodePools {
        id clusterId name type isDefault created updated
        status { state totalNodes servingNodes }
        scalingGroup { instanceTypes dataDisks { category size encrypted } multiAzPolicy spotStrategy }
        kubernetesConfig { labels { key value } taints { key value effect } cpuPolicy }
        nodeConfig { kubeletConfiguration { evictionHard maxPods } }
        nodeComponents { name version config { customConfig } }
        cluster { id }
      }
    }
  }
`);
const UNKNOWN_CLUSTER = 'c00000000000000000000000000000000';
const UNKNOWN_POOL = 'np0000000000000000000000000000000';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    simulator: { clusterCount: 3, nodePoolsPerCluster: [5, 5, 5] },
    // The caller may read the sensitive fields (user data scripts), so every field is asked.
    app: { authenticate: createAuthenticator({ mode: 'none', anonymousScopes: [SENSITIVE_SCOPE] }) },
  });
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.simulator.resetStats();
  gateway.cache.clear();
});

const cluster = (index: number) => {
  const found = gateway.simulator.clusters[index];
  if (!found) throw new Error(`no cluster ${index}`);
  return found;
};

describe('node pools through the SDK and the simulator', () => {
  it('answers every documented field of every pool under its camelCase name', async () => {
    for (const index of [0, 1, 2]) {
      const { id, nodePools } = cluster(index);
      const result = await gateway.query(`query($id: ID!) { nodePools(clusterId: $id) ${EVERY_FIELD} }`, {
        id,
      });
      expect(result.errors).toBeUndefined();
      const expected = nodePools.map((pool) =>
        expectedObject(AckNodePoolSpec, pool as unknown as Record<string, unknown>),
      );
      expect(result.data?.nodePools).toEqual(expected);
    }
  });

  it('serves realistic values: enums, DateTime, string booleans, maps, labels and taints', async () => {
    const { id } = cluster(0);
    const { data, errors } = await gateway.query(RealisticValues, { id });
    expect(errors).toBeUndefined();
    const pools = data?.cluster?.nodePools ?? [];
    expect(pools).toHaveLength(5);
    expect(pools[0]).toMatchObject({
      name: 'default-nodepool',
      isDefault: true,
      clusterId: id,
      cluster: { id },
    });
    expect(pools.filter((pool) => pool.isDefault)).toHaveLength(1);
    expect(new Set(pools.map((pool) => pool.type))).toEqual(new Set(['ESS', 'EDGE', 'LINGJUN']));
    expect(new Set(pools.map((pool) => pool.status?.state)).size).toBe(5);
    for (const pool of pools) {
      expect(pool.id).toMatch(/^np[0-9a-f]{32}$/);
      expect(pool.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(pool.status?.servingNodes).toBeLessThanOrEqual(pool.status?.totalNodes ?? -1);
      for (const disk of pool.scalingGroup?.dataDisks ?? []) expect(typeof disk.encrypted).toBe('boolean');
    }
    const instanceTypes = new Set(pools.flatMap((pool) => pool.scalingGroup?.instanceTypes ?? []));
    expect(instanceTypes.size).toBeGreaterThan(2);
    expect(pools.some((pool) => (pool.kubernetesConfig?.taints?.length ?? 0) > 0)).toBe(true);
    expect(pools.some((pool) => (pool.kubernetesConfig?.labels?.length ?? 0) > 0)).toBe(true);
    expect(
      pools.some((pool) => typeof pool.nodeConfig?.kubeletConfiguration?.evictionHard === 'object'),
    ).toBe(true);
  });

  it('never exposes the login password the upstream sends', async () => {
    const { id, nodePools } = cluster(0);
    expect(JSON.stringify(nodePools)).toContain('login_password');
    const response = await gateway.app.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($id: ID!) { nodePools(clusterId: $id) ${EVERY_FIELD} }`,
        variables: { id },
      }),
    });
    const text = await response.text();
    expect(text).not.toMatch(/password/i);
    expect(text).not.toContain('******');
    const asked = await gateway.query(
      `query($id: ID!) { nodePools(clusterId: $id) { scalingGroup { loginPassword } } }`,
      {
        id,
      },
    );
    expect(asked.errors?.[0]?.message).toMatch(/Cannot query field "loginPassword"/);
    expect(text).not.toContain(TEST_KEY.accessKeySecret);
  });

  it('answers user data scripts only to callers holding the sensitive scope', async () => {
    const plain = await startTestGateway();
    try {
      const id = plain.simulator.clusters[0]?.id;
      const result = await plain.query(
        `query($id: ID!) { nodePools(clusterId: $id) { id kubernetesConfig { runtime userData preUserData } } }`,
        { id },
      );
      const pools = result.data?.nodePools as { id: string; kubernetesConfig: Record<string, unknown> }[];
      expect(pools).toHaveLength(5);
      for (const pool of pools) {
        expect(pool.kubernetesConfig).toEqual({
          runtime: expect.any(String),
          userData: null,
          preUserData: null,
        });
      }
      expect(new Set(result.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
      expect(result.errors).toHaveLength(10);
      const scripts =
        plain.simulator.clusters[0]?.nodePools.map((pool) => pool.kubernetes_config.user_data) ?? [];
      for (const script of scripts.filter(Boolean)) expect(JSON.stringify(result)).not.toContain(script);
    } finally {
      await plain.close();
    }
  });

  it('filters by name on the one cached list', async () => {
    const { id, nodePools } = cluster(1);
    const name = nodePools[2]?.nodepool_info.name;
    const { data } = await gateway.query(
      `query($id: ID!, $name: String) { a: nodePools(clusterId: $id, name: $name) { name } b: cluster(id: $id) { nodePools(name: "no-such-pool") { name } } }`,
      { id, name },
    );
    expect(data).toEqual({ a: [{ name }], b: { nodePools: [] } });
    expect(gateway.upstreamCalls()).toBe(1);
  });

  it('answers a missing cluster or pool as null without an error', async () => {
    const { id } = cluster(0);
    const result = await gateway.query(
      `query($c: ID!, $p: ID!, $unknown: ID!) {
        cluster(id: $unknown) { id }
        nodePools(clusterId: $unknown) { id }
        nodePool(clusterId: $c, id: $p) { id }
        orphan: nodePool(clusterId: $unknown, id: $p) { id }
        known: cluster(id: $c) { id nodePool(id: $p) { id } }
        clusters(ids: [$unknown, $c]) { id }
      }`,
      { c: id, p: UNKNOWN_POOL, unknown: UNKNOWN_CLUSTER },
    );
    expect(result).toEqual({
      data: {
        cluster: null,
        nodePools: null,
        nodePool: null,
        orphan: null,
        known: { id, nodePool: null },
        clusters: [null, { id }],
      },
    });
  });

  it('rejects malformed ids with BAD_USER_INPUT before any upstream call', async () => {
    const { id } = cluster(0);
    for (const bad of ['../etc', 'a/b', 'x y', '%2F', '', '-leading-dash', 'a.b', 'x'.repeat(129), 'c?x=1']) {
      const result = await gateway.query(
        `query($bad: ID!, $good: ID!) {
          cluster(id: $bad) { id }
          nodePools(clusterId: $bad) { id }
          nodePool(clusterId: $good, id: $bad) { id }
          byCluster: nodePool(clusterId: $bad, id: $good) { id }
        }`,
        { bad, good: 'np1' },
      );
      expect(result.data, bad).toEqual({ cluster: null, nodePools: null, nodePool: null, byCluster: null });
      expect(result.errors?.map((error) => [error.path?.[0], error.extensions?.code]).sort()).toEqual([
        ['byCluster', 'BAD_USER_INPUT'],
        ['cluster', 'BAD_USER_INPUT'],
        ['nodePool', 'BAD_USER_INPUT'],
        ['nodePools', 'BAD_USER_INPUT'],
      ]);
    }
    expect(gateway.upstreamCalls()).toBe(0);

    const mixed = await gateway.query(`query($ids: [ID!]!) { clusters(ids: $ids) { id } }`, {
      ids: [id, 'bad/id'],
    });
    expect(mixed.data).toEqual({ clusters: [{ id }, null] });
    expect(mixed.errors).toMatchObject([{ path: ['clusters', 1], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(gateway.upstreamCalls()).toBe(1);

    const tooMany = await gateway.query(`query($ids: [ID!]!) { clusters(ids: $ids) { id } }`, {
      ids: Array.from({ length: 101 }, (_, index) => `c${index}`),
    });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gateway.upstreamCalls()).toBe(1);
  });
});

describe('upstream values the SDK would choke on', () => {
  let quirky: TestGateway;
  beforeAll(async () => {
    quirky = await startTestGateway({ simulator: { clusterCount: 2 } });
    const [malformed, future] = quirky.simulator.clusters;
    quirky.simulator.setOptions({
      faults: { [malformed?.id ?? '']: 'malformed', [future?.id ?? '']: 'future' },
    });
  });
  afterAll(() => quirky.close());

  it('maps values ACK adds later to UNKNOWN and empty strings to null, without errors', async () => {
    const id = quirky.simulator.clusters[1]?.id;
    const result = await quirky.query<{ nodePools: Record<string, any>[] }>(
      `query($id: ID!) { nodePools(clusterId: $id) { id type status { state } scalingGroup { multiAzPolicy spotStrategy } } }`,
      { id },
    );
    expect(result.errors).toBeUndefined();
    const pools = result.data?.nodePools ?? [];
    expect(pools.some((pool) => pool.type === 'UNKNOWN')).toBe(true);
    expect(pools.some((pool) => pool.status.state === 'UNKNOWN')).toBe(true);
    expect(pools.some((pool) => pool.scalingGroup.multiAzPolicy === 'UNKNOWN')).toBe(true);
    expect(pools.some((pool) => pool.scalingGroup.spotStrategy === null)).toBe(true);
  });

  it("keeps the other pools, and the odd pool's other fields, when one pool carries odd values", async () => {
    const { id, nodePools } = quirky.simulator.clusters[0] ?? { id: '', nodePools: [] };
    const result = await quirky.query<{ nodePools: Record<string, any>[] }>(
      `query($id: ID!) { nodePools(clusterId: $id) { id name isDefault status { totalNodes state } scalingGroup { instanceTypes } } }`,
      { id },
    );
    const pools = result.data?.nodePools ?? [];
    // The pool without an id cannot be addressed and is left out; every other pool is there.
    expect(pools.map((pool) => pool.id)).toEqual(nodePools.map((pool) => pool.nodepool_info.nodepool_id));
    const odd = pools.filter((pool) => pool.status.totalNodes === null);
    expect(odd).toHaveLength(1);
    expect(odd[0]?.name).toEqual(expect.any(String));
    expect(odd[0]?.status.state).toEqual(expect.any(String));
    const oddIndex = pools.indexOf(odd[0] as Record<string, any>);
    expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions?.code]).sort()).toEqual(
      [
        [`nodePools.${oddIndex}.isDefault`, 'UPSTREAM_BAD_RESPONSE'],
        [`nodePools.${oddIndex}.scalingGroup.instanceTypes`, 'UPSTREAM_BAD_RESPONSE'],
        [`nodePools.${oddIndex}.status.totalNodes`, 'UPSTREAM_BAD_RESPONSE'],
      ].sort(),
    );
  });
});
