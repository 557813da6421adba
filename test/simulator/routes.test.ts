import {
  DescribeClusterNodePoolsRequest,
  type DescribeClusterNodePoolsResponseBodyNodepools,
  DescribeClustersV1Request,
} from '@alicloud/cs20151215';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AckSimulator,
  type AckSimulatorAddress,
  createAckSimulator,
  generateClusters,
} from '../../src/simulator/index.js';
import { send, signRaw } from '../helpers/raw-signer.js';
import { sdkClient, thrown } from '../helpers/sdk-client.js';

describe('ACK routes through the real SDK', () => {
  let simulator: AckSimulator;
  let address: AckSimulatorAddress;
  let client: ReturnType<typeof sdkClient>;

  beforeAll(async () => {
    simulator = createAckSimulator({ clusterCount: 23 });
    address = await simulator.listen();
    client = sdkClient(address);
  });
  afterAll(() => simulator.close());

  it('serves what generateClusters computes', () => {
    expect(simulator.clusters).toEqual(generateClusters({ clusterCount: 23 }));
  });

  it('DescribeClusterNodePools fills the typed models', async () => {
    const cluster = simulator.clusters[1]!;
    const { body } = await client.describeClusterNodePools(
      cluster.id,
      new DescribeClusterNodePoolsRequest({}),
    );
    const pools = body!.nodepools!;
    expect(pools).toHaveLength(cluster.nodePools.length);
    pools.forEach((pool: DescribeClusterNodePoolsResponseBodyNodepools, index: number) => {
      const expected = cluster.nodePools[index]!;
      expect(pool.nodepoolInfo).toMatchObject({
        nodepoolId: expected.nodepool_info.nodepool_id,
        name: expected.nodepool_info.name,
        type: expected.nodepool_info.type,
        isDefault: expected.nodepool_info.is_default,
        created: expected.nodepool_info.created,
        updated: expected.nodepool_info.updated,
      });
      expect(pool.status).toMatchObject({
        state: expected.status.state,
        totalNodes: expected.status.total_nodes,
        servingNodes: expected.status.serving_nodes,
        healthyNodes: expected.status.healthy_nodes,
      });
      expect(pool.scalingGroup?.instanceTypes).toEqual(expected.scaling_group.instance_types);
      expect(pool.scalingGroup?.dataDisks?.map((d) => d.encrypted)).toEqual(
        expected.scaling_group.data_disks.map((d) => d.encrypted),
      );
      expect(pool.scalingGroup?.loginPassword).toBe('******');
      expect(pool.kubernetesConfig?.taints?.map((t) => t.effect)).toEqual(
        expected.kubernetes_config.taints.map((t) => t.effect),
      );
      expect(pool.nodeConfig?.kubeletConfiguration?.evictionHard).toEqual(
        expected.node_config.kubelet_configuration.evictionHard,
      );
      expect(pool.nodeConfig?.nodeOsConfig?.hugepage?.transparentEnabled).toBe(
        expected.node_config.node_os_config.hugepage.transparentEnabled,
      );
      expect(pool.nodeComponents?.[0]?.config?.customConfig).toEqual(
        expected.node_components[0]!.config.custom_config,
      );
    });
  });

  it('filters by NodepoolName (exact match)', async () => {
    const cluster = simulator.clusters[0]!;
    const target = cluster.nodePools[3]!.nodepool_info;
    const { body } = await client.describeClusterNodePools(
      cluster.id,
      new DescribeClusterNodePoolsRequest({ nodepoolName: target.name }),
    );
    expect(body!.nodepools!.map((p) => p.nodepoolInfo?.nodepoolId)).toEqual([target.nodepool_id]);
    const partial = await client.describeClusterNodePools(
      cluster.id,
      new DescribeClusterNodePoolsRequest({ nodepoolName: target.name.slice(0, 4) }),
    );
    expect(partial.body!.nodepools).toEqual([]);
  });

  it('DescribeClusterNodePoolDetail returns the one pool, and ErrorNodePoolNotFound for others', async () => {
    const cluster = simulator.clusters[2]!;
    const expected = cluster.nodePools[4]!;
    const { body } = await client.describeClusterNodePoolDetail(
      cluster.id,
      expected.nodepool_info.nodepool_id,
    );
    expect(body!.nodepoolInfo?.name).toBe(expected.nodepool_info.name);
    expect(body!.status?.conditions?.[0]?.type).toBe('Ready');
    expect(body!.scalingGroup?.instanceMetadataOptions?.httpTokens).toBe(
      expected.scaling_group.instance_metadata_options.http_tokens,
    );
    const missing = await thrown(() =>
      client.describeClusterNodePoolDetail(cluster.id, `np${'0'.repeat(32)}`),
    );
    expect(missing).toMatchObject({ code: 'ErrorNodePoolNotFound', statusCode: 404 });
    const noCluster = await thrown(() => client.describeClusterNodePoolDetail(`c${'0'.repeat(32)}`, 'np1'));
    expect(noCluster).toMatchObject({ code: 'ErrorClusterNotFound', statusCode: 404 });
  });

  it('DescribeClusterDetail', async () => {
    const cluster = simulator.clusters[4]!;
    const { body } = await client.describeClusterDetail(cluster.id);
    expect(body).toMatchObject({
      clusterId: cluster.id,
      name: cluster.detail.name,
      regionId: cluster.detail.region_id,
      clusterType: cluster.detail.cluster_type,
      state: cluster.detail.state,
      currentVersion: cluster.detail.current_version,
      size: cluster.detail.size,
      vpcId: cluster.detail.vpc_id,
    });
    const missing = await thrown(() => client.describeClusterDetail(`c${'f'.repeat(32)}`));
    expect(missing).toMatchObject({ code: 'ErrorClusterNotFound', statusCode: 404 });
  });

  it('DescribeClustersV1 pages to the end', async () => {
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const { body } = await client.describeClustersV1(
        new DescribeClustersV1Request({ pageNumber: page, pageSize: 5 }),
      );
      expect(body!.pageInfo).toMatchObject({ pageNumber: page, pageSize: 5, totalCount: 23 });
      const ids = body!.clusters!.map((c) => c.clusterId!);
      if (ids.length === 0) break;
      seen.push(...ids);
      expect(page).toBeLessThan(10);
    }
    expect(seen).toEqual(simulator.clusters.map((c) => c.id));
    const first = await client.describeClustersV1(new DescribeClustersV1Request({}));
    expect(first.body!.pageInfo).toMatchObject({ pageNumber: 1, pageSize: 10, totalCount: 23 });
    expect(first.body!.clusters).toHaveLength(10);
  });

  it('DescribeClustersV1 filters by name, cluster_type, region_id and cluster_id', async () => {
    const all = simulator.clusters;
    const byType = await client.describeClustersV1(
      new DescribeClustersV1Request({ clusterType: 'Kubernetes', pageSize: 100 }),
    );
    expect(byType.body!.clusters!.map((c) => c.clusterId)).toEqual(
      all.filter((c) => c.detail.cluster_type === 'Kubernetes').map((c) => c.id),
    );
    const byRegion = await client.describeClustersV1(
      new DescribeClustersV1Request({ regionId: 'cn-beijing', pageSize: 100 }),
    );
    expect(byRegion.body!.pageInfo!.totalCount).toBe(
      all.filter((c) => c.detail.region_id === 'cn-beijing').length,
    );
    const byName = await client.describeClustersV1(
      new DescribeClustersV1Request({ name: 'hangzhou', pageSize: 100 }),
    );
    expect(byName.body!.clusters!.every((c) => c.name!.includes('hangzhou'))).toBe(true);
    expect(byName.body!.pageInfo!.totalCount).toBeGreaterThan(0);
    const byId = await client.describeClustersV1(new DescribeClustersV1Request({ clusterId: all[7]!.id }));
    expect(byId.body!.clusters!.map((c) => c.name)).toEqual([all[7]!.detail.name]);
    const tooBig = await thrown(() =>
      client.describeClustersV1(new DescribeClustersV1Request({ pageSize: 101 })),
    );
    expect(tooBig).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
  });

  it('counts answered requests by action and cluster, and resets', async () => {
    simulator.resetStats();
    const [a, b] = simulator.clusters;
    await client.describeClusterNodePools(a!.id, new DescribeClusterNodePoolsRequest({}));
    await client.describeClusterNodePools(a!.id, new DescribeClusterNodePoolsRequest({}));
    await client.describeClusterDetail(b!.id);
    await thrown(() => client.describeClusterDetail('cmissing'));
    await thrown(() => sdkClient(address, { accessKeySecret: 'x' }).describeClusterDetail(b!.id));
    expect(simulator.stats()).toEqual({
      total: 4,
      byAction: { DescribeClusterNodePools: 2, DescribeClusterDetail: 2 },
      byCluster: { [a!.id]: 2, [b!.id]: 1, cmissing: 1 },
      byStatus: { 200: 3, 404: 1 },
      rejectedSignatures: 1,
    });
    simulator.resetStats();
    expect(simulator.stats()).toEqual({
      total: 0,
      byAction: {},
      byCluster: {},
      byStatus: {},
      rejectedSignatures: 0,
    });
  });
});

