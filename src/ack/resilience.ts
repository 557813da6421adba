import {
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
  retry,
} from 'cockatiel';
import {
  DEFAULT_BREAKER_COOLDOWN_MS,
  DEFAULT_BREAKER_FAILURE_RATIO,
  DEFAULT_BREAKER_FAILURES,
  DEFAULT_BREAKER_WINDOW_MS,
  DEFAULT_ENDPOINT_BREAKER_CLUSTERS,
  DEFAULT_MAX_CLUSTER_BREAKERS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_QUEUE,
  DEFAULT_MAX_QUEUE_PER_CALLER,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
} from '../defaults.js';
import type { Logger } from '../logger.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import {
  type BreakerPermit,
  type BreakerState,
  type BreakerVerdict,
  CircuitBreaker,
  ClusterBreakers,
  type ClusterPermit,
  FailureSpread,
} from './circuit-breaker.js';
import { AckError, failureScope, isRetryable } from './errors.js';
import { ANONYMOUS_CALLER, FairQueue, QueueFullError } from './fair-queue.js';

/** While calls keep being refused, the longest time between two log lines that count them. */
export const QUEUE_FULL_LOG_INTERVAL_MS = 10_000;

/** `AckError.details.upstreamCode` of a call refused because a circuit (its cluster's or the endpoint's) is open. */
export const CIRCUIT_OPEN_CODE = 'CircuitOpen';
/** `AckError.details.upstreamCode` of a call refused because too many calls already wait. */
export const QUEUE_FULL_CODE = 'QueueFull';

/** How the gateway protects ACK and itself from each other; one set per AckClient. */
export interface AckResilienceOptions {
  /** Attempts per call in all, the first included; 1 disables retries. @default DEFAULT_RETRY_MAX_ATTEMPTS */
  retryMaxAttempts?: number;
  /**
   * Cap of the first retry's full-jitter backoff, doubled per retry; also the first pause after
   * a throttled answer without retry-after. @default DEFAULT_RETRY_BASE_DELAY_MS
   */
  retryBaseDelayMs?: number;
  /**
   * The longest wait before one retry, and the longest pause after a throttled answer. A
   * throttled answer whose retry-after is longer is not retried: it fails at once, carrying
   * `retryAfterMs`. @default DEFAULT_RETRY_MAX_DELAY_MS
   */
  retryMaxDelayMs?: number;
  /**
   * Fewest attempts within the window before a breaker (a cluster's or the endpoint's) may
   * judge; 0 disables every breaker. @default DEFAULT_BREAKER_FAILURES
   */
  breakerFailures?: number;
  /** Share of failed attempts in the window that opens a circuit. @default DEFAULT_BREAKER_FAILURE_RATIO */
  breakerFailureRatio?: number;
  /** The sliding window the breakers judge. @default DEFAULT_BREAKER_WINDOW_MS */
  breakerWindowMs?: number;
  /** How long an open circuit fails fast before a trial call. @default DEFAULT_BREAKER_COOLDOWN_MS */
  breakerCooldownMs?: number;
  /** Clusters with a breaker of their own at most. @default DEFAULT_MAX_CLUSTER_BREAKERS */
  maxClusterBreakers?: number;
  /**
   * Distinct clusters failing in the window, with nothing answered in between, that open the
   * endpoint's circuit; 0 leaves the endpoint to connection failures. @default DEFAULT_ENDPOINT_BREAKER_CLUSTERS
   */
  endpointBreakerClusters?: number;
  /**
   * Upstream calls in flight at once, at most: throttled answers lower the limit for a while.
   * @default DEFAULT_MAX_CONCURRENCY
   */
  maxConcurrency?: number;
  /** Calls waiting for a slot at most, all callers together; 0 means none wait. @default DEFAULT_MAX_QUEUE */
  maxQueue?: number;
  /** Calls one caller may have waiting; capped by `maxQueue`. @default DEFAULT_MAX_QUEUE_PER_CALLER */
  maxQueuePerCaller?: number;
}

export type AckCircuitState = 'closed' | 'open' | 'half-open' | 'isolated' | 'disabled';

