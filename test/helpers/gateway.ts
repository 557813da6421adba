import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AckApi } from '../../src/ack/ack-api.js';
import { AckCache, type AckCacheOptions } from '../../src/ack/ack-cache.js';
import { AckClient, type AckClientOptions } from '../../src/ack/ack-client.js';
import { type App, type AppOptions, createApp } from '../../src/app.js';
import { createHttpHandler, type HttpHandlerOptions } from '../../src/http-handler.js';
import { DEFAULT_QUERY_LIMITS } from '../../src/limits.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { type AckSimulatorOptions, createAckSimulator } from '../../src/simulator/index.js';
import type { TypedDocumentString } from '../gql/graphql.js';

export const TEST_KEY = {
  accessKeyId: 'LTAItestKeyId000000000001',
  accessKeySecret: 'test-secret-never-shown-0001',
};

export interface TestGatewayOptions {
  simulator?: AckSimulatorOptions;
  /** Options of the HTTP front door behind `listen()` (the response cache). */
  http?: Partial<HttpHandlerOptions>;
  /** Options of the app itself (limits, CORS, CSRF, auth, ...). */
  app?: Partial<Omit<AppOptions, 'ack' | 'logger'>>;
  /** @default 30_000 */
  cacheTtlMs?: number;
  /** Where the gateway logs. @default silent */
  logger?: Logger;
  /** Stale-if-error grace and not-found TTL of the cache. @default the production defaults */
  cache?: Omit<AckCacheOptions, 'ttlMs'>;
  /**
   * Overrides for the gateway's ACK client (a wrong secret, short timeouts, another endpoint).
   * `resilience` is merged over `{ retryMaxAttempts: 1 }`: retries are off unless a test asks,
   * so upstream call counts stay exact; the breaker and concurrency bound keep their defaults.
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

/** A gateway wired exactly as main.ts wires it, against a fresh simulator on a loopback port. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const simulator = createAckSimulator({ ...TEST_KEY, ...options.simulator });
  const { endpoint } = await simulator.listen(0, '127.0.0.1');
  const logger = options.logger ?? createLogger('silent');
  const client = new AckClient({
    endpoint,
    protocol: 'http',
    credentials: TEST_KEY,
    connectTimeoutMs: 2_000,
    readTimeoutMs: 5_000,
    ...options.client,
    resilience: { retryMaxAttempts: 1, ...options.client?.resilience },
  });
  const cache = new AckCache({ ttlMs: options.cacheTtlMs ?? 30_000, ...options.cache });
  const app = createApp({ ack: new AckApi(client, cache, logger), logger, ...options.app });
  let server: Server | undefined;
  return {
    app,
    simulator,
    client,
    endpoint,
    cache,
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
      // The real front door, as main.ts serves it (response cache included).
      server = createServer(
        createHttpHandler(app, {
          ttlMs: options.cacheTtlMs ?? 30_000,
          maxBodyBytes: options.app?.limits?.maxBodyBytes ?? DEFAULT_QUERY_LIMITS.maxBodyBytes,
          authenticate: options.app?.authenticate,
          policy: options.app?.policy,
          ...options.http,
        }),
      );
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: async () => {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server?.close(resolve));
      }
      await simulator.close();
    },
  };
}
