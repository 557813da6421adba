import { initContextCache } from '@pothos/core';
import type { AckApi } from './ack/ack-api.js';
import type { AckCacheReadOptions } from './ack/ack-cache.js';
import { createLoaders, type Loaders } from './ack/loaders.js';
import { createPolicy, type Policy } from './auth/policy.js';
import { ANONYMOUS_NAME, createPrincipal, type Principal } from './auth/principal.js';
import { DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST, DEFAULT_REQUEST_DEADLINE_MS } from './defaults.js';
import type { Logger } from './logger.js';
import { createCallBudget } from './request/call-budget.js';
import { createDeadline, type Deadline } from './request/deadline.js';
import { createWarnings, type Warnings } from './request/warnings.js';
import { requestIdOf } from './request-id.js';

/** What every resolver of one request sees. */
export interface Context {
  ack: AckApi;
  /** Who is calling (anonymous, without scopes, unless an authenticator says otherwise). */
  caller: Principal;
  /** Which clusters the caller may see. */
  policy: Policy;
  deadline: Deadline;
  /** How upstream reads outside the loaders use the cache (a forced refresh, the caller's queue share). */
  read: AckCacheReadOptions;
  /** Notes for `extensions.warnings` (stale answers) and the response's freshness. */
  warnings: Warnings;
  loaders: Loaders;
  requestId: string;
  logger: Logger;
}

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
  const budget = createCallBudget(options.maxUpstreamCalls ?? DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST);
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
    loaders: createLoaders(ack, read, async (operation, clusterId, load) => {
      budget.spend();
      return warnings.noteStale(operation, clusterId, await deadline.race(load()));
    }),
    requestId,
    logger: logger.child({ requestId }),
  };
}