/** A snapshot of an endpoint's guard, for logs, probes and tests. */
export interface AckGuardStatus {
  /** The endpoint's circuit: open only while the endpoint itself is failing. */
  circuit: AckCircuitState;
  /** Clusters whose own circuit is open or half-open. */
  openClusters: number;
  /** Upstream calls running now. */
  inFlight: number;
  /** Calls waiting for a slot. */
  queued: number;
  /** Calls allowed in flight now: `maxConcurrency`, or less after throttled answers. */
  concurrencyLimit: number;
}

/** Who an upstream call is for, as far as the guard needs to know. */
export interface AckGuardCall {
  /** Whose fair share of the queue the call takes. @default ANONYMOUS_CALLER */
  caller?: string;
  /** The cluster the call is about; undefined for calls about none (cluster list, probes). */
  clusterId?: string;
}

/** Probes queue apart from every caller: a caller's burst never delays the readiness check by more than a slot. */
const PROBE_CALLER = '\0probe';

/** What an attempt's outcome says, before each breaker weighs it. */
type Outcome =
  /** ACK answered: data, or its "no" (4xx, rejected credentials). */
  | 'answered'
  /** ACK answered that the account's quota is spent. */
  | 'throttled'
  /** The way to ACK failed (connection, DNS, TLS). */
  | 'endpoint'
  /** ACK or a proxy failed this call (5xx, a non-JSON body, a timeout, a malformed 200). */
  | 'resource'
  /** Not an upstream failure (a bug): it says nothing about ACK. */
  | 'other';

function outcomeOf(error: unknown): Outcome {
  if (!(error instanceof AckError)) return 'other';
  if (error.kind === 'THROTTLED') return 'throttled';
  return failureScope(error) ?? 'answered';
}

const CLUSTER_VERDICTS: Record<Outcome, BreakerVerdict> = {
  answered: 'success',
  resource: 'failure',
  // A spent quota or a broken connection says nothing about this cluster.
  throttled: 'neutral',
  endpoint: 'neutral',
  other: 'neutral',
};

