import type { AddressInfo } from 'node:net';
import { AckApi } from './ack/ack-api.js';
import { AckCache, type AckCacheOptions } from './ack/ack-cache.js';
import { AckClient, type AckClientOptions } from './ack/ack-client.js';
import { type App, type AppOptions, createApp } from './app.js';
import type { AuthConfig } from './auth/auth-config.js';
import { type Authenticator, createAuthenticator } from './auth/authenticate.js';
import { createPolicy, type Policy } from './auth/policy.js';
import type { Config } from './config.js';
import { createHttpHandler, type HttpHandlerOptions } from './http/front-door.js';
import { createHttpServer } from './http/server.js';
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
  /** Merged over the app options the configuration gives. */
  app?: Partial<Omit<AppOptions, 'ack' | 'logger'>>;
  /** Merged over the HTTP layer's options the configuration gives. */
  http?: Partial<HttpHandlerOptions>;
}

export interface Gateway {
  /** The GraphQL app (yoga): `app.fetch(...)` answers without a socket. */
  app: App;
  /** The HTTP layer over the app, for a Node server. */
  handler: ReturnType<typeof createHttpHandler>;
  client: AckClient;
  cache: AckCache;
  ack: AckApi;
  observability: Observability;
  /** Settles when the execution path is warmed up (at once with `WARM_UP=false`). */
  ready: Promise<void>;
  /** Listens on `port`/`host` (default: the configuration's) with the configured HTTP limits. */
  listen: (
    port?: number,
    host?: string,
  ) => Promise<{ server: ReturnType<typeof createHttpServer>; url: string }>;
  /** Flushes what observability buffers; the server, if any, is the caller's to close first. */
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
  const cache = new AckCache({ ...config.cache, observer, ...overrides.cache });
  const ack = new AckApi(client, cache, logger);
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
    ack,
    observability,
    ready,
    listen: async (port = config.port, host = config.host) => {
      const server = createHttpServer(handler, config.http);
      await new Promise<void>((resolve) => server.listen(port, host, resolve));
      const address = server.address() as AddressInfo;
      return { server, url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}` };
    },
    close: () => observability.shutdown(),
  };
}
