import * as Cs from '@alicloud/cs20151215';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NODE_POOL_NAME,
  generateClusters,
  MASKED_LOGIN_PASSWORD,
  type WireNodePool,
} from '../../src/simulator/index.js';

/** An SDK model class: its `names()` (property -> JSON key) and `types()` tables. */
interface ModelClass {
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}
const isModel = (t: unknown): t is ModelClass =>
  typeof t === 'function' &&
  typeof (t as unknown as ModelClass).names === 'function' &&
  typeof (t as unknown as ModelClass).types === 'function';

/**
 * Every JSON key the SDK model (recursively) reads that is missing from some object of `values`,
 * and every array of models that is never populated (so its item keys would go unchecked).
 */
function missingKeys(model: ModelClass, values: readonly unknown[], path: string): string[] {
  const missing: string[] = [];
  const names = model.names();
  const types = model.types();
  for (const [property, jsonKey] of Object.entries(names)) {
    const here = `${path}.${jsonKey}`;
    const objects = values.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
    const present = objects.filter((o) => jsonKey in o);
    if (present.length < objects.length) missing.push(`${here} (in ${present.length}/${objects.length})`);
    const type = types[property];
    const children = present.map((o) => o[jsonKey]);
    if (isModel(type)) {
      missing.push(...missingKeys(type, children, here));
    } else if (typeof type === 'object' && type !== null && (type as { type?: string }).type === 'array') {
      const itemType = (type as { itemType: unknown }).itemType;
      if (isModel(itemType)) {
        const items = children.flatMap((c) => (Array.isArray(c) ? c : []));
        if (items.length === 0) missing.push(`${here}[] (never populated)`);
        else missing.push(...missingKeys(itemType, items, `${here}[]`));
      }
    }
  }
  return missing;
}

const API_ENUMS: Record<string, { values: readonly string[]; read: (pool: WireNodePool) => string[] }> = {
  NodePoolType: { values: ['ess', 'edge', 'lingjun'], read: (p) => [p.nodepool_info.type] },
  NodePoolState: {
    values: ['active', 'scaling', 'removing', 'deleting', 'updating'],
    read: (p) => [p.status.state],
  },
  AutoScalingType: { values: ['cpu', 'gpu', 'gpushare', 'spot'], read: (p) => [p.auto_scaling.type] },
  InternetChargeType: {
    values: ['PayByBandwidth', 'PayByTraffic'],
    read: (p) => [p.auto_scaling.eip_internet_charge_type, p.scaling_group.internet_charge_type],
  },
  InstanceChargeType: {
    values: ['PrePaid', 'PostPaid'],
    read: (p) => [p.scaling_group.instance_charge_type],
  },
  PeriodUnit: { values: ['Month', 'Week'], read: (p) => [p.scaling_group.period_unit] },
  SpotStrategy: {
    values: ['NoSpot', 'SpotWithPriceLimit', 'SpotAsPriceGo'],
    read: (p) => [p.scaling_group.spot_strategy],
  },
  MultiAzPolicy: {
    values: ['PRIORITY', 'COST_OPTIMIZED', 'BALANCE'],
    read: (p) => [p.scaling_group.multi_az_policy],
  },
  ScalingPolicy: { values: ['release', 'recycle'], read: (p) => [p.scaling_group.scaling_policy] },
  PrivatePoolMatchCriteria: {
    values: ['Open', 'Target', 'None'],
    read: (p) => [p.scaling_group.private_pool_options.match_criteria],
  },
  ResourcePoolStrategy: {
    values: ['PrivatePoolFirst', 'PrivatePoolOnly', 'None'],
    read: (p) => [p.scaling_group.resource_pool_options.strategy],
  },
  CpuPolicy: { values: ['static', 'none'], read: (p) => [p.kubernetes_config.cpu_policy] },
  InterconnectMode: { values: ['basic', 'private'], read: (p) => [p.interconnect_mode] },
  TaintEffect: {
    values: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
    read: (p) => p.kubernetes_config.taints.map((t: { effect: string }) => t.effect),
  },
};

