import { Writable } from 'node:stream';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { Authenticator } from '../../src/auth/authenticate.js';
import { createLogger } from '../../src/logger.js';
import { createObservability } from '../../src/observability/observability.js';
import type { AckSimulatorOptions } from '../../src/simulator/index.js';
import { startTestGateway } from './gateway.js';

export interface ObservedGatewayOptions {
  simulator?: AckSimulatorOptions;
  /** @default { enabled: true } */
  metrics?: { enabled: boolean; token?: string };
  /** Spans go here (tracing is off without it). */
  spanExporter?: SpanExporter;
  /** @default 'debug' */
  logLevel?: string;
  /** @default 30_000 */
  cacheTtlMs?: number;
  /** Attempts per upstream call. @default 1 */
  retryMaxAttempts?: number;
  /** @default every caller is anonymous */
  authenticate?: Authenticator;
}

/**
 * A gateway wired by the production factory with real observability (createObservability),
 * against a fresh simulator, with every log line captured.
 */
export async function startObservedGateway(options: ObservedGatewayOptions = {}) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger(options.logLevel ?? 'debug', sink);
  const observability = await createObservability(
    {
      metrics: options.metrics ?? { enabled: true },
      tracing: { exporter: options.spanExporter, serviceName: 'ack-nodepool-gateway-test' },
    },
    logger,
  );
  const gateway = await startTestGateway({
    simulator: options.simulator,
    logger,
    observability,
    cacheTtlMs: options.cacheTtlMs,
    client: { resilience: { retryMaxAttempts: options.retryMaxAttempts ?? 1, retryBaseDelayMs: 1 } },
    app: { authenticate: options.authenticate },
  });
  const { app } = gateway;
  const post = async (
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<{ response: Response; body: { data?: Record<string, unknown> | null; errors?: unknown[] } }> => {
    const response = await app.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { response, body: await response.json() };
  };
  return {
    app,
    simulator: gateway.simulator,
    client: gateway.client,
    cache: gateway.cache,
    post,
    /** Every log line so far, parsed. */
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    /** Every log line so far, as written. */
    rawLogs: () => lines.join('\n'),
    /** The real HTTP layer (response cache included) on a loopback port. */
    listen: gateway.listen,
    scrape: async (headers: Record<string, string> = {}) => {
      const response = await app.fetch('http://gateway.test/metrics', { headers });
      return {
        status: response.status,
        text: await response.text(),
        type: response.headers.get('content-type'),
      };
    },
    close: async () => {
      await observability.shutdown();
      await gateway.close();
    },
  };
}

/** The sum of the samples of `name` whose labels include `labels`, or undefined when none matches. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) {
      sum = (sum ?? 0) + Number(match[3]);
    }
  }
  return sum;
}
