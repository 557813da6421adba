import { z } from 'zod';
import {
  DEFAULT_BREAKER_COOLDOWN_MS,
  DEFAULT_BREAKER_FAILURE_RATIO,
  DEFAULT_BREAKER_FAILURES,
  DEFAULT_BREAKER_WINDOW_MS,
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_ENDPOINT_BREAKER_CLUSTERS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CLUSTER_BREAKERS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_CONCURRENT_EXECUTIONS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_QUEUE,
  DEFAULT_MAX_QUEUE_PER_CALLER,
  DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST,
  DEFAULT_NOT_FOUND_TTL_MS,
  DEFAULT_PORT,
  DEFAULT_QUERY_LIMITS,
  DEFAULT_READ_TIMEOUT_MS,
  DEFAULT_REDIS_KEY_PREFIX,
  DEFAULT_REDIS_LEASE_MS,
  DEFAULT_REDIS_MAX_VALUE_BYTES,
  DEFAULT_REDIS_TIMEOUT_MS,
  DEFAULT_REQUEST_DEADLINE_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RESPONSE_CACHE_MAX_BYTES,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_ATTEMPTS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_SERVICE_NAME,
  DEFAULT_STALE_GRACE_MS,
  DEFAULT_WATCH_INTERVAL_MS,
  DEFAULT_WATCH_MAX_SUBSCRIPTIONS,
  DEFAULT_WATCH_MAX_SUBSCRIPTIONS_PER_CALLER,
  DEFAULT_WATCH_SLOW_CONSUMER_MS,
  DEFAULT_WATCH_TRANSITION_INTERVAL_MS,
} from './defaults.js';

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
/**
 * A Redis URL the gateway can use: `redis://` or `rediss://` (TLS), a host, optionally a user
 * and password (ACL) and a database number as the path. Messages never repeat the value: it may
 * hold a password.
 */
const redisUrl = optionalString.superRefine((value, context) => {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      message: 'must be a URL: redis://[user:password@]host[:port][/db]',
    });
    return;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must start with redis:// or rediss:// (TLS)' });
  } else if (!url.hostname) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must name a host' });
  } else if (!/^\/?(\d{1,5})?$/.test(url.pathname)) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'the path must be a database number, e.g. /0' });
  }
});

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/**
 * Every environment variable of the gateway but the AUTH_* ones (src/auth/auth-config.ts), each
 * with its meaning: `docs/configuration.md` is generated from these descriptions
 * (`npm run docs:config`), and a test fails when it drifts. Nothing else reads `process.env`.
 */
