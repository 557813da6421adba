import {
  bulkhead,
  CircuitState,
  circuitBreaker,
  ExponentialBackoff,
  fullJitterGenerator,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
  type IRetryBackoffContext,
  isBrokenCircuitError,
  isBulkheadRejectedError,
  noop,
  retry,
  SamplingBreaker,
  wrap,
} from 'cockatiel';
import type { Logger } from '../logger.js';
import { AckError, isRetryable } from './errors.js';

/** Attempts per upstream call in all, the first one included. */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 3;
/** Cap of the first retry's full-jitter backoff; it doubles per retry. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 100;
/** The longest wait before one retry, ACK's retry-after included. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 2_000;
/** Fewest attempts in the window before an endpoint's circuit may open. */
export const DEFAULT_BREAKER_FAILURES = 5;
/** Share of failed attempts, over the window, that opens the circuit. */
export const DEFAULT_BREAKER_FAILURE_RATIO = 0.5;
/** The breaker's sliding window. */
export const DEFAULT_BREAKER_WINDOW_MS = 10_000;
/** How long an open circuit fails fast before one trial call may pass. */
export const DEFAULT_BREAKER_COOLDOWN_MS = 10_000;
/** Upstream calls in flight at once per endpoint (ACK's rate limits are per account). */
export const DEFAULT_MAX_CONCURRENCY = 20;
/** Calls that may wait for a free slot; beyond them a call fails at once. */
export const DEFAULT_MAX_QUEUE = 256;

/** `AckError.details.upstreamCode` of a call refused because the endpoint's circuit is open. */
export const CIRCUIT_OPEN_CODE = 'CircuitOpen';
/** `AckError.details.upstreamCode` of a call refused because too many calls already wait. */
export const QUEUE_FULL_CODE = 'QueueFull';

/** How the gateway protects ACK and itself from each other; one set per AckClient. */
export interface AckResilienceOptions {
  /** Attempts per call in all, the first included; 1 disables retries. @default DEFAULT_RETRY_MAX_ATTEMPTS */
  retryMaxAttempts?: number;
  /** Cap of the first retry's full-jitter backoff, doubled per retry. @default DEFAULT_RETRY_BASE_DELAY_MS */
  retryBaseDelayMs?: number;
  /**
   * The longest wait before one retry. A throttled answer whose retry-after is longer is not
   * retried: it fails at once, carrying `retryAfterMs`. @default DEFAULT_RETRY_MAX_DELAY_MS
   */
  retryMaxDelayMs?: number;
  /**
   * Fewest attempts within the window before the breaker may judge the endpoint; 0 disables the
   * breaker. @default DEFAULT_BREAKER_FAILURES
   */
  breakerFailures?: number;
  /** Share of failed attempts in the window that opens the circuit. @default DEFAULT_BREAKER_FAILURE_RATIO */
  breakerFailureRatio?: number;
  /** The sliding window the breaker judges. @default DEFAULT_BREAKER_WINDOW_MS */
  breakerWindowMs?: number;
  /** How long the open circuit fails fast before a trial call. @default DEFAULT_BREAKER_COOLDOWN_MS */
  breakerCooldownMs?: number;
  /** Upstream calls in flight at once. @default DEFAULT_MAX_CONCURRENCY */
  maxConcurrency?: number;
  /** Calls waiting for a slot at most; 0 means none wait. @default DEFAULT_MAX_QUEUE */
  maxQueue?: number;
}

export type AckCircuitState = 'closed' | 'open' | 'half-open' | 'isolated' | 'disabled';

/** A snapshot of an endpoint's guard, for logs, probes and tests. */
export interface AckGuardStatus {
  circuit: AckCircuitState;
  /** Upstream calls running now. */
  inFlight: number;
  /** Calls waiting for a slot. */
  queued: number;
}

const CIRCUIT_STATES: Record<CircuitState, AckCircuitState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
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

/**
 * Retries, a circuit breaker and a concurrency bound around one endpoint's upstream calls
 * (cockatiel policies), from the outside in:
 * - retry: only failures ACK or the network may get over (`isRetryable`), never 4xx answers;
 *   full-jitter exponential backoff, at least ACK's retry-after;
 * - circuit breaker: counts every attempt's retryable failure; while open, calls fail at once
 *   with `UNAVAILABLE`/`CircuitOpen` and cost no upstream call. Other answers (404, 403) neither
 *   open nor keep it open;
 * - bulkhead: at most `maxConcurrency` attempts in flight, `maxQueue` waiting, else
 *   `UNAVAILABLE`/`QueueFull`. Retries wait for their backoff outside it, holding no slot.
 */
