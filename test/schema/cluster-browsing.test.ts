import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AckClusterDetailSpec } from '../../src/ack/model/cluster.js';
import type { ObjectSpec } from '../../src/ack/model/dsl.js';
import { graphql } from '../gql/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { expectedObject, selectAll } from '../helpers/spec-expectations.js';

const CLUSTER_COUNT = 45;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ simulator: { clusterCount: CLUSTER_COUNT, nodePoolsPerCluster: 3 } });
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.cache.clear();
  gateway.simulator.resetStats();
});

const calls = () => gateway.simulator.stats().byAction;

/** The dashboard: clusters a page at a time, each with its summary and its node pools' counts. */
const Dashboard = graphql(`
  query Dashboard($after: String) {
    clusterList(first: 20, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor }
      nodes {
        id name state currentVersion regionId
        nodePools { name status { state totalNodes healthyNodes } }
      }
    }
  }
`);

describe('cluster details', () => {
  it('cost nothing when only id and node pools are asked, and one DescribeClusterDetail per cluster otherwise', async () => {
    const [a, b] = gateway.simulator.clusters;
    const onlyPools = await gateway.query(`query($a: ID!) { cluster(id: $a) { id nodePools { id } } }`, {
      a: a?.id,
    });
    expect(onlyPools.errors).toBeUndefined();
    expect(calls()).toEqual({ DescribeClusterNodePools: 1 });

    gateway.cache.clear();
    gateway.simulator.resetStats();
    const withDetails = await gateway.query(
      `query($a: ID!, $b: ID!) {
        x: cluster(id: $a) { name state currentVersion nodePools { id } }
        y: cluster(id: $a) { regionId created tags { key value } }
        z: clusters(ids: [$a, $b]) { clusterType vpcId }
        p: nodePools(clusterId: $b) { cluster { name } }
      }`,
      { a: a?.id, b: b?.id },
    );
    expect(withDetails.errors).toBeUndefined();
    expect(withDetails.data?.x.name).toBe(a?.detail.name);
    expect(calls()).toEqual({ DescribeClusterNodePools: 2, DescribeClusterDetail: 2 });
  });

  it('answers every detail field with the value ACK sent', async () => {
    const cluster = gateway.simulator.clusters[3];
    const fields = { ...AckClusterDetailSpec.fields } as Record<string, unknown>;
    delete fields.cluster_id;
    const spec = { ...AckClusterDetailSpec, fields } as ObjectSpec;
    const result = await gateway.query(`query($id: ID!) { cluster(id: $id) ${selectAll(spec)} }`, {
      id: cluster?.id,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.cluster).toEqual(
      expectedObject(spec, cluster?.detail as unknown as Record<string, unknown>),
    );
  });
});

describe('clusterList', () => {
  it('pages the dashboard to the end: per page one list call and one node-pool call per cluster, no detail call', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    do {
      gateway.simulator.resetStats();
      const { data, errors } = await gateway.query(Dashboard, { after });
      expect(errors).toBeUndefined();
      const page = data?.clusterList;
      if (!page) throw new Error('no page');
      expect(page.totalCount).toBe(CLUSTER_COUNT);
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      for (const node of page.nodes) {
        expect(node.name).toEqual(expect.any(String));
        expect(node.state).toEqual(expect.any(String));
        expect(node.nodePools).toHaveLength(3);
      }
      seen.push(...page.nodes.map((node) => node.id));
      expect(calls()).toEqual({ DescribeClustersV1: 1, DescribeClusterNodePools: page.nodes.length });
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(gateway.simulator.clusters.map((cluster) => cluster.id));
  });

  it('answers values from the list entry, with stable opaque cursors', async () => {
    const query = `{ clusterList(first: 5) { edges { cursor node { id name state clusterType currentVersion } } } }`;
    const first = await gateway.query(query);
    gateway.cache.clear();
    const again = await gateway.query(query);
    expect(again.data).toEqual(first.data);
    const edges = first.data?.clusterList.edges as { cursor: string; node: Record<string, string> }[];
    const [cluster] = gateway.simulator.clusters;
    expect(edges[0]?.node).toMatchObject({ id: cluster?.id, name: cluster?.listEntry.name });
    expect(new Set(edges.map((edge) => edge.cursor)).size).toBe(5);
    for (const edge of edges) expect(edge.cursor).not.toContain(edge.node.id ?? '');
  });

  it('continues from a cursor with any page size, one upstream call per page', async () => {
    const all = gateway.simulator.clusters.map((cluster) => cluster.id);
    const first = await gateway.query(`{ clusterList(first: 7) { pageInfo { endCursor } } }`);
    gateway.simulator.resetStats();
    const next = await gateway.query(
      `query($after: String) { clusterList(first: 11, after: $after) { nodes { id } } }`,
      {
        after: first.data?.clusterList.pageInfo.endCursor,
      },
    );
    const ids = next.data?.clusterList.nodes.map((node: { id: string }) => node.id);
    expect(ids).toEqual(all.slice(7, 7 + ids.length));
    expect(ids.length).toBeGreaterThan(0);
    expect(calls()).toEqual({ DescribeClustersV1: 1 });
    const back = await gateway.query(
      `query($before: String) { clusterList(last: 3, before: $before) { nodes { id } } }`,
      {
        before: first.data?.clusterList.pageInfo.endCursor,
      },
    );
    expect(back.data?.clusterList.nodes.map((node: { id: string }) => node.id)).toEqual(all.slice(3, 6));
  });

  it('filters upstream by region, type and name', async () => {
    const clusters = gateway.simulator.clusters;
    const region = clusters[1]?.listEntry.region_id;
    const type = clusters[2]?.listEntry.cluster_type;
    const name = clusters[4]?.listEntry.name ?? '';
    const result = await gateway.query(
      `query($region: String, $type: String, $name: String) {
        byRegion: clusterList(first: 100, filter: { regionId: $region }) { totalCount nodes { id regionId } }
        byType: clusterList(first: 100, filter: { clusterType: $type }) { totalCount nodes { id } }
        byName: clusterList(filter: { name: $name }) { nodes { id name } }
      }`,
      { region, type, name },
    );
    expect(result.errors).toBeUndefined();
    const expectIds = (predicate: (entry: (typeof clusters)[number]['listEntry']) => boolean) =>
      clusters.filter((cluster) => predicate(cluster.listEntry)).map((cluster) => cluster.id);
    expect(result.data?.byRegion.nodes.map((node: { id: string }) => node.id)).toEqual(
      expectIds((entry) => entry.region_id === region),
    );
    expect(result.data?.byRegion.totalCount).toBe(expectIds((entry) => entry.region_id === region).length);
    expect(result.data?.byType.nodes.map((node: { id: string }) => node.id)).toEqual(
      expectIds((entry) => entry.cluster_type === type),
    );
    expect(result.data?.byName.nodes.map((node: { id: string }) => node.id)).toEqual(
      expectIds((entry) => entry.name.includes(name)),
    );
    expect(calls()).toEqual({ DescribeClustersV1: 3 });
  });

  it('rejects an out-of-range page size or a foreign cursor before any upstream call', async () => {
    const cursor = (await gateway.query(`{ clusterList(first: 1) { pageInfo { endCursor } } }`)).data
      ?.clusterList.pageInfo.endCursor;
    gateway.simulator.resetStats();
    for (const [args, argument] of [
      ['first: 0', 'first'],
      ['first: 101', 'first'],
      ['first: -3', 'first'],
      ['last: 2', 'last'],
      ['first: 2, last: 2', 'last'],
      ['after: "bm90LWEtY3Vyc29y"', 'after'],
      [`after: "${cursor}", filter: { regionId: "cn-beijing" }`, 'after'],
      ['filter: { regionId: "cn/../x" }', 'filter.regionId'],
    ] as const) {
      const result = await gateway.query(`{ clusterList(${args}) { totalCount } }`);
      expect(result.data, args).toBeNull();
      expect(result.errors?.[0]?.extensions, args).toMatchObject({
        code: 'BAD_USER_INPUT',
        argumentName: argument,
      });
    }
    expect(gateway.simulator.stats().total).toBe(0);
  });
});

describe('node-pool filters', () => {
  it('filter the one cached list by name, type, state and isDefault on every list field', async () => {
    const cluster = gateway.simulator.clusters[0];
    const pools = cluster?.nodePools ?? [];
    const [first, second] = pools;
    const result = await gateway.query(
      `query($id: ID!, $name: String) {
        defaults: nodePools(clusterId: $id, isDefault: true) { id }
        others: nodePools(clusterId: $id, isDefault: false) { id }
        named: nodePools(clusterId: $id, name: $name) { id }
        typed: cluster(id: $id) { nodePools(type: ${second?.nodepool_info.type.toUpperCase()}) { id } }
        stated: cluster(id: $id) { nodePools(state: ${second?.status.state.toUpperCase()}, isDefault: false) { id } }
        none: nodePools(clusterId: $id, type: UNKNOWN) { id }
      }`,
      { id: cluster?.id, name: first?.nodepool_info.name },
    );
    expect(result.errors).toBeUndefined();
    const ids = (predicate: (pool: (typeof pools)[number]) => boolean) =>
      pools.filter(predicate).map((pool) => ({ id: pool.nodepool_info.nodepool_id }));
    expect(result.data).toEqual({
      defaults: ids((pool) => pool.nodepool_info.is_default),
      others: ids((pool) => !pool.nodepool_info.is_default),
      named: ids((pool) => pool.nodepool_info.name === first?.nodepool_info.name),
      typed: { nodePools: ids((pool) => pool.nodepool_info.type === second?.nodepool_info.type) },
      stated: {
        nodePools: ids(
          (pool) => pool.status.state === second?.status.state && !pool.nodepool_info.is_default,
        ),
      },
      none: [],
    });
    expect(calls()).toEqual({ DescribeClusterNodePools: 1 });
  });
});
