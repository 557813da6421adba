import type { AckObserver } from '../ack/ack-observer.js';
import type { Logger } from '../logger.js';
import type { FrontDoorEvent } from '../request/exchange.js';
import { createMetrics, type GuardedEndpoint, type WatchedSharedTier } from './metrics.js';
import type { ObservabilityOptions } from './plugin.js';
import { createTracing, type TracingOptions } from './tracing.js';
import { createUpstreamLog } from './upstream-log.js';

export interface ObservabilitySettings {
  metrics: { enabled: boolean; token?: string };
  tracing: TracingOptions;
}

/** One observer that tells each of `observers` (undefined entries are skipped). */
export function combineAckObservers(...observers: (AckObserver | undefined)[]): AckObserver | undefined {
  const present = observers.filter((observer): observer is AckObserver => observer !== undefined);
  if (present.length <= 1) return present[0];
  return {
    onCallStart: (call) => {
      const listeners = present.flatMap((observer) => observer.onCallStart?.(call) ?? []);
      return (end) => {
        for (const listener of listeners) listener(end);
      };
    },
    onCache: (event) => {
      for (const observer of present) observer.onCache?.(event);
    },
  };
}

/**
 * Metrics, tracing and upstream call logs as configured, wired once for the process: hand
 * `ackObserver` to the AckClient and AckCache, `app` to createApp, `watch` each AckClient, and
 * `shutdown` last (it sends the spans still buffered).
 */
export async function createObservability(settings: ObservabilitySettings, logger: Logger) {
  const metrics = settings.metrics.enabled ? createMetrics() : undefined;
  const tracing = await createTracing(settings.tracing);
  const app: ObservabilityOptions = { metrics, tracing, metricsToken: settings.metrics.token };
  return {
    app,
    ackObserver: combineAckObservers(createUpstreamLog(logger), metrics?.ackObserver, tracing?.ackObserver),
    watch: (client: GuardedEndpoint): void => metrics?.watch(client),
    /** Hand to the AckCache's shared tier: counts what the Redis tier did per read. */
    sharedTierObserver: metrics?.sharedTierObserver,
    /** Reports the Redis shared tier's state (`ack_gateway_redis_up`) at every scrape. */
    watchSharedTier: (tier: WatchedSharedTier): void => metrics?.watchSharedTier(tier),
    /**
     * The front door's answers: every one counts in the response cache metric; replays (hits,
     * shared answers) never reach the app, so they get their request metric and log line here.
     */
    onFrontDoorAnswer: (event: FrontDoorEvent): void => {
      metrics?.recordResponseCache(event.result);
      if (event.result === 'miss') return;
      const { requestId, operationName, status, result } = event;
      const durationMs = Math.round(event.durationMs * 10) / 10;
      metrics?.recordRequest({
        operationName,
        status,
        durationMs: event.durationMs,
        errorCodes: [],
        servedFrom: 'response_cache',
      });
      logger.info({ requestId, operationName, status, durationMs, responseCache: result }, 'GraphQL request');
    },
    /** A queued execution dropped unstarted: every caller of it hung up. */
    onExecutionAbandoned: (): void => {
      metrics?.recordAbandonedExecution();
    },
    /** Counts one unhandled promise rejection (`unhandled-rejections.ts`). */
    onUnhandledRejection: (): void => metrics?.recordUnhandledRejection(),
    shutdown: async (): Promise<void> => {
      await tracing?.shutdown();
    },
  };
}

export type Observability = Awaited<ReturnType<typeof createObservability>>;