describe('determinism over HTTP', () => {
  it('two simulators with the same seed answer byte-identical bodies', async () => {
    const first = createAckSimulator({ seed: 42 });
    const second = createAckSimulator({ seed: 42 });
    const addresses = [await first.listen(), await second.listen()];
    try {
      const cluster = first.clusters[1]!;
      const routes = [
        { action: 'DescribeClusterNodePools', path: `/clusters/${cluster.id}/nodepools` },
        {
          action: 'DescribeClusterNodePoolDetail',
          path: `/clusters/${cluster.id}/nodepools/${cluster.nodePools[2]!.nodepool_info.nodepool_id}`,
        },
        { action: 'DescribeClusterDetail', path: `/clusters/${cluster.id}` },
        {
          action: 'DescribeClustersV1',
          path: '/api/v1/clusters',
          query: { page_size: '2', page_number: '2' },
        },
      ];
      for (const route of routes) {
        const [a, b] = await Promise.all(
          addresses.map((address) => send(signRaw({ endpoint: address.endpoint, ...route }))),
        );
        expect(a!.status).toBe(200);
        expect(a!.text.length).toBeGreaterThan(50);
        expect(a!.text).toBe(b!.text);
        expect(a!.headers.get('x-acs-request-id')).not.toBe(b!.headers.get('x-acs-request-id'));
      }
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe('latency', () => {
  it('adds latencyMs before answering, changeable at run time', async () => {
    const simulator = createAckSimulator({ latencyMs: 150 });
    const address = await simulator.listen();
    try {
      const client = sdkClient(address);
      const id = simulator.clusters[0]!.id;
      let started = performance.now();
      await client.describeClusterDetail(id);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      simulator.setOptions({ latencyMs: 0 });
      started = performance.now();
      await client.describeClusterDetail(id);
      expect(performance.now() - started).toBeLessThan(140);
    } finally {
      await simulator.close();
    }
  });
});
