import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AckObserver } from '../ack/ack-observer.js';
import type { AckCircuitState, AckGuardStatus } from '../ack/resilience.js';
import type { SharedTierObserver, SharedTierStatus } from '../ack/shared-tier.js';
import { createBoundedLabel } from './bounded-label.js';

/** Distinct operation names kept as labels; later ones count as `other`. */
export const DEFAULT_MAX_OPERATION_NAMES = 200;
/** Distinct `extensions.code` values kept as labels; later ones count as `other`. */
const MAX_ERROR_CODES = 50;
/** The operation label of requests without a name (or that never parsed). */
export const ANONYMOUS_OPERATION = 'anonymous';

/** Request latency buckets (seconds): cache hits take a millisecond, cold fan-outs seconds. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];
/** Upstream call latency buckets (seconds), up to the read timeout. */
const UPSTREAM_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The circuit as a number a graph can show: 0 closed, 0.5 half-open, 1 open. */
const CIRCUIT_VALUES: Record<AckCircuitState, number> = {
  closed: 0,
  'half-open': 0.5,
  open: 1,
  isolated: 1,
  disabled: 0,
};

/** One GraphQL request as the metrics count it. */
export interface RequestMeasurement {
  /** The operation's name; undefined for anonymous operations and unparsable documents. */
  operationName?: string;
  /** HTTP status of the answer. */
  status: number;
  durationMs: number;
  /** `extensions.code` of every error in the answer. */
  errorCodes: readonly string[];
  /** Whether it was executed, or replayed from the response cache (a hit or a shared answer). @default 'execution' */
  servedFrom?: 'execution' | 'response_cache';
}

/** Something whose upstream guard can be read: an `AckClient`. */
export interface GuardedEndpoint {
  readonly endpoint: string;
  status(): AckGuardStatus;
}

/** Something whose shared-tier state can be read: a `RedisTier`. */
export interface WatchedSharedTier {
  status(): SharedTierStatus;
}

export interface MetricsOptions {
  /** @default DEFAULT_MAX_OPERATION_NAMES */
  maxOperationNames?: number;
  /** Also collect the process metrics (CPU, memory, event loop, GC). @default true */
  defaultMetrics?: boolean;
}

export type GatewayMetrics = ReturnType<typeof createMetrics>;

