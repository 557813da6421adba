import type { AddressInfo } from 'node:net';
import { AckApi } from './ack/ack-api.js';
import { AckCache, type AckCacheOptions } from './ack/ack-cache.js';
import { AckClient, type AckClientOptions } from './ack/ack-client.js';
import type { SharedTier } from './ack/shared-tier.js';
import { ClusterWatcher, type WatchCoordinator } from './ack/watcher.js';
import { type App, type AppOptions, createApp } from './app.js';
import type { AuthConfig } from './auth/auth-config.js';
import { type Authenticator, createAuthenticator } from './auth/authenticate.js';
import { createPolicy, type Policy } from './auth/policy.js';
import type { Config } from './config.js';
import { DEFAULT_REDIS_CONNECT_WAIT_MS } from './defaults.js';
import { createHttpHandler, type HttpHandlerOptions } from './http/front-door.js';
import { createHttpServer } from './http/server.js';
import { attachWebSocket, type WebSocketTransport } from './http/websocket.js';
import type { Logger } from './logger.js';
import { createObservability, type Observability } from './observability/observability.js';
import { warmUp } from './warm-up.js';

/**
 * Parts a caller (a test, the bench, the warm-up) swaps in instead of the ones the
 * configuration would build; everything not given is wired from `config` as in production.
 */
export interface GatewayOverrides {
  /** Who callers are and what they may see. @default from `auth`, else everyone anonymous */
  auth?: AuthConfig;
  authenticate?: Authenticator;
  policy?: Policy;
  /** @default built from `config.observability` */
  observability?: Observability;
  /** Merged over the ACK client options the configuration gives. */
  client?: Partial<AckClientOptions>;
  /** Merged over the ACK cache options the configuration gives. */
  cache?: Partial<AckCacheOptions>;
  /** The tier shared with other replicas, instead of the Redis one `config.redis` would connect. */
  sharedTier?: SharedTier;
  /** Merged over the app options the configuration gives. */
  app?: Partial<Omit<AppOptions, 'ack' | 'logger'>>;
  /** Merged over the HTTP layer's options the configuration gives. */
  http?: Partial<HttpHandlerOptions>;
  /**
   * Who polls watched clusters and how observations reach every replica (src/ack/watch-coordinator.ts).
   * @default this process alone
   */
  watchCoordinator?: WatchCoordinator;
}

export interface Gateway {
  /** The GraphQL app (yoga): `app.fetch(...)` answers without a socket. */
  app: App;
  /** The HTTP layer over the app, for a Node server. */
  handler: ReturnType<typeof createHttpHandler>;
  client: AckClient;
  cache: AckCache;
  /** The Redis shared tier under the cache, when `REDIS_URL` is set (docs/replicas.md). */
  sharedTier: SharedTier | undefined;
  ack: AckApi;
  observability: Observability;
  /** Settles when the execution path is warmed up (at once with `WARM_UP=false`). */
  ready: Promise<void>;
  /** Listens on `port`/`host` (default: the configuration's) with the configured HTTP limits. */
  listen: (
    port?: number,
    host?: string,
  ) => Promise<{ server: ReturnType<typeof createHttpServer>; url: string }>;
  /** Polls the clusters `nodePools` subscriptions watch. */
  watcher: ClusterWatcher;
  /**
   * Completes every subscription (SSE streams end, WebSocket operations send `complete`, then
   * their sockets close with 1001) and refuses new ones: call it before closing the server.
   */
  stopWatching: () => Promise<void>;
  /**
   * Closes the Redis connections (if this gateway opened them) and flushes what observability
   * buffers; the server, if any, is the caller's to close first.
   */
  close: () => Promise<void>;
}

/**
 * The one place that wires the gateway: the ACK client (signing, retries, breakers, fair queue),
 * the ACK cache, the API over them, authentication and policy, observability, the GraphQL app
 * and the HTTP layer. `main.ts`, the warm-up, the tests, the bench and the soak all build the
 * gateway here, swapping parts through `overrides`, so a new part is wired once.
 */
