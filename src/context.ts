import { randomUUID } from 'node:crypto';
import { initContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { AckApi, AckNodePoolList } from './ack/ack-api.js';
import { stalenessOf } from './ack/ack-cache.js';
import { AckError } from './ack/errors.js';
import type { AckClusterDetail } from './ack/model/cluster.js';
import { createPolicy, type Policy } from './auth/policy.js';
import { ANONYMOUS_NAME, createPrincipal, type Principal } from './auth/principal.js';
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
  /** Who is calling (anonymous, without scopes, unless an authenticator says otherwise). */
  caller: Principal;
  /** Which clusters the caller may see. */
  policy: Policy;
  deadline: ReturnType<typeof createDeadline>;
  /** Notes for `extensions.warnings` (stale answers). */
  warnings: Warnings;
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

/** How long one GraphQL request may wait for ACK in all, retries included. */
export const DEFAULT_REQUEST_DEADLINE_MS = 15_000;

/**
 * The request's deadline: a field still waiting for ACK when it passes answers
 * `UPSTREAM_TIMEOUT`. The upstream call itself goes on (other requests may share it) and fills
 * the cache.
 */
export function createDeadline(ms: number) {
  const at = Date.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  let expired: Promise<never> | undefined;
  // The timer starts with the first upstream read: requests answered from memory never set one.
  const whenExpired = (): Promise<never> => {
    expired ??= new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AckError('TIMEOUT', `The request's ${ms} ms deadline passed.`)),
        Math.max(0, at - Date.now()),
      );
      timer.unref();
    });
    return expired;
  };
  return {
    at,
    race: <T>(work: Promise<T>): Promise<T> => Promise.race([work, whenExpired()]),
    clear: () => clearTimeout(timer),
  };
}

/** A note the response carries in `extensions.warnings`, e.g. that an answer is stale. */
export interface ResponseWarning {
  code: 'STALE_DATA';
  message: string;
  operation: string;
  clusterId?: string;
  ageMs: number;
  upstream?: { code: string };
}

/** Collects the request's warnings, one per operation and cluster. */
export function createWarnings() {
  const warnings = new Map<string, ResponseWarning>();
  return {
    list: (): ResponseWarning[] => [...warnings.values()],
    /** Passes `value` through, noting when ACK failed and an older cached answer stands in. */
    noteStale<V>(operation: string, clusterId: string | undefined, value: V): V {
      const stale = stalenessOf(value);
      if (stale) {
        warnings.set(`${operation}\0${clusterId ?? ''}`, {
          code: 'STALE_DATA',
          message: `ACK could not be asked (${stale.reason}); this answer is ${Math.round(stale.ageMs / 1000)} s old.`,
          operation,
          ...(clusterId ? { clusterId } : {}),
          ageMs: Math.round(stale.ageMs),
          ...(stale.upstreamCode ? { upstream: { code: stale.upstreamCode } } : {}),
        });
      }
      return value;
    },
  };
}

export type Warnings = ReturnType<typeof createWarnings>;

export function createLoaders(
  ack: AckApi,
  deadline = createDeadline(DEFAULT_REQUEST_DEADLINE_MS),
  warnings = createWarnings(),
): Loaders {
  return {
    nodePools: perKeyLoader(async (clusterId) =>
      warnings.noteStale(
        'DescribeClusterNodePools',
        clusterId,
        await deadline.race(ack.nodePools(clusterId)),
      ),
    ),
    clusterDetails: perKeyLoader(async (clusterId) =>
      warnings.noteStale(
        'DescribeClusterDetail',
        clusterId,
        await deadline.race(ack.clusterDetail(clusterId)),
      ),
    ),
  };
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

const ANONYMOUS = createPrincipal('anonymous', ANONYMOUS_NAME);
/** No policy configured: every caller may see every cluster. */
const OPEN_POLICY = createPolicy(undefined);

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function createContext(
  ack: AckApi,
  logger: Logger,
  request?: Request,
  deadlineMs = DEFAULT_REQUEST_DEADLINE_MS,
  caller: Principal = ANONYMOUS,
  policy: Policy = OPEN_POLICY,
): Context {
  const incoming = request?.headers.get('x-request-id');
  const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
  const deadline = createDeadline(deadlineMs);
  const warnings = createWarnings();
  return {
    // Keeps Pothos' per-request caches (the dataloader plugin's loaders) when yoga copies the context.
    ...initContextCache(),
    ack,
    caller,
    policy,
    deadline,
    warnings,
    loaders: createLoaders(ack, deadline, warnings),
    requestId,
    logger: logger.child({ requestId }),
  };
}