/**
 * The gateway's Prometheus metrics, in a registry of their own (never prom-client's global one,
 * so several apps in one process do not collide).
 */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const operationLabel = createBoundedLabel(options.maxOperationNames ?? DEFAULT_MAX_OPERATION_NAMES);
  const codeLabel = createBoundedLabel(MAX_ERROR_CODES);
  const endpoints: GuardedEndpoint[] = [];
  const sharedTiers: WatchedSharedTier[] = [];

  const requests = new Counter({
    name: 'ack_gateway_graphql_requests_total',
    help: 'GraphQL requests, by operation name, HTTP status and whether they were executed or replayed from the response cache.',
    labelNames: ['operation', 'status', 'served_from'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: 'ack_gateway_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to its answer, by operation name.',
    labelNames: ['operation'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const errors = new Counter({
    name: 'ack_gateway_graphql_errors_total',
    help: 'Errors in GraphQL answers, by extensions.code.',
    labelNames: ['code'] as const,
    registers,
  });
  const upstreamCalls = new Counter({
    name: 'ack_gateway_upstream_calls_total',
    help: 'ACK call attempts (retries included), by action, HTTP status and outcome (ok or the failure kind).',
    labelNames: ['action', 'status_code', 'outcome'] as const,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'ack_gateway_upstream_call_duration_seconds',
    help: 'Duration of ACK call attempts, by action and outcome.',
    labelNames: ['action', 'outcome'] as const,
    buckets: UPSTREAM_BUCKETS,
    registers,
  });
  const upstreamRefused = new Counter({
    name: 'ack_gateway_upstream_refused_total',
    help: 'ACK calls refused before any attempt, by action and reason (CircuitOpen, QueueFull).',
    labelNames: ['action', 'reason'] as const,
    registers,
  });
  const responseCache = new Counter({
    name: 'ack_gateway_response_cache_total',
    help: 'POSTed queries by how the response cache answered them: hit (stored bytes), shared (joined an identical execution), miss.',
    labelNames: ['result'],
    registers,
  });
  const cacheEvents = new Counter({
    name: 'ack_gateway_cache_events_total',
    help:
      'Process-wide ACK cache: each read is one of hit, miss, shared (joined an in-flight call) or ' +
      'not_found_hit; refresh_ahead and stale_served come on top.',
    labelNames: ['event'] as const,
    registers,
  });
  const unhandledRejections = new Counter({
    name: 'ack_gateway_unhandled_rejections_total',
    help: 'Promise rejections nobody handled (bugs): logged with their request id; the process keeps serving.',
    registers,
  });
  const abandonedExecutions = new Counter({
    name: 'ack_gateway_executions_abandoned_total',
    help: 'POSTed queries dropped before they started because every caller waiting for them hung up (overload).',
    registers,
  });
  // Read at scrape time from each client's guard.
  new Gauge({
    name: 'ack_gateway_upstream_circuit_state',
    help: 'Endpoint-wide circuit breaker of each ACK endpoint (connection-level failures): 0 closed, 0.5 half-open, 1 open.',
    labelNames: ['endpoint'] as const,
    registers,
    collect() {
      for (const client of endpoints)
        this.set({ endpoint: client.endpoint }, CIRCUIT_VALUES[client.status().circuit]);
    },
  });
  new Gauge({
    name: 'ack_gateway_upstream_open_clusters',
    help: 'Clusters whose own circuit is open now (they fail fast; other clusters are unaffected), per endpoint.',
    labelNames: ['endpoint'] as const,
    registers,
    collect() {
      for (const client of endpoints) this.set({ endpoint: client.endpoint }, client.status().openClusters);
    },
  });
  new Gauge({
    name: 'ack_gateway_upstream_concurrency_limit',
    help: 'ACK calls allowed in flight now, per endpoint: lowered by throttled answers, raised back by successes.',
    labelNames: ['endpoint'] as const,
    registers,
    collect() {
      for (const client of endpoints)
        this.set({ endpoint: client.endpoint }, client.status().concurrencyLimit);
    },
  });
  new Gauge({
    name: 'ack_gateway_upstream_in_flight',
    help: 'ACK calls running now, per endpoint.',
    labelNames: ['endpoint'] as const,
    registers,
    collect() {
      for (const client of endpoints) this.set({ endpoint: client.endpoint }, client.status().inFlight);
    },
  });
  new Gauge({
    name: 'ack_gateway_upstream_queued',
    help: 'ACK calls waiting for a free slot, per endpoint.',
    labelNames: ['endpoint'] as const,
    registers,
    collect() {
      for (const client of endpoints) this.set({ endpoint: client.endpoint }, client.status().queued);
    },
  });

  // Read at scrape time from the shared tier (REDIS_URL): absent when there is none.
  new Gauge({
    name: 'ack_gateway_redis_up',
    help: 'Whether the Redis shared cache is in use: 1 up, 0 down or not yet connected (answers then come from memory and ACK).',
    labelNames: ['redis'] as const,
    registers,
    collect() {
      for (const tier of sharedTiers) {
        const { state, target } = tier.status();
        this.set({ redis: target }, state === 'up' ? 1 : 0);
      }
    },
  });
  const sharedCacheEvents = new Counter({
    name: 'ack_gateway_shared_cache_events_total',
    help:
      'Reads the in-process cache passed to the Redis shared tier, by what it did: hit (an answer another ' +
      'replica or an earlier call stored), miss (this replica took the lease and asked ACK), lease_wait ' +
      '(waited for another replica asking ACK), lease_expired (a holder died: its lease ran out), ' +
      'fallback (Redis down, failing or slow: asked ACK directly), not_shared (answer too large to share).',
    labelNames: ['event'] as const,
    registers,
  });
  const sharedTierObserver: SharedTierObserver = {
    onSharedTier: (event) => sharedCacheEvents.inc({ event }),
  };

  const ackObserver: AckObserver = {
    onCallStart: ({ action }) => {
      return (end) => {
        if (end.attempt === 0) {
          upstreamRefused.inc({ action, reason: end.upstreamCode ?? end.outcome });
          return;
        }
        upstreamCalls.inc({ action, status_code: String(end.statusCode ?? 'none'), outcome: end.outcome });
        upstreamDuration.observe({ action, outcome: end.outcome }, end.ms / 1000);
      };
    },
    onCache: (event) => cacheEvents.inc({ event }),
  };

  return {
    registry,
    ackObserver,
    sharedTierObserver,
    /** Reports whether this shared tier is up at every scrape (`ack_gateway_redis_up`). */
    watchSharedTier(tier: WatchedSharedTier): void {
      sharedTiers.push(tier);
    },
    /** Reports this client's circuit, in-flight and queued calls at every scrape. */
    watch(client: GuardedEndpoint): void {
      endpoints.push(client);
    },
    /** How the response cache (the HTTP front door) answered one query. */
    recordResponseCache(result: 'hit' | 'shared' | 'miss'): void {
      responseCache.inc({ result });
    },
    recordUnhandledRejection(): void {
      unhandledRejections.inc();
    },
    recordAbandonedExecution(): void {
      abandonedExecutions.inc();
    },
    recordRequest(request: RequestMeasurement): void {
      const operation = request.operationName ? operationLabel(request.operationName) : ANONYMOUS_OPERATION;
      requests.inc({
        operation,
        status: String(request.status),
        served_from: request.servedFrom ?? 'execution',
      });
      requestDuration.observe({ operation }, request.durationMs / 1000);
      for (const code of request.errorCodes) errors.inc({ code: codeLabel(code) });
    },
  };
}
