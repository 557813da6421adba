/**
 * The answer bodies, serialized once so a warm request costs the HMAC check and a socket write.
 *
 * A cluster's DescribeClusterNodePools body is built on first use; each pool's detail body is a
 * view into it (no copy), and name-filtered bodies are cached per name. Faulted ('malformed',
 * 'future') bodies are built on first use too. DescribeClustersV1 pages are cached by query.
 *
 * The store serves the generated pools until one is replaced (a scale event's step): then that
 * cluster's bodies are built again from its current pools, its detail and list entry carry the
 * new `size` (the sum of its pools' `total_nodes`, as generated), and the cached pages go.
 */
import { futurizeNodePools, malformNodePools } from './faults.js';
import type { SimulatedCluster, WireNodePool } from './wire-types.js';

/** DescribeClustersV1's page size when the request names none. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;
/** How many distinct DescribeClustersV1 queries keep their body cached. */
const MAX_CACHED_CLUSTER_PAGES = 256;

const EMPTY_NODE_POOLS = Buffer.from('{"nodepools":[]}');

export type DataFault = 'malformed' | 'future';

export interface ClusterListQuery {
  readonly pageNumber: number;
  readonly pageSize: number;
  readonly name?: string | undefined;
  readonly clusterType?: string | undefined;
  readonly regionId?: string | undefined;
  readonly clusterId?: string | undefined;
  readonly profile?: string | undefined;
  readonly clusterSpec?: string | undefined;
}

/** One cluster's serialized node pools: the list body and where each pool sits in it. */
interface NodePoolBodies {
  readonly list: Buffer;
  readonly byId: ReadonlyMap<string, Buffer>;
  /** Pool name -> the JSON of the pools with that name, comma-joined. */
  readonly jsonByName: ReadonlyMap<string, string>;
  readonly filtered: Map<string, Buffer>;
}

function serializeNodePools(pools: readonly unknown[]): NodePoolBodies {
  const jsons = pools.map((pool) => JSON.stringify(pool));
  const prefix = '{"nodepools":[';
  const list = Buffer.from(`${prefix}${jsons.join(',')}]}`);
  const byId = new Map<string, Buffer>();
  const byName = new Map<string, string[]>();
  let offset = Buffer.byteLength(prefix);
  pools.forEach((pool, index) => {
    const json = jsons[index]!;
    const length = Buffer.byteLength(json);
    const info = (pool as { nodepool_info?: { nodepool_id?: unknown; name?: unknown } }).nodepool_info;
    if (typeof info?.nodepool_id === 'string' && !byId.has(info.nodepool_id)) {
      byId.set(info.nodepool_id, list.subarray(offset, offset + length));
    }
    if (typeof info?.name === 'string') {
      const named = byName.get(info.name) ?? [];
      named.push(json);
      byName.set(info.name, named);
    }
    offset += length + 1; // the comma
  });
  const jsonByName = new Map([...byName].map(([name, list]) => [name, list.join(',')] as const));
  return { list, byId, jsonByName, filtered: new Map() };
}

export class ResponseStore {
  private readonly clusters: ReadonlyMap<string, SimulatedCluster>;
  private readonly nodePoolBodies = new Map<string, NodePoolBodies>();
  private readonly faultedBodies = new Map<string, NodePoolBodies>();
  private readonly detailBodies = new Map<string, Buffer>();
  private readonly listEntryJson: { cluster: SimulatedCluster; json: string }[];
  private readonly clusterPages = new Map<string, Buffer>();
  /** Cluster id -> its pools as they are now, once one of them was replaced. */
  private readonly replacedPools = new Map<string, WireNodePool[]>();

  constructor(clusters: readonly SimulatedCluster[]) {
    this.clusters = new Map(clusters.map((cluster) => [cluster.id, cluster]));
    this.listEntryJson = clusters.map((cluster) => ({ cluster, json: JSON.stringify(cluster.listEntry) }));
  }

  has(clusterId: string): boolean {
    return this.clusters.has(clusterId);
  }

  /** The cluster's node pools as served now, or undefined when the cluster does not exist. */
  currentNodePools(clusterId: string): readonly WireNodePool[] | undefined {
    return this.replacedPools.get(clusterId) ?? this.clusters.get(clusterId)?.nodePools;
  }