describe('generateClusters', () => {
  const clusters = generateClusters();

  it('is deterministic for a seed and differs across seeds', () => {
    expect(JSON.stringify(generateClusters())).toBe(JSON.stringify(clusters));
    const other = generateClusters({ seed: 7 });
    expect(other.map((c) => c.id)).not.toEqual(clusters.map((c) => c.id));
  });

  it('keeps earlier pools unchanged when more pools are asked for', () => {
    const more = generateClusters({ nodePoolsPerCluster: [8, 2, 5] });
    expect(more[0]!.nodePools.slice(0, 5)).toEqual(clusters[0]!.nodePools);
    expect(more[1]!.nodePools).toEqual(clusters[1]!.nodePools.slice(0, 2));
    expect(more.map((c) => c.nodePools.length)).toEqual([8, 2, 5]);
    expect(generateClusters({ nodePoolsPerCluster: (i) => i + 1 }).map((c) => c.nodePools.length)).toEqual([
      1, 2, 3,
    ]);
  });

  it('rejects out-of-range counts', () => {
    expect(() => generateClusters({ clusterCount: -1 })).toThrow(RangeError);
    expect(() => generateClusters({ nodePoolsPerCluster: 1.5 })).toThrow(RangeError);
  });

  it("uses ACK's id formats and unique ids", () => {
    const poolIds = clusters.flatMap((c) => c.nodePools.map((p) => p.nodepool_info.nodepool_id));
    for (const cluster of clusters) expect(cluster.id).toMatch(/^c[0-9a-f]{32}$/);
    for (const id of poolIds) expect(id).toMatch(/^np[0-9a-f]{32}$/);
    expect(new Set(poolIds).size).toBe(poolIds.length);
  });

  it('makes the first pool of each cluster the default pool, and only that one', () => {
    for (const cluster of clusters) {
      expect(cluster.nodePools.map((p) => p.nodepool_info.is_default)).toEqual([
        true,
        false,
        false,
        false,
        false,
      ]);
      expect(cluster.nodePools[0]!.nodepool_info.name).toBe(DEFAULT_NODE_POOL_NAME);
      const names = cluster.nodePools.map((p) => p.nodepool_info.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('shows every enum value of API.md in every 5-pool cluster', () => {
    for (const cluster of clusters) {
      for (const [name, { values, read }] of Object.entries(API_ENUMS)) {
        const seen = new Set(cluster.nodePools.flatMap(read));
        expect(
          [...values].filter((v) => !seen.has(v)),
          `${name} in ${cluster.id}`,
        ).toEqual([]);
      }
    }
  });

  it('keeps node counts consistent', () => {
    for (const pool of clusters.flatMap((c) => c.nodePools)) {
      const s = pool.status;
      expect(s.total_nodes).toBe(s.serving_nodes + s.initial_nodes + s.failed_nodes + s.removing_nodes);
      expect(s.healthy_nodes).toBe(s.serving_nodes - s.offline_nodes);
      expect(s.offline_nodes).toBeLessThanOrEqual(s.serving_nodes);
      expect(s.spot_nodes).toBeLessThanOrEqual(s.total_nodes);
      for (const n of [s.healthy_nodes, s.initial_nodes, s.failed_nodes, s.offline_nodes, s.removing_nodes]) {
        expect(n).toBeGreaterThanOrEqual(0);
      }
      if (pool.auto_scaling.enable)
        expect(pool.auto_scaling.min_instances).toBeLessThanOrEqual(pool.auto_scaling.max_instances);
      if (pool.nodepool_info.type === 'edge') expect(pool.max_nodes).toBeGreaterThanOrEqual(s.total_nodes);
    }
    for (const cluster of clusters) {
      expect(cluster.detail.size).toBe(cluster.nodePools.reduce((sum, p) => sum + p.status.total_nodes, 0));
    }
  });

  it('spells values the way ACK does', () => {
    const pools = clusters.flatMap((c) => c.nodePools);
    for (const pool of pools) {
      expect(pool.nodepool_info.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}\+08:00$/);
      expect(pool.nodepool_info.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
      expect(Date.parse(pool.nodepool_info.updated)).toBeGreaterThanOrEqual(
        Date.parse(pool.nodepool_info.created.replace(/(\.\d{3})\d+/, '$1')),
      );
      expect(pool.scaling_group.login_password).toBe(MASKED_LOGIN_PASSWORD);
      expect(pool.scaling_group.data_disks.length).toBeGreaterThanOrEqual(1);
      expect(pool.scaling_group.data_disks.length).toBeLessThanOrEqual(3);
      for (const disk of pool.scaling_group.data_disks) expect(['true', 'false']).toContain(disk.encrypted);
      expect(pool.node_config.kubelet_configuration.evictionHard['memory.available']).toMatch(/^\d+Mi$/);
      expect(pool.status).toHaveProperty('spot_nodes');
    }
    const encrypted = new Set(pools.flatMap((p) => p.scaling_group.data_disks.map((d) => d.encrypted)));
    expect(encrypted).toEqual(new Set(['true', 'false']));
    const instanceTypes = new Set(pools.flatMap((p) => p.scaling_group.instance_types));
    for (const t of ['ecs.g7.xlarge', 'ecs.c7.2xlarge', 'ecs.gn7i-c8g1.2xlarge', 'ecs.r7.large'])
      expect(instanceTypes).toContain(t);
    for (const cluster of clusters)
      expect(cluster.detail.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
  });

  it('varies booleans both ways within each cluster', () => {
    const flags = (p: WireNodePool) => ({
      enable: p.auto_scaling.enable,
      management: p.management.enable,
      tee: p.tee_config.tee_enable,
      unschedulable: p.kubernetes_config.unschedulable,
      autoMode: p.auto_mode.enable,
    });
    for (const cluster of clusters) {
      for (const key of ['enable', 'management', 'tee', 'unschedulable', 'autoMode'] as const) {
        const seen = new Set(cluster.nodePools.map((p) => flags(p)[key]));
        expect(seen, `${key} in ${cluster.id}`).toEqual(new Set([true, false]));
      }
    }
  });

  it('varies clusters: types, regions, states', () => {
    expect(clusters.map((c) => c.detail.cluster_type)).toEqual([
      'ManagedKubernetes',
      'Kubernetes',
      'ExternalKubernetes',
    ]);
    expect(clusters.map((c) => c.detail.region_id)).toEqual(['cn-hangzhou', 'cn-beijing', 'cn-shanghai']);
    expect(clusters.map((c) => c.detail.state)).toEqual(['running', 'updating', 'failed']);
    for (const cluster of clusters) {
      for (const pool of cluster.nodePools)
        expect(pool.nodepool_info.region_id).toBe(cluster.detail.region_id);
    }
  });

  describe('carries every key of the SDK models', () => {
    const pools = clusters.flatMap((c) => c.nodePools);
    const model = (name: string) => (Cs as unknown as Record<string, ModelClass>)[name]!;

    it('DescribeClusterNodePools', () => {
      expect(missingKeys(model('DescribeClusterNodePoolsResponseBody'), [{ nodepools: pools }], '')).toEqual(
        [],
      );
    });
    it('DescribeClusterNodePoolDetail', () => {
      expect(missingKeys(model('DescribeClusterNodePoolDetailResponseBody'), pools, '')).toEqual([]);
    });
    it('DescribeClusterDetail', () => {
      expect(
        missingKeys(
          model('DescribeClusterDetailResponseBody'),
          clusters.map((c) => c.detail),
          '',
        ),
      ).toEqual([]);
    });
    it('DescribeClustersV1', () => {
      const body = {
        clusters: clusters.map((c) => c.listEntry),
        page_info: { page_number: 1, page_size: 10, total_count: 3 },
      };
      expect(missingKeys(model('DescribeClustersV1ResponseBody'), [body], '')).toEqual([]);
    });
    it('(the walker itself notices a missing nested key and an empty array)', () => {
      const broken = structuredClone(pools[0]!);
      delete (broken.node_config.kubelet_configuration.tracing as { endpoint?: string }).endpoint;
      broken.scaling_group.data_disks = [];
      const missing = missingKeys(model('DescribeClusterNodePoolDetailResponseBody'), [broken], '');
      expect(missing).toContain('.node_config.kubelet_configuration.tracing.endpoint (in 0/1)');
      expect(missing).toContain('.scaling_group.data_disks[] (never populated)');
    });
    it('plus what the SDK model lacks: status.spot_nodes and the masked login_password', () => {
      for (const pool of pools) {
        expect(Object.keys(pool.status)).toContain('spot_nodes');
        expect(pool.scaling_group.login_password).toBe('******');
      }
    });
  });
});