export async function createGateway(
  config: Config,
  logger: Logger,
  overrides: GatewayOverrides = {},
): Promise<Gateway> {
  const observability = overrides.observability ?? (await createObservability(config.observability, logger));
  const observer = observability.ackObserver;
  const client = new AckClient({
    ...config.ack,
    logger,
    observer,
    ...overrides.client,
    resilience: { ...config.resilience, ...overrides.client?.resilience },
  });
  observability.watch(client);
  // Redis as the shared tier (REDIS_URL); nothing to share when caching is off. ioredis and
  // the Redis parts load only then: some 11 MB of resident memory a lone replica does not need.
  const redisParts =
    !overrides.sharedTier && config.redis && config.cache.ttlMs > 0 ? await loadRedisParts() : undefined;
  const ownTier =
    redisParts && config.redis ? new redisParts.RedisTier({ ...config.redis, logger }) : undefined;
  const sharedTier = overrides.sharedTier ?? ownTier;
  if (sharedTier) observability.watchSharedTier(sharedTier);
  // A replica that starts warm reads the others' answers from its first request on; a Redis that
  // does not answer soon only means this one starts cold (it keeps reconnecting meanwhile).
  await ownTier?.whenUp(DEFAULT_REDIS_CONNECT_WAIT_MS);
  const cache = new AckCache({
    ...config.cache,
    observer,
    ...(sharedTier
      ? {
          shared: {
            tier: sharedTier,
            leaseMs: config.redis?.leaseMs,
            // No request waits longer for ACK, so none waits longer for another replica's call.
            maxWaitMs: config.requestDeadlineMs,
            observer: observability.sharedTierObserver,
          },
        }
      : {}),
    ...overrides.cache,
  });
  const ack = new AckApi(client, cache, logger);
  // With Redis, one replica polls each watched cluster for the fleet, and its observations reach
  // every replica's subscribers through Redis pub/sub.
  const ownCoordinator =
    !overrides.watchCoordinator && ownTier && redisParts
      ? new redisParts.RedisWatchCoordinator({
          ...ownTier.openConnections(),
          keyPrefix: config.redis?.keyPrefix,
          logger,
          ownsConnections: true,
        })
      : undefined;
  const watcher = new ClusterWatcher(ack, {
    ...config.watch,
    identity: client.identity,
    coordinator: overrides.watchCoordinator ?? ownCoordinator,
    logger,
  });
  const webSockets = new Set<WebSocketTransport>();
  const stopWatching = async () => {
    await watcher.close();
    const closing = [...webSockets];
    webSockets.clear();
    await Promise.all(closing.map((transport) => transport.close()));
  };
  const auth = overrides.auth;
  const authenticate =
    overrides.authenticate ?? (auth ? createAuthenticator(auth.authentication) : undefined);
  const policy = overrides.policy ?? (auth ? createPolicy(auth.policy.statements, auth.policy) : undefined);
  const authHeader =
    auth?.authentication.mode === 'api-key'
      ? { name: 'Authorization', placeholder: 'Bearer <your API key>' }
      : auth?.authentication.mode === 'jwt'
        ? { name: 'Authorization', placeholder: 'Bearer <your JWT>' }
        : undefined;
  const app = createApp({
    ack,
    logger,
    authenticate,
    policy,

    graphiql: config.graphiql,
    introspection: config.introspection,
    csrfPrevention: config.csrfPrevention,
    corsOrigins: config.corsOrigins,
    limits: config.limits,
    requestDeadlineMs: config.requestDeadlineMs,
    maxUpstreamCallsPerRequest: config.maxUpstreamCallsPerRequest,
    observability: observability.app,
    trustedDocuments: config.trustedDocuments,
    watcher,
    ...overrides.app,
    graphiqlExample: { authHeader, ...overrides.app?.graphiqlExample },
  });
  const handler = createHttpHandler(app, {
    responseCache: config.responseCache.enabled,
    responseCacheMaxBytes: config.responseCache.maxBytes,
    ttlMs: config.cache.ttlMs,
    maxBodyBytes: overrides.app?.limits?.maxBodyBytes ?? config.limits.maxBodyBytes,
    authenticate,
    policy,
    onAnswer: observability.onFrontDoorAnswer,
    maxConcurrentExecutions: config.maxConcurrentExecutions,
    onAbandoned: observability.onExecutionAbandoned,
    ...overrides.http,
  });
  // Before listening: the first burst of real requests should not meet cold code. The
  // rehearsal is a throwaway gateway of the same wiring, quiet, over a loopback stand-in.
  const ready = config.warmUp
    ? warmUp(logger, async (upstream) => {
        const quiet = logger.child({ phase: 'warm-up' }, { level: 'silent' });
        const rehearsal = await createGateway(
          {
            ...config,
            warmUp: false,
            // The rehearsal talks to a throwaway stand-in: nothing of it belongs in Redis.
            redis: undefined,
            graphiql: false,
            csrfPrevention: false,
            cache: { ...config.cache, ttlMs: 0 },
            ack: { ...config.ack, ...upstream, protocol: 'http' },
          },
          quiet,
          { observability: await createObservability({ metrics: { enabled: false }, tracing: {} }, quiet) },
        );
        return rehearsal.app;
      })
    : Promise.resolve();
  return {
    app,
    handler,
    client,
    cache,
    sharedTier,
    ack,
    observability,
    ready,
    listen: async (port = config.port, host = config.host) => {
      const server = createHttpServer(handler, config.http);
      webSockets.add(
        attachWebSocket(server, app, {
          authenticate,
          corsOrigins: config.corsOrigins,
          maxPayloadBytes: overrides.app?.limits?.maxBodyBytes ?? config.limits.maxBodyBytes,
          logger,
        }),
      );
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const address = server.address() as AddressInfo;
      return { server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}` };
    },
    watcher,
    stopWatching,
    close: () =>
      stopWatching()
        .then(() => ownCoordinator?.close())
        .then(() => ownTier?.close())
        .then(() => observability.shutdown()),
  };
}

async function loadRedisParts() {
  const [{ RedisTier }, { RedisWatchCoordinator }] = await Promise.all([
    import('./ack/redis-tier.js'),
    import('./ack/redis-watch-coordinator.js'),
  ]);
  return { RedisTier, RedisWatchCoordinator };
}
