import DataLoader from 'dataloader';
import type { AckApi, AckNodePoolList, Observed } from './ack-api.js';
import type { AckCacheReadOptions } from './ack-cache.js';
import type { AckClusterDetail } from './model/cluster.js';

/** Per-request loaders: one upstream question per key per request, whatever asks for it. */
export interface Loaders {
  /** Cluster id -> its node pools (`DescribeClusterNodePools`), or the AckError it failed with. */
  nodePools: DataLoader<string, AckNodePoolList>;
  /** Cluster id -> its `DescribeClusterDetail`, loaded only when a detail field asks. */
  clusterDetails: DataLoader<string, AckClusterDetail & Observed>;
}

/**
 * What the request wraps around every read a loader makes (its call budget, its deadline, the
 * freshness notes of its answer), so this layer knows nothing of the request itself.
 */
export type ReadGuard = <V>(operation: string, clusterId: string, read: () => Promise<V>) => Promise<V>;

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * A loader over a per-key ACK call: one call per key per request, a failed key resolves to its
 * Error. Unbatched: ACK has no batch API, and a batch answers all its keys together, so a slow
 * cluster would hold a healthy one's answer until the deadline.
 */
function perKeyLoader<V>(load: (key: string) => Promise<V>): DataLoader<string, V> {
  return new DataLoader<string, V>(
    async ([key]) => [await load(key as string).catch((error: unknown) => toError(error))],
    { batch: false },
  );
}

const unguarded: ReadGuard = (_operation, _clusterId, read) => read();

/** The loaders of one request, over the process-wide cached `AckApi`. */
export function createLoaders(ack: AckApi, read: AckCacheReadOptions = {}, guard = unguarded): Loaders {
  return {
    nodePools: perKeyLoader((clusterId) =>
      guard('DescribeClusterNodePools', clusterId, () => ack.nodePools(clusterId, read)),
    ),
    clusterDetails: perKeyLoader((clusterId) =>
      guard('DescribeClusterDetail', clusterId, () => ack.clusterDetail(clusterId, read)),
    ),
  };
}
