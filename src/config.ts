import { z } from 'zod';
import {
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_NOT_FOUND_TTL_MS,
  DEFAULT_STALE_GRACE_MS,
} from './ack/ack-cache.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS } from './ack/ack-client.js';
import {
  type AckResilienceOptions,
  DEFAULT_BREAKER_COOLDOWN_MS,
  DEFAULT_BREAKER_FAILURE_RATIO,
  DEFAULT_BREAKER_FAILURES,
  DEFAULT_BREAKER_WINDOW_MS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_QUEUE,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
} from './ack/resilience.js';
import { type AuthConfig, AuthConfigError, AuthEnvSchema, toAuthConfig } from './auth/auth-config.js';
import { DEFAULT_REQUEST_DEADLINE_MS } from './context.js';
import { DEFAULT_RESPONSE_CACHE_MAX_BYTES } from './http-handler.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits.js';
import { DEFAULT_SERVICE_NAME } from './observability/tracing.js';

export const DEFAULT_PORT = 4000;

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((value) => (value === '' ? undefined : ['1', 'true', 'yes'].includes(value)))
  .optional();
const count = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Every environment variable the gateway reads; nothing else reads `process.env`. */
const EnvSchema = z.object({
  PORT: count(DEFAULT_PORT).pipe(z.number().max(65_535)),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ACK_ENDPOINT: optionalString.refine((value) => value === undefined || !value.includes('://'), {
    message: 'must be host[:port] without a scheme; set ACK_PROTOCOL for http',
  }),
  ACK_PROTOCOL: z.enum(['http', 'https']).default('https'),
  ACK_CONNECT_TIMEOUT_MS: count(DEFAULT_CONNECT_TIMEOUT_MS, 1),
  ACK_READ_TIMEOUT_MS: count(DEFAULT_READ_TIMEOUT_MS, 1),
  ACK_SIMULATOR: flag,
  ALIBABA_CLOUD_REGION_ID: optionalString,
  ALIBABA_CLOUD_ACCESS_KEY_ID: optionalString,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: optionalString,
  ALIBABA_CLOUD_SECURITY_TOKEN: optionalString,
  CACHE_TTL_MS: count(DEFAULT_CACHE_TTL_MS),
  CACHE_MAX_ENTRIES: count(DEFAULT_CACHE_MAX_ENTRIES, 1),
  // --- upstream resilience (issue 5) ---
  ACK_RETRY_MAX_ATTEMPTS: count(DEFAULT_RETRY_MAX_ATTEMPTS, 1),
  ACK_RETRY_BASE_DELAY_MS: count(DEFAULT_RETRY_BASE_DELAY_MS),
  ACK_RETRY_MAX_DELAY_MS: count(DEFAULT_RETRY_MAX_DELAY_MS),
  ACK_BREAKER_FAILURES: count(DEFAULT_BREAKER_FAILURES),
  ACK_BREAKER_FAILURE_RATIO: z.coerce.number().gt(0).lte(1).default(DEFAULT_BREAKER_FAILURE_RATIO),
  ACK_BREAKER_WINDOW_MS: count(DEFAULT_BREAKER_WINDOW_MS, 1),
  ACK_BREAKER_COOLDOWN_MS: count(DEFAULT_BREAKER_COOLDOWN_MS, 1),
  ACK_MAX_CONCURRENCY: count(DEFAULT_MAX_CONCURRENCY, 1),
  ACK_MAX_QUEUE: count(DEFAULT_MAX_QUEUE),
  CACHE_STALE_GRACE_MS: count(DEFAULT_STALE_GRACE_MS),
  CACHE_NOT_FOUND_TTL_MS: count(DEFAULT_NOT_FOUND_TTL_MS),
  // --- end upstream resilience ---
  // --- observability (issue 6) ---
  METRICS: flag,
  METRICS_TOKEN: optionalString,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.refine(
    (value) => value === undefined || /^https?:\/\/\S+$/.test(value),
    { message: 'must be an http(s) URL, e.g. http://otel-collector:4318' },
  ),
  OTEL_SERVICE_NAME: optionalString,
  // --- end observability ---
  GRAPHIQL: flag,
  GRAPHQL_INTROSPECTION: flag,
  CSRF_PREVENTION: flag,
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().url())),
  MAX_QUERY_DEPTH: count(DEFAULT_QUERY_LIMITS.maxDepth, 1),
  MAX_QUERY_COST: count(DEFAULT_QUERY_LIMITS.maxCost, 1),
  MAX_QUERY_ALIASES: count(DEFAULT_QUERY_LIMITS.maxAliases, 0),
  MAX_QUERY_DIRECTIVES: count(DEFAULT_QUERY_LIMITS.maxDirectives, 0),
  MAX_QUERY_TOKENS: count(DEFAULT_QUERY_LIMITS.maxTokens, 1),
  MAX_BODY_BYTES: count(DEFAULT_QUERY_LIMITS.maxBodyBytes, 1),
  REQUEST_DEADLINE_MS: count(DEFAULT_REQUEST_DEADLINE_MS, 1),
  RESPONSE_CACHE: flag,
  WARM_UP: flag,
  RESPONSE_CACHE_MAX_BYTES: count(DEFAULT_RESPONSE_CACHE_MAX_BYTES, 1),
  SIMULATOR_CLUSTERS: count(3, 1),
  SIMULATOR_NODE_POOLS: count(5, 0),
  SIMULATOR_LATENCY_MS: count(0),
});

