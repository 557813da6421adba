import { randomUUID } from 'node:crypto';
import { initContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { AckApi, AckNodePoolList } from './ack/ack-api.js';
import type { AckClusterDetail } from './ack/model/cluster.js';
import type { Logger } from './logger.js';

/** Per-request loaders: one upstream question per key per request, whatever asks for it. */
export interface Loaders {
  /** Cluster id -> its node pools (`DescribeClusterNodePools`), or the AckError it failed with. */
  nodePools: DataLoader<string, AckNodePoolList>;
  /** Cluster id -> its `DescribeClusterDetail`, loaded only when a detail field asks. */
  clusterDetails: DataLoader<string, AckClusterDetail>;
}

export interface Context {
  ack: AckApi;
  loaders: Loaders;
  requestId: string;
  logger: Logger;
}

/** How many keys one batch may hold; ACK has no batch API, so this only bounds fan-out. */
const MAX_BATCH_SIZE = 100;

/** A loader over a per-key ACK call: a failed key resolves to its Error, never failing the batch. */
function perKeyLoader<V>(load: (key: string) => Promise<V>): DataLoader<string, V> {
  return new DataLoader<string, V>(
    (keys) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error)))),
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

export function createLoaders(ack: AckApi): Loaders {
  return {
    nodePools: perKeyLoader((clusterId) => ack.nodePools(clusterId)),
    clusterDetails: perKeyLoader((clusterId) => ack.clusterDetail(clusterId)),
  };
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function createContext(ack: AckApi, logger: Logger, request?: Request): Context {
  const incoming = request?.headers.get('x-request-id');
  const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  return {
    // Keeps Pothos' per-request caches (the dataloader plugin's loaders) when yoga copies the context.
    ...initContextCache(),
    ack,
    loaders: createLoaders(ack),
    requestId,
    logger: logger.child({ requestId }),
  };
}