/** The full-jitter exponential backoff, stretched to ACK's retry-after when it sent one. */
function honouringRetryAfter(
  factory: IBackoffFactory<unknown>,
): IBackoffFactory<IRetryBackoffContext<unknown>> {
  const stretch = (backoff: IBackoff<unknown>, context: IRetryBackoffContext<unknown>) => {
    const error = 'error' in context.result ? context.result.error : undefined;
    const retryAfterMs = error instanceof AckError ? (error.details.retryAfterMs ?? 0) : 0;
    return {
      duration: Math.max(backoff.duration, retryAfterMs),
      next: (next: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> =>
        stretch(backoff.next(next), next),
    };
  };
  return { next: (context) => stretch(factory.next(context), context) };
}

interface Breakers {
  clusters: ClusterBreakers;
  endpoint: CircuitBreaker;
  spread: FailureSpread | undefined;
}

/**
 * Retries, circuit breakers and a fair concurrency bound around one endpoint's upstream calls,
 * from the outside in:
 * - retry (cockatiel): only failures ACK or the network may get over (`isRetryable`), never
 *   4xx answers; full-jitter exponential backoff, at least ACK's retry-after;
 * - circuit breakers, one per cluster and one for the endpoint: while one is open, calls it
 *   covers fail at once with `UNAVAILABLE`/`CircuitOpen` and cost no upstream call. A cluster's
 *   own failures (5xx, non-JSON bodies, timeouts, malformed 200s) count against that cluster
 *   alone; the endpoint's circuit opens only when the endpoint itself fails (connections, DNS,
 *   TLS; a 5xx or timeout of a call about no cluster, such as the cluster list), or when many
 *   distinct clusters fail with no answer at all in between and none awaited. ACK's "no" (404,
 *   403, 400, rejected credentials) and throttling open no circuit;
 * - an adaptive limit: a throttled answer halves the calls allowed in flight and pauses new
 *   calls for ACK's retry-after; answers within the quota raise the limit again (AIMD);
 * - a fair queue: at most the limit's calls in flight, `maxQueue` waiting, `maxQueuePerCaller`
 *   of them one caller's, free slots round-robin across callers; else `UNAVAILABLE`/`QueueFull`.
 *   Retries wait for their backoff outside it, holding no slot.
 */
export class AckCallGuard {
  private readonly retries;
  private readonly breakers: Breakers | undefined;
  private readonly limiter: AdaptiveLimit;
  private readonly queue: FairQueue;
  private readonly refusals: RefusalLog | undefined;

  constructor(options: AckResilienceOptions = {}, logger?: Logger, endpoint = 'ACK') {
    const maxAttempts = Math.max(1, options.retryMaxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS);
    const baseDelay = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    const maxDelay = options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
    this.retries = retry(
      // A retry-after beyond the longest wait is not waited for: the caller learns it at once.
      handleWhen((error) => isRetryable(error) && (error.details.retryAfterMs ?? 0) <= maxDelay),
      {
        maxAttempts: maxAttempts - 1,
        backoff: honouringRetryAfter(
          new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: baseDelay, maxDelay }),
        ),
      },
    );
    const failures = options.breakerFailures ?? DEFAULT_BREAKER_FAILURES;
    if (failures > 0) {
      const breakerOptions = {
        minAttempts: failures,
        failureRatio: options.breakerFailureRatio ?? DEFAULT_BREAKER_FAILURE_RATIO,
        windowMs: options.breakerWindowMs ?? DEFAULT_BREAKER_WINDOW_MS,
        cooldownMs: options.breakerCooldownMs ?? DEFAULT_BREAKER_COOLDOWN_MS,
      };
      const spreadOver = options.endpointBreakerClusters ?? DEFAULT_ENDPOINT_BREAKER_CLUSTERS;
      this.breakers = {
        clusters: new ClusterBreakers(
          breakerOptions,
          options.maxClusterBreakers ?? DEFAULT_MAX_CLUSTER_BREAKERS,
          logger && ((clusterId, state, from) => logClusterCircuit(logger, endpoint, clusterId, state, from)),
        ),
        endpoint: new CircuitBreaker(
          breakerOptions,
          logger && ((state, _from, reason) => logEndpointCircuit(logger, endpoint, state, reason)),
        ),
        spread: spreadOver > 0 ? new FailureSpread(breakerOptions.windowMs, spreadOver) : undefined,
      };
    }
    const maxConcurrency = Math.max(1, options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
    this.limiter = new AdaptiveLimit({ max: maxConcurrency, baseDelayMs: baseDelay, maxDelayMs: maxDelay });
    this.refusals = logger && new RefusalLog(logger, endpoint);
    this.queue = new FairQueue({
      limit: maxConcurrency,
      maxQueue: options.maxQueue ?? DEFAULT_MAX_QUEUE,
      maxQueuePerCaller: options.maxQueuePerCaller ?? DEFAULT_MAX_QUEUE_PER_CALLER,
      onEmpty: this.refusals && (() => this.refusals?.drained()),
    });

    if (logger) {
      this.retries.onRetry(({ attempt, delay, ...reason }) => {
        const error = 'error' in reason ? reason.error : undefined;
        logger.debug(
          { endpoint, attempt, delayMs: delay, kind: error instanceof AckError ? error.kind : undefined },
          'Retrying an ACK call',
        );
      });
    }
  }

  /** Runs one logical upstream call with retries, breakers and the fair concurrency bound. */
  async run<T>(call: () => Promise<T>, about: AckGuardCall = {}): Promise<T> {
    let lastFailure: AckError | undefined;
    const observed = async () => {
      try {
        return await call();
      } catch (error) {
        if (error instanceof AckError) lastFailure = error;
        throw error;
      }
    };
    try {
      return await this.retries.execute(() => this.attempt(observed, about));
    } catch (error) {
      // A circuit opened (or the queue filled) between attempts: the real failure says more.
      throw lastFailure && isGuardRefusal(error) ? lastFailure : error;
    }
  }

  /**
   * One attempt within the concurrency bound, past the breakers: for health probes, which must
   * see ACK as it is, quickly. Its outcome still teaches the limit and the endpoint's window.
   */
  probe<T>(call: () => Promise<T>): Promise<T> {
    return this.enqueue(PROBE_CALLER, async () => {
      const epoch = this.limiter.epoch;
      try {
        const result = await call();
        this.settle('answered', epoch, undefined, undefined);
        return result;
      } catch (error) {
        this.settle(outcomeOf(error), epoch, undefined, undefined, error);
        throw error;
      }
    });
  }

  status(): AckGuardStatus {
    return {
      circuit: this.breakers ? this.breakers.endpoint.state : 'disabled',
      openClusters: this.breakers ? this.breakers.clusters.openCount() : 0,
      inFlight: this.queue.inFlight,
      queued: this.queue.queued,
      concurrencyLimit: this.queue.limit,
    };
  }

  /** One cluster's own circuit. */
  clusterCircuit(clusterId: string): AckCircuitState {
    return this.breakers ? this.breakers.clusters.state(clusterId) : 'disabled';
  }

  private attempt<T>(call: () => Promise<T>, { caller, clusterId }: AckGuardCall): Promise<T> {
    const breakers = this.breakers;
    // Refused before it queues: a call for an open circuit never waits for a slot.
    if (breakers && clusterId !== undefined && !breakers.clusters.allows(clusterId)) {
      return Promise.reject(circuitOpen('cluster'));
    }
    if (breakers && !breakers.endpoint.allows()) return Promise.reject(circuitOpen('endpoint'));
    return this.enqueue(caller ?? ANONYMOUS_CALLER, async () => {
      // A circuit may have opened, or its trial been taken, while this call waited.
      let clusterLeave: ClusterPermit | undefined;
      let endpointLeave: BreakerPermit | undefined;
      if (breakers) {
        if (clusterId !== undefined) {
          clusterLeave = breakers.clusters.acquire(clusterId);
          if (!clusterLeave) throw circuitOpen('cluster');
        }
        endpointLeave = breakers.endpoint.acquire();
        if (!endpointLeave) {
          if (clusterLeave) breakers.clusters.record(clusterLeave, 'neutral');
          throw circuitOpen('endpoint');
        }
      }
      const epoch = this.limiter.epoch;
      try {
        const result = await call();
        this.settle('answered', epoch, clusterLeave, endpointLeave);
        return result;
      } catch (error) {
        this.settle(outcomeOf(error), epoch, clusterLeave, endpointLeave, error);
        throw error;
      }
    });
  }

  /** Teaches the limit and the breakers what one attempt said, while it still holds its slot. */
  private settle(
    outcome: Outcome,
    epoch: number,
    clusterLeave: ClusterPermit | undefined,
    endpointLeave: BreakerPermit | undefined,
    error?: unknown,
  ): void {
    if (outcome === 'throttled') {
      this.limiter.onThrottle(epoch, error instanceof AckError ? error.details.retryAfterMs : undefined);
      this.queue.setLimit(this.limiter.limit);
      this.queue.pauseUntil(this.limiter.pausedUntil);
    } else if (outcome === 'answered') {
      this.limiter.onSuccess(epoch);
      this.queue.setLimit(this.limiter.limit);
    }
    const breakers = this.breakers;
    if (!breakers) return;
    if (clusterLeave) breakers.clusters.record(clusterLeave, CLUSTER_VERDICTS[outcome]);
    breakers.endpoint.record(endpointLeave, this.endpointVerdict(outcome, clusterLeave, endpointLeave));
    if (outcome === 'answered' || outcome === 'throttled') breakers.spread?.answered();
    if (outcome === 'resource' && clusterLeave && breakers.spread) {
      const failing = breakers.spread.failure(clusterLeave.clusterId);
      // Nothing else in flight: no answer is still on its way that could show the endpoint works.
      if (
        failing >= breakers.spread.threshold &&
        this.queue.inFlight <= 1 &&
        breakers.endpoint.state === 'closed'
      ) {
        breakers.spread.answered();
        breakers.endpoint.trip(`${failing} distinct clusters failed with no answer from ACK in between`);
      }
    }
  }

  private endpointVerdict(
    outcome: Outcome,
    clusterLeave: ClusterPermit | undefined,
    endpointLeave: BreakerPermit | undefined,
  ): BreakerVerdict {
    switch (outcome) {
      case 'answered':
      case 'throttled':
        return 'success';
      case 'endpoint':
        return 'failure';
      case 'resource':
        // One cluster's failure is not the endpoint's, unless the call was about no cluster, or
        // it was the trial of an endpoint whose clusters were all failing.
        return !clusterLeave || endpointLeave === 'trial' ? 'failure' : 'neutral';
      case 'other':
        return 'neutral';
    }
  }

  private async enqueue<T>(caller: string, task: () => Promise<T>): Promise<T> {
    try {
      return await this.queue.run(caller, task);
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      this.refusals?.refused(error);
      throw new AckError('UNAVAILABLE', 'Too many ACK calls are waiting; try again shortly.', {
        upstreamCode: QUEUE_FULL_CODE,
      });
    }
  }
}