  /** Serves `pool` in place of pool `poolIndex` of the cluster from the next request on. */
  replaceNodePool(clusterId: string, poolIndex: number, pool: WireNodePool): void {
    const cluster = this.clusters.get(clusterId);
    if (!cluster || poolIndex < 0 || poolIndex >= cluster.nodePools.length) {
      throw new RangeError(`no node pool ${poolIndex} in cluster ${clusterId}`);
    }
    const pools = this.replacedPools.get(clusterId) ?? [...cluster.nodePools];
    pools[poolIndex] = pool;
    this.replacedPools.set(clusterId, pools);
    this.nodePoolBodies.delete(clusterId);
    for (const fault of ['malformed', 'future'] as const) this.faultedBodies.delete(`${fault}:${clusterId}`);
    this.detailBodies.delete(clusterId);
    const size = pools.reduce((sum, each) => sum + each.status.total_nodes, 0);
    const entry = this.listEntryJson.find((each) => each.cluster.id === clusterId);
    if (entry) entry.json = JSON.stringify({ ...cluster.listEntry, size });
    this.clusterPages.clear();
  }

  /** DescribeClusterNodePools' body, or undefined when the cluster does not exist. */
  nodePools(clusterId: string, nodepoolName: string | undefined, fault?: DataFault): Buffer | undefined {
    const bodies = this.bodiesFor(clusterId, fault);
    if (!bodies) return undefined;
    if (nodepoolName === undefined) return bodies.list;
    const cached = bodies.filtered.get(nodepoolName);
    if (cached) return cached;
    const json = bodies.jsonByName.get(nodepoolName);
    if (json === undefined) return EMPTY_NODE_POOLS;
    const body = Buffer.from(`{"nodepools":[${json}]}`);
    bodies.filtered.set(nodepoolName, body);
    return body;
  }

  /**
   * DescribeClusterNodePoolDetail's body: 'no-cluster' / 'no-pool' when either is unknown.
   */
  nodePoolDetail(
    clusterId: string,
    nodepoolId: string,
    fault?: DataFault,
  ): Buffer | 'no-cluster' | 'no-pool' {
    const bodies = this.bodiesFor(clusterId, fault);
    if (!bodies) return 'no-cluster';
    return bodies.byId.get(nodepoolId) ?? 'no-pool';
  }

  /** DescribeClusterDetail's body, or undefined when the cluster does not exist. */
  clusterDetail(clusterId: string): Buffer | undefined {
    const cached = this.detailBodies.get(clusterId);
    if (cached) return cached;
    const cluster = this.clusters.get(clusterId);
    if (!cluster) return undefined;
    const replaced = this.replacedPools.get(clusterId);
    const detail = replaced
      ? { ...cluster.detail, size: replaced.reduce((sum, pool) => sum + pool.status.total_nodes, 0) }
      : cluster.detail;
    const body = Buffer.from(JSON.stringify(detail));
    this.detailBodies.set(clusterId, body);
    return body;
  }

  /** DescribeClustersV1's body for one page of the filtered clusters. */
  clusterPage(query: ClusterListQuery): Buffer {
    const key = JSON.stringify(query);
    const cached = this.clusterPages.get(key);
    if (cached) return cached;
    const matching = this.listEntryJson.filter(({ cluster }) => {
      const entry = cluster.listEntry;
      return (
        (!query.name || entry.name.includes(query.name)) &&
        (!query.clusterType || entry.cluster_type === query.clusterType) &&
        (!query.regionId || entry.region_id === query.regionId) &&
        (!query.clusterId || entry.cluster_id === query.clusterId) &&
        (!query.profile || entry.profile === query.profile) &&
        (!query.clusterSpec || entry.cluster_spec === query.clusterSpec)
      );
    });
    const start = (query.pageNumber - 1) * query.pageSize;
    const page = matching.slice(start, start + query.pageSize).map(({ json }) => json);
    const pageInfo = JSON.stringify({
      page_number: query.pageNumber,
      page_size: query.pageSize,
      total_count: matching.length,
    });
    const body = Buffer.from(`{"clusters":[${page.join(',')}],"page_info":${pageInfo}}`);
    if (this.clusterPages.size >= MAX_CACHED_CLUSTER_PAGES) {
      const oldest = this.clusterPages.keys().next();
      if (!oldest.done) this.clusterPages.delete(oldest.value);
    }
    this.clusterPages.set(key, body);
    return body;
  }

  private bodiesFor(clusterId: string, fault: DataFault | undefined): NodePoolBodies | undefined {
    const cache = fault ? this.faultedBodies : this.nodePoolBodies;
    const key = fault ? `${fault}:${clusterId}` : clusterId;
    const cached = cache.get(key);
    if (cached) return cached;
    const pools = this.currentNodePools(clusterId);
    if (!pools) return undefined;
    const bodies = serializeNodePools(faultedPools(pools, fault));
    cache.set(key, bodies);
    return bodies;
  }
}

function faultedPools(pools: readonly WireNodePool[], fault: DataFault | undefined): readonly unknown[] {
  if (fault === 'malformed') return malformNodePools(pools);
  if (fault === 'future') return futurizeNodePools(pools);
  return pools;
}