export interface Config {
  /** Who callers are and which clusters they may see. */
  auth: AuthConfig;
  port: number;
  host: string;
  logLevel: string;
  graphiql: boolean;
  introspection: boolean;
  csrfPrevention: boolean;
  corsOrigins: string[];
  limits: QueryLimits;
  requestDeadlineMs: number;
  responseCache: { enabled: boolean; maxBytes: number };
  /** Run the execution path over synthetic answers before listening. */
  warmUp: boolean;
  cache: { ttlMs: number; maxEntries: number };
  // --- upstream resilience (issue 5) ---
  /**
   * Retries, circuit breaker and concurrency bound of the ACK client (`client`), stale-if-error
   * and not-found caching of the process-wide cache (`cache`).
   */
  resilience: {
    client: Required<AckResilienceOptions>;
    cache: { staleGraceMs: number; notFoundTtlMs: number };
  };
  // --- end upstream resilience ---
  // --- observability (issue 6) ---
  /** `/metrics` (on unless `METRICS=false`, optionally behind a bearer token) and OTLP tracing (off without an endpoint). */
  observability: {
    metrics: { enabled: boolean; token?: string };
    tracing: { endpoint?: string; serviceName: string };
  };
  // --- end observability ---
  ack: {
    endpoint?: string;
    protocol: 'http' | 'https';
    regionId?: string;
    credentials?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
    connectTimeoutMs: number;
    readTimeoutMs: number;
  };
  /** Set when the embedded ACK simulator is to be started instead of calling ACK. */
  simulator?: { clusters: number; nodePoolsPerCluster: number; latencyMs: number };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment once. Every problem is reported at once; secrets never appear in the
 * message (zod reports paths and rules, not values).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.extend(AuthEnvSchema.shape).safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  if (
    Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_ID?.trim()) !== Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET?.trim())
  ) {
    problems.push(
      '  ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET go together',
    );
  }
  let auth: AuthConfig | undefined;
  if (parsed.success) {
    try {
      auth = toAuthConfig(parsed.data);
    } catch (error) {
      if (!(error instanceof AuthConfigError)) throw error;
      problems.push(...error.problems.map((problem) => `  ${problem}`));
    }
  }
  if (!parsed.success || !auth || problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  const credentials =
    e.ALIBABA_CLOUD_ACCESS_KEY_ID && e.ALIBABA_CLOUD_ACCESS_KEY_SECRET
      ? {
          accessKeyId: e.ALIBABA_CLOUD_ACCESS_KEY_ID,
          accessKeySecret: e.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
          securityToken: e.ALIBABA_CLOUD_SECURITY_TOKEN,
        }
      : undefined;
  // Nothing says where ACK is nor who we are: run against the embedded simulator.
  const nothingConfigured = !e.ACK_ENDPOINT && !e.ALIBABA_CLOUD_REGION_ID && !credentials;
  const useSimulator = e.ACK_SIMULATOR ?? nothingConfigured;
  return {
    auth,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    graphiql: e.GRAPHIQL ?? true,
    introspection: e.GRAPHQL_INTROSPECTION ?? true,
    csrfPrevention: e.CSRF_PREVENTION ?? true,
    corsOrigins: e.CORS_ORIGINS,
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxCost: e.MAX_QUERY_COST,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxDirectives: e.MAX_QUERY_DIRECTIVES,
      maxTokens: e.MAX_QUERY_TOKENS,
      maxBodyBytes: e.MAX_BODY_BYTES,
    },
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    responseCache: { enabled: e.RESPONSE_CACHE ?? true, maxBytes: e.RESPONSE_CACHE_MAX_BYTES },
    warmUp: e.WARM_UP ?? true,
    cache: { ttlMs: e.CACHE_TTL_MS, maxEntries: e.CACHE_MAX_ENTRIES },
    // --- upstream resilience (issue 5) ---
    resilience: {
      client: {
        retryMaxAttempts: e.ACK_RETRY_MAX_ATTEMPTS,
        retryBaseDelayMs: e.ACK_RETRY_BASE_DELAY_MS,
        retryMaxDelayMs: e.ACK_RETRY_MAX_DELAY_MS,
        breakerFailures: e.ACK_BREAKER_FAILURES,
        breakerFailureRatio: e.ACK_BREAKER_FAILURE_RATIO,
        breakerWindowMs: e.ACK_BREAKER_WINDOW_MS,
        breakerCooldownMs: e.ACK_BREAKER_COOLDOWN_MS,
        maxConcurrency: e.ACK_MAX_CONCURRENCY,
        maxQueue: e.ACK_MAX_QUEUE,
      },
      cache: { staleGraceMs: e.CACHE_STALE_GRACE_MS, notFoundTtlMs: e.CACHE_NOT_FOUND_TTL_MS },
    },
    // --- end upstream resilience ---
    // --- observability (issue 6) ---
    observability: {
      metrics: { enabled: e.METRICS ?? true, token: e.METRICS_TOKEN },
      tracing: {
        endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
        serviceName: e.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME,
      },
    },
    // --- end observability ---
    ack: {
      endpoint: e.ACK_ENDPOINT,
      protocol: e.ACK_PROTOCOL,
      regionId: e.ALIBABA_CLOUD_REGION_ID,
      credentials,
      connectTimeoutMs: e.ACK_CONNECT_TIMEOUT_MS,
      readTimeoutMs: e.ACK_READ_TIMEOUT_MS,
    },
    simulator: useSimulator
      ? {
          clusters: e.SIMULATOR_CLUSTERS,
          nodePoolsPerCluster: e.SIMULATOR_NODE_POOLS,
          latencyMs: e.SIMULATOR_LATENCY_MS,
        }
      : undefined,
  };
}