export const EnvSchema = z.object({
  PORT: count(DEFAULT_PORT)
    .pipe(z.number().max(65_535))
    .describe('Port the gateway listens on (0: any free port).'),
  HOST: z.string().default('0.0.0.0').describe('Address the gateway listens on.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Least severe log level written (JSON lines on stdout).'),
  ACK_ENDPOINT: optionalString
    .refine((value) => value === undefined || !value.includes('://'), {
      message: 'must be host[:port] without a scheme; set ACK_PROTOCOL for http',
    })
    .describe('`host[:port]` of the ACK OpenAPI; unset: derived from ALIBABA_CLOUD_REGION_ID.'),
  ACK_PROTOCOL: z.enum(['http', 'https']).default('https').describe('Protocol of ACK_ENDPOINT.'),
  ACK_CONNECT_TIMEOUT_MS: count(DEFAULT_CONNECT_TIMEOUT_MS, 1).describe('Connect timeout of one ACK call.'),
  ACK_READ_TIMEOUT_MS: count(DEFAULT_READ_TIMEOUT_MS, 1).describe('Read timeout of one ACK call.'),
  ACK_SIMULATOR: flag.describe(
    'Serve from the embedded ACK simulator; default: on when no endpoint, region or credentials are set.',
  ),
  ALIBABA_CLOUD_REGION_ID: optionalString.describe(
    'Region of the account: picks the ACK endpoint when ACK_ENDPOINT is unset, and builds policy ARNs.',
  ),
  ALIBABA_CLOUD_ACCESS_KEY_ID: optionalString.describe(
    'Access key id of the gateway (with the secret); unset: the Alibaba Cloud default credential chain.',
  ),
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: optionalString.describe('Access key secret (never logged).'),
  ALIBABA_CLOUD_SECURITY_TOKEN: optionalString.describe('STS security token, with a temporary access key.'),
  CACHE_TTL_MS: count(DEFAULT_CACHE_TTL_MS).describe(
    'How long an ACK answer is served from memory; 0 turns caching off.',
  ),
  CACHE_MAX_ENTRIES: count(DEFAULT_CACHE_MAX_ENTRIES, 1).describe('ACK answers kept in memory at most.'),
  CACHE_STALE_GRACE_MS: count(DEFAULT_STALE_GRACE_MS).describe(
    'How long past its TTL an answer may be served, marked stale, while ACK fails transiently.',
  ),
  CACHE_NOT_FOUND_TTL_MS: count(DEFAULT_NOT_FOUND_TTL_MS).describe(
    'How long a not-found answer is remembered.',
  ),
  ACK_RETRY_MAX_ATTEMPTS: count(DEFAULT_RETRY_MAX_ATTEMPTS, 1).describe(
    'Attempts per ACK call in all; 1 turns retries off.',
  ),
  ACK_RETRY_BASE_DELAY_MS: count(DEFAULT_RETRY_BASE_DELAY_MS).describe(
    "Cap of the first retry's full-jitter backoff; doubles per retry.",
  ),
  ACK_RETRY_MAX_DELAY_MS: count(DEFAULT_RETRY_MAX_DELAY_MS).describe(
    'Longest wait before a retry; a longer retry-after fails at once.',
  ),
  ACK_BREAKER_FAILURES: count(DEFAULT_BREAKER_FAILURES).describe(
    "Fewest attempts in the window before a circuit (a cluster's or the endpoint's) may open; 0 turns breakers off.",
  ),
  ACK_BREAKER_FAILURE_RATIO: z.coerce
    .number()
    .gt(0)
    .lte(1)
    .default(DEFAULT_BREAKER_FAILURE_RATIO)
    .describe('Share of failed attempts in the window that opens a circuit.'),
  ACK_BREAKER_WINDOW_MS: count(DEFAULT_BREAKER_WINDOW_MS, 1).describe('Sliding window the breakers judge.'),
  ACK_BREAKER_COOLDOWN_MS: count(DEFAULT_BREAKER_COOLDOWN_MS, 1).describe(
    'How long an open circuit fails fast before one trial call.',
  ),
  ACK_MAX_CLUSTER_BREAKERS: count(DEFAULT_MAX_CLUSTER_BREAKERS, 1).describe(
    'Clusters with a circuit breaker of their own at most.',
  ),
  ACK_ENDPOINT_BREAKER_CLUSTERS: count(DEFAULT_ENDPOINT_BREAKER_CLUSTERS).describe(
    "Distinct clusters failing at once, with no ACK answer between, that open the endpoint's circuit; 0: connection failures only.",
  ),
  ACK_MAX_CONCURRENCY: count(DEFAULT_MAX_CONCURRENCY, 1).describe(
    'ACK calls in flight at once at most (lowered for a while by throttling).',
  ),
  ACK_MAX_QUEUE: count(DEFAULT_MAX_QUEUE).describe(
    'ACK calls waiting for a slot at most, all callers together.',
  ),
  ACK_MAX_QUEUE_PER_CALLER: count(DEFAULT_MAX_QUEUE_PER_CALLER, 1).describe(
    'ACK calls one caller may have waiting; slots go round-robin across callers.',
  ),
  METRICS: flag.describe('Serve Prometheus metrics on GET /metrics (default on).'),
  METRICS_TOKEN: optionalString.describe('Bearer token GET /metrics requires; unset: none.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString
    .refine((value) => value === undefined || /^https?:\/\/\S+$/.test(value), {
      message: 'must be an http(s) URL, e.g. http://otel-collector:4318',
    })
    .describe('OTLP/HTTP base URL for traces; unset: tracing off.'),
  OTEL_SERVICE_NAME: optionalString.describe(`\`service.name\` of spans (default ${DEFAULT_SERVICE_NAME}).`),
  GRAPHIQL: flag.describe('Serve GraphiQL to browsers on GET /graphql (default on).'),
  GRAPHQL_INTROSPECTION: flag.describe('Answer introspection queries (default on).'),
  CSRF_PREVENTION: flag.describe(
    'Require a preflight-forcing header on requests a browser sends without preflight (default on).',
  ),
  CORS_ORIGINS: z
    .string()
    .default('')
    .pipe(commaList)
    // `null` (sandboxed iframes, data: pages) only when listed literally.
    .pipe(z.array(z.union([z.literal('null'), z.string().url()])))
    .describe('Comma list of origins allowed to call from browsers (CORS); empty: same origin only.'),
  MAX_QUERY_DEPTH: count(DEFAULT_QUERY_LIMITS.maxDepth, 1).describe(
    'Deepest selection (fragments flattened).',
  ),
  MAX_QUERY_COST: count(DEFAULT_QUERY_LIMITS.maxCost, 1).describe(
    'graphql-armor cost limit (objects 2, scalars 1, x1.5 per level).',
  ),
  MAX_QUERY_ALIASES: count(DEFAULT_QUERY_LIMITS.maxAliases, 0).describe('Aliases per operation.'),
  MAX_QUERY_DIRECTIVES: count(DEFAULT_QUERY_LIMITS.maxDirectives, 0).describe('Directives per operation.'),
  MAX_QUERY_TOKENS: count(DEFAULT_QUERY_LIMITS.maxTokens, 1).describe('Tokens per document.'),
  MAX_BODY_BYTES: count(DEFAULT_QUERY_LIMITS.maxBodyBytes, 1).describe('Bytes of a request body.'),
  MAX_UPSTREAM_CALLS_PER_REQUEST: count(DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST, 1).describe(
    'ACK calls one request may cost, estimated before any call (ids count per id) and counted while it runs.',
  ),
  REQUEST_DEADLINE_MS: count(DEFAULT_REQUEST_DEADLINE_MS, 1).describe(
    'How long one request may wait for ACK in all; later fields answer UPSTREAM_TIMEOUT.',
  ),
  HTTP_HEADERS_TIMEOUT_MS: count(DEFAULT_HEADERS_TIMEOUT_MS, 1).describe(
    'Time a client has to send its request headers.',
  ),
  HTTP_REQUEST_TIMEOUT_MS: count(DEFAULT_REQUEST_TIMEOUT_MS, 1).describe(
    'Time a client has to send its whole request, body included.',
  ),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: count(DEFAULT_KEEP_ALIVE_TIMEOUT_MS, 1).describe(
    'Idle keep-alive connections are closed after this.',
  ),
  HTTP_MAX_CONNECTIONS: count(DEFAULT_MAX_CONNECTIONS, 1).describe('Sockets open at once at most.'),
  MAX_CONCURRENT_EXECUTIONS: count(DEFAULT_MAX_CONCURRENT_EXECUTIONS).describe(
    'POSTed queries executed at once; the others wait in line, in arrival order (0: no limit).',
  ),
  RESPONSE_CACHE: flag.describe('Answer repeated identical queries from stored bytes (default on).'),
  RESPONSE_CACHE_MAX_BYTES: count(DEFAULT_RESPONSE_CACHE_MAX_BYTES, 1).describe(
    'Bytes the response cache holds at most, keys and headers included.',
  ),
  TRUSTED_DOCUMENTS: z
    .enum(['off', 'accept', 'only'])
    .default('off')
    .describe(
      'Trusted documents: `off`; `accept` (documents by id from the manifests, and any other); `only` (manifest documents alone).',
    ),
  TRUSTED_DOCUMENTS_FILES: z
    .string()
    .default('')
    .pipe(commaList)
    .describe('Comma list of persisted-documents.json manifests (the codegen client preset writes them).'),
  TRUSTED_DOCUMENTS_ALLOW_EXPLORERS: flag.describe(
    'In `only` mode, let callers holding the `ack:explore` scope (GraphiQL users) send any document (default off).',
  ),
  WARM_UP: flag.describe('Run the execution path over synthetic answers before listening (default on).'),
  REDIS_URL: redisUrl.describe(
    'Redis shared by the replicas for ACK answers, leases and notifications: `redis://` or `rediss://` (TLS), user, password and database in the URL (docs/replicas.md); unset: each process caches alone. Only the host is ever logged.',
  ),
  REDIS_KEY_PREFIX: z
    .string()
    .default(DEFAULT_REDIS_KEY_PREFIX)
    .describe(
      'Prefix of every Redis key and channel the gateway uses (several gateways, or apps, in one Redis).',
    ),
  REDIS_TIMEOUT_MS: count(DEFAULT_REDIS_TIMEOUT_MS, 1).describe(
    'Longest wait for one Redis command; slower, Redis counts as down and answers come from memory and ACK.',
  ),
  REDIS_LEASE_MS: count(DEFAULT_REDIS_LEASE_MS, 100).describe(
    'Lease of the replica that asks ACK for one key (renewed while it asks); bounds the delay a crashed holder causes.',
  ),
  REDIS_MAX_VALUE_BYTES: count(DEFAULT_REDIS_MAX_VALUE_BYTES, 1).describe(
    'Largest answer (bytes of JSON) shared through Redis; larger ones stay per replica.',
  ),
  WATCH_INTERVAL_MS: count(DEFAULT_WATCH_INTERVAL_MS, 50).describe(
    'How often a watched cluster (one with `nodePools` subscribers) is asked of ACK: one call per cluster per interval, however many subscribers.',
  ),
  WATCH_TRANSITION_INTERVAL_MS: count(DEFAULT_WATCH_TRANSITION_INTERVAL_MS, 50).describe(
    'Faster interval while a pool of the cluster is scaling, updating, removing or deleting and the cluster is moving (a poll saw a change within the last WATCH_INTERVAL_MS); never after a failed poll.',
  ),
  WATCH_MAX_SUBSCRIPTIONS_PER_CALLER: count(DEFAULT_WATCH_MAX_SUBSCRIPTIONS_PER_CALLER, 1).describe(
    'Subscriptions one caller (API key, JWT subject, or all anonymous callers together) may hold at once.',
  ),
  WATCH_MAX_SUBSCRIPTIONS: count(DEFAULT_WATCH_MAX_SUBSCRIPTIONS, 1).describe(
    'Subscriptions one process holds at most, all callers together.',
  ),
  WATCH_SLOW_CONSUMER_MS: count(DEFAULT_WATCH_SLOW_CONSUMER_MS, 1).describe(
    'A subscriber that has not taken its last event for this long when a new one comes is dropped.',
  ),
  SIMULATOR_CLUSTERS: count(3, 1).describe('Clusters of the embedded simulator.'),
  SIMULATOR_NODE_POOLS: count(5, 0).describe('Node pools per simulated cluster.'),
  SIMULATOR_LATENCY_MS: count(0).describe('Latency the simulator adds to every answer.'),
  SIMULATOR_PORT: count(0)
    .pipe(z.number().max(65_535))
    .describe('Loopback port of the embedded simulator (and its admin API); 0: any free port.'),
  SIMULATOR_FAULTS: optionalString.describe(
    'Faults per simulated cluster at start, by index or id: `0=throttled,2=server-error` (docs/simulator.md).',
  ),
  SIMULATOR_SCALE_EVENTS: optionalString.describe(
    'Scale events at start, `cluster/pool=size@delay`: `0/1=8@5s,0/1=2@30s` (docs/simulator.md).',
  ),
  SIMULATOR_SCALE_STEP_MS: count(1_000, 1).describe('Time per step of a simulated scale event.'),
  SIMULATOR_ADMIN: flag.describe(
    "Serve the simulator's admin API on its own port under /_simulator/ (default on).",
  ),
});

/** A static access key of the gateway's own (never logged). */
export interface StaticCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** The configuration as the gateway uses it: the variables, parsed and grouped. */
export const ConfigSchema = EnvSchema.transform((e) => {
  const credentials: StaticCredentials | undefined =
    e.ALIBABA_CLOUD_ACCESS_KEY_ID && e.ALIBABA_CLOUD_ACCESS_KEY_SECRET
      ? {
          accessKeyId: e.ALIBABA_CLOUD_ACCESS_KEY_ID,
          accessKeySecret: e.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
          securityToken: e.ALIBABA_CLOUD_SECURITY_TOKEN,
        }
      : undefined;
  // Nothing says where ACK is nor who we are: run against the embedded simulator.
  const nothingConfigured = !e.ACK_ENDPOINT && !e.ALIBABA_CLOUD_REGION_ID && !credentials;
  return {
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
    maxUpstreamCallsPerRequest: e.MAX_UPSTREAM_CALLS_PER_REQUEST,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
    responseCache: { enabled: e.RESPONSE_CACHE ?? true, maxBytes: e.RESPONSE_CACHE_MAX_BYTES },
    maxConcurrentExecutions: e.MAX_CONCURRENT_EXECUTIONS,
    warmUp: e.WARM_UP ?? true,
    trustedDocuments: {
      mode: e.TRUSTED_DOCUMENTS,
      files: e.TRUSTED_DOCUMENTS_FILES,
      allowExplorers: e.TRUSTED_DOCUMENTS_ALLOW_EXPLORERS ?? false,
    },
    cache: {
      ttlMs: e.CACHE_TTL_MS,
      maxEntries: e.CACHE_MAX_ENTRIES,
      staleGraceMs: e.CACHE_STALE_GRACE_MS,
      notFoundTtlMs: e.CACHE_NOT_FOUND_TTL_MS,
    },
    /** Retries, circuit breakers and the fair, adaptive concurrency bound of the ACK client. */
    resilience: {
      retryMaxAttempts: e.ACK_RETRY_MAX_ATTEMPTS,
      retryBaseDelayMs: e.ACK_RETRY_BASE_DELAY_MS,
      retryMaxDelayMs: e.ACK_RETRY_MAX_DELAY_MS,
      breakerFailures: e.ACK_BREAKER_FAILURES,
      breakerFailureRatio: e.ACK_BREAKER_FAILURE_RATIO,
      breakerWindowMs: e.ACK_BREAKER_WINDOW_MS,
      breakerCooldownMs: e.ACK_BREAKER_COOLDOWN_MS,
      maxClusterBreakers: e.ACK_MAX_CLUSTER_BREAKERS,
      endpointBreakerClusters: e.ACK_ENDPOINT_BREAKER_CLUSTERS,
      maxConcurrency: e.ACK_MAX_CONCURRENCY,
      maxQueue: e.ACK_MAX_QUEUE,
      maxQueuePerCaller: e.ACK_MAX_QUEUE_PER_CALLER,
    },
    observability: {
      metrics: { enabled: e.METRICS ?? true, token: e.METRICS_TOKEN },
      tracing: {
        endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
        serviceName: e.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME,
      },
    },
    ack: {
      endpoint: e.ACK_ENDPOINT,
      protocol: e.ACK_PROTOCOL,
      regionId: e.ALIBABA_CLOUD_REGION_ID,
      credentials,
      connectTimeoutMs: e.ACK_CONNECT_TIMEOUT_MS,
      readTimeoutMs: e.ACK_READ_TIMEOUT_MS,
    },
    /** The shared tier: set when REDIS_URL is (docs/replicas.md). */
    redis: e.REDIS_URL
      ? {
          url: e.REDIS_URL,
          keyPrefix: e.REDIS_KEY_PREFIX,
          timeoutMs: e.REDIS_TIMEOUT_MS,
          leaseMs: e.REDIS_LEASE_MS,
          maxValueBytes: e.REDIS_MAX_VALUE_BYTES,
        }
      : undefined,
    /** Live updates: the `nodePools` subscription's polling and limits (docs/live-updates.md). */
    watch: {
      intervalMs: e.WATCH_INTERVAL_MS,
      transitionIntervalMs: e.WATCH_TRANSITION_INTERVAL_MS,
      maxSubscriptionsPerCaller: e.WATCH_MAX_SUBSCRIPTIONS_PER_CALLER,
      maxSubscriptions: e.WATCH_MAX_SUBSCRIPTIONS,
      slowConsumerMs: e.WATCH_SLOW_CONSUMER_MS,
    },
    /** Set when the embedded ACK simulator is to be started instead of calling ACK. */
    simulator:
      (e.ACK_SIMULATOR ?? nothingConfigured)
        ? {
            clusters: e.SIMULATOR_CLUSTERS,
            nodePoolsPerCluster: e.SIMULATOR_NODE_POOLS,
            latencyMs: e.SIMULATOR_LATENCY_MS,
            port: e.SIMULATOR_PORT,
            // Parsed by the simulator itself when it starts (main.ts): the config knows nothing of it.
            faults: e.SIMULATOR_FAULTS,
            scaleEvents: e.SIMULATOR_SCALE_EVENTS,
            scaleStepMs: e.SIMULATOR_SCALE_STEP_MS,
            admin: e.SIMULATOR_ADMIN ?? true,
          }
        : undefined,
  };
});

export type Config = z.output<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  /** One line per problem, `VARIABLE: rule`; never a value. */
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

/**
 * Parses the environment once. Every problem is reported at once (`ConfigError`); secrets never
 * appear in the message (zod reports paths and rules, not values).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (
    Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_ID?.trim()) !== Boolean(env.ALIBABA_CLOUD_ACCESS_KEY_SECRET?.trim())
  ) {
    problems.push(
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET go together',
    );
  }
  if (
    parsed.success &&
    parsed.data.trustedDocuments.mode !== 'off' &&
    parsed.data.trustedDocuments.files.length === 0
  ) {
    problems.push('TRUSTED_DOCUMENTS_FILES: required with TRUSTED_DOCUMENTS=accept or only');
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}