const isGuardRefusal = (error: unknown): boolean =>
  error instanceof AckError &&
  (error.details.upstreamCode === CIRCUIT_OPEN_CODE || error.details.upstreamCode === QUEUE_FULL_CODE);

function circuitOpen(scope: 'cluster' | 'endpoint'): AckError {
  return new AckError(
    'UNAVAILABLE',
    scope === 'cluster'
      ? 'ACK keeps failing for this cluster; calls to it are paused for a moment (circuit open).'
      : 'ACK is failing; calls are paused for a moment (circuit open).',
    { upstreamCode: CIRCUIT_OPEN_CODE },
  );
}

function logEndpointCircuit(logger: Logger, endpoint: string, state: BreakerState, reason?: string): void {
  if (state === 'open') {
    logger.warn({ endpoint, reason }, 'ACK circuit opened: calls fail fast until the cool-down ends');
  } else if (state === 'half-open') logger.info({ endpoint }, 'ACK circuit half-open: one trial call');
  else logger.info({ endpoint }, 'ACK circuit closed');
}

function logClusterCircuit(
  logger: Logger,
  endpoint: string,
  clusterId: string,
  state: BreakerState,
  from: BreakerState,
): void {
  // A cluster that stays broken cycles open -> half-open -> open every cool-down: only its
  // first opening and its recovery are worth a line at the default level.
  if (state === 'open' && from === 'closed') {
    logger.warn({ endpoint, clusterId }, "ACK cluster circuit opened: this cluster's calls fail fast");
  } else if (state === 'closed') {
    logger.info({ endpoint, clusterId }, 'ACK cluster circuit closed');
  } else {
    logger.debug({ endpoint, clusterId, state }, `ACK cluster circuit ${state}`);
  }
}

