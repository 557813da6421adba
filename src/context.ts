import { initContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { AckApi, AckNodePoolList } from './ack/ack-api.js';
import type { AckCacheReadOptions } from './ack/ack-cache.js';
import { freshUntilOf, stalenessOf } from './ack/ack-cache.js';
import { AckError } from './ack/errors.js';
import type { AckClusterDetail } from './ack/model/cluster.js';
import { createPolicy, type Policy } from './auth/policy.js';
import { ANONYMOUS_NAME, createPrincipal, type Principal } from './auth/principal.js';
import { DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST, DEFAULT_REQUEST_DEADLINE_MS } from './defaults.js';
import type { Logger } from './logger.js';
import { requestIdOf } from './request-id.js';
import { type CallBudget, createCallBudget } from './upstream-budget.js';

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
  /** How upstream reads outside the loaders use the cache (e.g. a forced refresh). */
  read: AckCacheReadOptions;
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

/**
 * What the request's upstream answers say about the response: warnings (one per operation and
 * cluster) and until when the response may be served again from memory.
 */
export function createWarnings() {
  const warnings = new Map<string, ResponseWarning>();
  let freshUntil = Number.POSITIVE_INFINITY;
  return {
    list: (): ResponseWarning[] => [...warnings.values()],
    /** Epoch ms until which every answer the response used is fresh (Infinity: it used none). */
    freshUntil: () => freshUntil,
    /** Passes `value` through, noting its freshness, and when ACK failed and an older cached answer stands in. */
    noteStale<V>(operation: string, clusterId: string | undefined, value: V): V {
      // An answer of unknown freshness (a stale one, or with the cache off) makes the response uncacheable.
      freshUntil = Math.min(freshUntil, freshUntilOf(value) ?? 0);
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
  read: AckCacheReadOptions = {},
  budget: CallBudget = createCallBudget(),
): Loaders {
  return {
    nodePools: perKeyLoader(async (clusterId) => {
      budget.spend();
      return warnings.noteStale(
        'DescribeClusterNodePools',
        clusterId,
        await deadline.race(ack.nodePools(clusterId, read)),
      );
    }),
    clusterDetails: perKeyLoader(async (clusterId) => {
      budget.spend();
      return warnings.noteStale(
        'DescribeClusterDetail',
        clusterId,
        await deadline.race(ack.clusterDetail(clusterId, read)),
      );
    }),
  };
}

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

const ANONYMOUS = createPrincipal('anonymous', ANONYMOUS_NAME);
/** No policy configured: every caller may see every cluster. */
const OPEN_POLICY = createPolicy(undefined);

export interface ContextOptions {
  ack: AckApi;
  logger: Logger;
  request?: Request;
  /** @default DEFAULT_REQUEST_DEADLINE_MS */
  deadlineMs?: number;
  /** @default the anonymous principal, without scopes */
  caller?: Principal;
  /** @default every caller may see every cluster */
  policy?: Policy;
  /** Ask ACK even where a fresh answer is cached (a background refresh of a cached response). */
  forceRefresh?: boolean;
  /** @default DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST */
  maxUpstreamCalls?: number;
}

export function createContext(options: ContextOptions): Context {
  const { ack, logger, request } = options;
  const requestId = requestIdOf(request);
  const deadline = createDeadline(options.deadlineMs ?? DEFAULT_REQUEST_DEADLINE_MS);
  const warnings = createWarnings();
  const caller = options.caller ?? ANONYMOUS;
  // The caller's share of the upstream queue: a name, never a credential.
  const read: AckCacheReadOptions = {
    forceRefresh: options.forceRefresh,
    caller: `${caller.kind}:${caller.name}`,
  };
  return {
    // Keeps Pothos' per-request caches (the dataloader plugin's loaders) when yoga copies the context.
    ...initContextCache(),
    ack,
    caller,
    policy: options.policy ?? OPEN_POLICY,
    deadline,
    warnings,
    read,
    loaders: createLoaders(ack, deadline, warnings, read, createCallBudget(options.maxUpstreamCalls)),
    requestId,
    logger: logger.child({ requestId }),
  };
}