export class AckCallGuard {
  private readonly policy: IPolicy;
  private readonly breaker;
  private readonly slots;
  private readonly maxConcurrency: number;
  private readonly maxQueue: number;

  constructor(options: AckResilienceOptions = {}, logger?: Logger, endpoint = 'ACK') {
    const maxAttempts = Math.max(1, options.retryMaxAttempts ?? DEFAULT_RETRY_MAX_ATTEMPTS);
    const maxDelay = options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
    const retries = retry(
      // A retry-after beyond the longest wait is not waited for: the caller learns it at once.
      handleWhen((error) => isRetryable(error) && (error.details.retryAfterMs ?? 0) <= maxDelay),
      {
        maxAttempts: maxAttempts - 1,
        backoff: honouringRetryAfter(
          new ExponentialBackoff({
            generator: fullJitterGenerator,
            initialDelay: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
            maxDelay,
          }),
        ),
      },
    );
    const failures = options.breakerFailures ?? DEFAULT_BREAKER_FAILURES;
    this.breaker =
      failures > 0
        ? circuitBreaker(handleWhen(isRetryable), {
            halfOpenAfter: options.breakerCooldownMs ?? DEFAULT_BREAKER_COOLDOWN_MS,
            // A share of failures over a window, not a run of them: a few broken clusters
            // (per-cluster 5xx) must not cut every healthy cluster of the endpoint off.
            breaker: new SamplingBreaker({
              threshold: options.breakerFailureRatio ?? DEFAULT_BREAKER_FAILURE_RATIO,
              duration: options.breakerWindowMs ?? DEFAULT_BREAKER_WINDOW_MS,
              minimumRps: failures / ((options.breakerWindowMs ?? DEFAULT_BREAKER_WINDOW_MS) / 1000),
            }),
          })
        : undefined;
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY);
    this.maxQueue = Math.max(0, options.maxQueue ?? DEFAULT_MAX_QUEUE);
    this.slots = bulkhead(this.maxConcurrency, this.maxQueue);
    this.policy = wrap(retries, this.breaker ?? noop, this.slots);

    if (logger) {
      retries.onRetry(({ attempt, delay, ...reason }) => {
        const error = 'error' in reason ? reason.error : undefined;
        logger.debug(
          { endpoint, attempt, delayMs: delay, kind: error instanceof AckError ? error.kind : undefined },
          'Retrying an ACK call',
        );
      });
      this.breaker?.onBreak(() =>
        logger.warn({ endpoint }, 'ACK circuit opened: calls fail fast until the cool-down ends'),
      );
      this.breaker?.onHalfOpen(() => logger.info({ endpoint }, 'ACK circuit half-open: one trial call'));
      this.breaker?.onReset(() => logger.info({ endpoint }, 'ACK circuit closed'));
      this.slots.onReject(() => logger.warn({ endpoint }, 'ACK call refused: the queue is full'));
    }
  }

  /** Runs one logical upstream call with retries, breaker and concurrency bound. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    let lastFailure: AckError | undefined;
    try {
      return await this.policy.execute(async () => {
        try {
          return await call();
        } catch (error) {
          if (error instanceof AckError) lastFailure = error;
          throw error;
        }
      });
    } catch (error) {
      // The circuit opened (or the queue filled) between attempts: the real failure says more.
      throw lastFailure && isGuardRefusal(error) ? lastFailure : toGuardError(error);
    }
  }

  /**
   * One attempt within the concurrency bound, past the breaker: for health probes, which must
   * see ACK as it is, quickly.
   */
  async probe<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.slots.execute(call);
    } catch (error) {
      throw toGuardError(error);
    }
  }

  status(): AckGuardStatus {
    return {
      circuit: this.breaker ? CIRCUIT_STATES[this.breaker.state] : 'disabled',
      inFlight: this.maxConcurrency - this.slots.executionSlots,
      queued: this.maxQueue - this.slots.queueSlots,
    };
  }
}

const isGuardRefusal = (error: unknown): boolean =>
  isBrokenCircuitError(error) || isBulkheadRejectedError(error);

function toGuardError(error: unknown): unknown {
  // Isolated circuits (an operator's switch) are broken circuits too.
  if (isBrokenCircuitError(error)) {
    return new AckError('UNAVAILABLE', 'ACK is failing; calls are paused for a moment (circuit open).', {
      upstreamCode: CIRCUIT_OPEN_CODE,
    });
  }
  if (isBulkheadRejectedError(error)) {
    return new AckError('UNAVAILABLE', 'Too many ACK calls are waiting; try again shortly.', {
      upstreamCode: QUEUE_FULL_CODE,
    });
  }
  return error;
}