/**
 * Logs refused calls without flooding: one line when refusals start, then at most one per
 * `QUEUE_FULL_LOG_INTERVAL_MS` while they go on, and one when the queue has emptied, each
 * with the count of refusals since the previous line.
 */
class RefusalLog {
  private refusing = false;
  private since = 0;
  private lastLineAt = 0;

  constructor(
    private readonly logger: Logger,
    private readonly endpoint: string,
  ) {}

  refused(error: QueueFullError): void {
    const now = performance.now();
    if (!this.refusing) {
      this.refusing = true;
      this.since = 0;
      this.lastLineAt = now;
      this.logger.warn(
        { endpoint: this.endpoint, caller: error.caller, reason: error.reason },
        'ACK calls refused: the queue is full',
      );
      return;
    }
    this.since += 1;
    if (now - this.lastLineAt >= QUEUE_FULL_LOG_INTERVAL_MS) {
      this.logger.warn(
        { endpoint: this.endpoint, refused: this.since, caller: error.caller, reason: error.reason },
        'ACK calls still refused: the queue is full',
      );
      this.since = 0;
      this.lastLineAt = now;
    }
  }

  drained(): void {
    if (!this.refusing) return;
    this.refusing = false;
    this.logger.info(
      { endpoint: this.endpoint, refused: this.since },
      'ACK queue emptied; calls are accepted again',
    );
  }
}
