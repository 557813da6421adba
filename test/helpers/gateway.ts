import type { Server } from 'node:http';
import { afterEach } from 'vitest';
import type { AckCache, AckCacheOptions } from '../../src/ack/ack-cache.js';
import type { AckClient, AckClientOptions } from '../../src/ack/ack-client.js';
import type { App, AppOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import type { HttpHandlerOptions } from '../../src/http/front-door.js';
import type { HttpServerLimits } from '../../src/http/server.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createObservability, type Observability } from '../../src/observability/observability.js';
import { type AckSimulatorOptions, createAckSimulator } from '../../src/simulator/index.js';
import type { TypedDocumentString } from '../gql/graphql.js';

export const TEST_KEY = {
  accessKeyId: 'LTAItestKeyId000000000001',
  accessKeySecret: 'test-secret-never-shown-0001',
};

export interface TestGatewayOptions {
  simulator?: AckSimulatorOptions;
  /** Environment variables on top of the test defaults, parsed by the real `loadConfig`. */
  env?: Record<string, string>;
  /** Options of the HTTP layer behind `listen()` (the response cache). */
  http?: Partial<HttpHandlerOptions>;
  /** Timeouts and connection cap of the HTTP server behind `listen()`. */
  server?: HttpServerLimits;
  /** Options of the app itself (limits, CORS, CSRF, auth, ...). */
  app?: Partial<Omit<AppOptions, 'ack' | 'logger'>>;
  /** @default 30_000 */
  cacheTtlMs?: number;
  /** Where the gateway logs. @default silent */
  logger?: Logger;
  /** Metrics, traces and upstream logs. @default none (upstream log lines go to `logger`) */
  observability?: Observability;
  /** Stale-if-error grace and not-found TTL of the cache. @default the production defaults */
  cache?: Omit<AckCacheOptions, 'ttlMs'>;
  /**
   * Overrides for the gateway's ACK client (a wrong secret, short timeouts, another endpoint).
   * `resilience` is merged over `{ retryMaxAttempts: 1 }`: retries are off unless a test asks,
   * so upstream call counts stay exact; the breakers and concurrency bound keep their defaults.
   */
  client?: Partial<AckClientOptions>;
}

export type Simulator = ReturnType<typeof createAckSimulator>;

export interface TestGateway {
  app: App;
  simulator: Simulator;
  /** The gateway's ACK client (its circuit and concurrency status). */
  client: AckClient;
  /** `host:port` of the simulator. */
  endpoint: string;
  cache: AckCache;
  gateway: Gateway;
  /**
   * POST a GraphQL operation to the gateway (yoga's fetch handler: no socket needed). A typed
   * document from `test/gql` types the answer and the variables.
   */
  query: {
    <T, V>(
      query: TypedDocumentString<T, V>,
      variables?: V,
    ): Promise<{ data?: T | null; errors?: GraphQLErrorJson[] }>;
    // biome-ignore lint/suspicious/noExplicitAny: untyped operations are for shapes the tests build at run time.
    <T = Record<string, any>>(
      query: string,
      variables?: Record<string, unknown>,
    ): Promise<{ data?: T | null; errors?: GraphQLErrorJson[] }>;
  };
  /** Upstream calls the simulator answered since the last reset. */
  upstreamCalls: () => number;
  /** Starts the gateway on a real loopback port (for browsers and HTTP audits). */
  listen: () => Promise<string>;
  close: () => Promise<void>;
}

export interface GraphQLErrorJson {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; upstream?: { code?: string; requestId?: string } } & Record<string, unknown>;
}

/**
 * A gateway built by the production factory (`createGateway`) from a configuration the real
 * `loadConfig` parsed, against a fresh simulator on a loopback port; parts are swapped only
 * through the factory's overrides.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const simulator = createAckSimulator({ ...TEST_KEY, ...options.simulator });
  const { endpoint } = await simulator.listen(0, '127.0.0.1');
  const logger = options.logger ?? createLogger('silent');
  const config = loadConfig({
    ACK_ENDPOINT: endpoint,
    ACK_PROTOCOL: 'http',
    ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
    ACK_CONNECT_TIMEOUT_MS: '2000',
    ACK_READ_TIMEOUT_MS: '5000',
    ACK_RETRY_MAX_ATTEMPTS: '1',
    CACHE_TTL_MS: String(options.cacheTtlMs ?? 30_000),
    WARM_UP: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    ...options.env,
  });
  const gateway = await createGateway({ ...config, http: { ...config.http, ...options.server } }, logger, {
    observability:
      options.observability ??
      (await createObservability({ metrics: { enabled: false }, tracing: {} }, logger)),
    authenticate: options.app?.authenticate,
    policy: options.app?.policy,
    client: options.client,
    cache: options.cache,
    app: options.app,
    http: options.http,
  });
  const { app } = gateway;
  let server: Server | undefined;
  return {
    app,
    simulator,
    client: gateway.client,
    endpoint,
    cache: gateway.cache,
    gateway,
    query: (async (query: string | TypedDocumentString<unknown, unknown>, variables?: unknown) => {
      const response = await app.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: String(query), variables }),
      });
      return response.json();
    }) as TestGateway['query'],
    upstreamCalls: () => simulator.stats().total,
    listen: async () => {
      // The real HTTP layer, as main.ts serves it (response cache included).
      const listening = await gateway.listen(0, '127.0.0.1');
      server = listening.server;
      return listening.url;
    },
    close: async () => {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server?.close(resolve));
      }
      await gateway.close();
      await simulator.close();
    },
  };
}

/**
 * A start function for test files whose tests each start their own gateway: whatever the last
 * one started is closed after every test.
 */
export function gatewayPerTest(): (options?: TestGatewayOptions) => Promise<TestGateway> {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });
  return async (options = {}) => {
    gateway = await startTestGateway(options);
    return gateway;
  };
}
