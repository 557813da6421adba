/**
 * Every default of the gateway's configuration, named once: the config schema (src/config.ts)
 * and the modules that take these options both read them from here, so the two never disagree
 * and the configuration sits at the bottom of the import graph. Each says why it is what it is.
 */

// The HTTP server

/** Where `npm start` listens (API.md). */
export const DEFAULT_PORT = 4000;
/** Time a client has to send its request headers (Node's own default is a minute). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/**
 * Time a client has to send its whole request, body included (Node's own default is five
 * minutes): a slow-body client holds a socket and a buffer no longer than this.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Idle keep-alive connections are closed after this (Node's default). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Sockets open at once; past it new connections are dropped until some close. */
export const DEFAULT_MAX_CONNECTIONS = 2_000;
/** Bytes the response cache keeps at most, keys and headers included. */
export const DEFAULT_RESPONSE_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/**
 * POSTed queries executed at once. Executions over warm data are CPU work on one thread, so a
 * few at once (some waiting on ACK) keep the core busy; more only interleave, slow every one
 * alike and fill the heap with their intermediate objects.
 */
export const DEFAULT_MAX_CONCURRENT_EXECUTIONS = 4;

// What one request may cost

/** Limits every request meets before anything is asked upstream (graphql-armor, body size). */
export const DEFAULT_QUERY_LIMITS = {
  /** Deepest selection (fragments flattened). */
  maxDepth: 15,
  /** graphql-armor cost: objects 2, scalars 1, times 1.5 per level. */
  maxCost: 50_000,
  /** Aliases per operation. */
  maxAliases: 50,
  /** Directives per operation. */
  maxDirectives: 30,
  /** Tokens in the document. */
  maxTokens: 5_000,
  /** Bytes of a request body. */
  maxBodyBytes: 100_000,
} as const;
/**
 * Upstream calls one request may cost. ACK's quotas are per account and shared by every caller:
 * a dashboard of ACK's default 50 clusters with their node pools and details costs ~100, a full
 * `clusterList` page of 100 with node pools ~101; past that, one request is a fan-out that
 * spends other callers' budget.
 */
export const DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST = 200;
/** How long one GraphQL request may wait for ACK in all, retries included. */
export const DEFAULT_REQUEST_DEADLINE_MS = 15_000;

// The ACK cache

/** How long an upstream answer is served from memory. */
export const DEFAULT_CACHE_TTL_MS = 30_000;
/** How many upstream answers are kept at most (ACK's default quota is 50 clusters per account). */
export const DEFAULT_CACHE_MAX_ENTRIES = 5_000;
/** How long past its TTL an answer may still be served, marked stale, while ACK is failing. */
export const DEFAULT_STALE_GRACE_MS = 5 * 60_000;
/** How long a not-found answer is remembered. */
export const DEFAULT_NOT_FOUND_TTL_MS = 5_000;

// Calls to ACK

/** Connect timeout for ACK calls; the SDK's own default (3 s) also cuts slow bodies short. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
/** Read timeout for ACK calls. */
export const DEFAULT_READ_TIMEOUT_MS = 10_000;
/** Attempts per upstream call in all, the first one included. */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 3;
/** Cap of the first retry's full-jitter backoff; it doubles per retry. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 100;
/** The longest wait before one retry, ACK's retry-after included. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 2_000;
/** Fewest attempts in the window before a circuit may open. */
export const DEFAULT_BREAKER_FAILURES = 5;
/** Share of failed attempts, over the window, that opens a circuit. */
export const DEFAULT_BREAKER_FAILURE_RATIO = 0.5;
/** The breakers' sliding window. */
export const DEFAULT_BREAKER_WINDOW_MS = 10_000;
/** How long an open circuit fails fast before one trial call may pass. */
export const DEFAULT_BREAKER_COOLDOWN_MS = 10_000;
/**
 * Clusters with a breaker of their own at most. ACK's default quota is 50 clusters per account,
 * so this covers twenty accounts' worth of failing clusters; each breaker is a few hundred bytes,
 * and a breaker pushed out is simply a closed one.
 */
export const DEFAULT_MAX_CLUSTER_BREAKERS = 1_000;
/**
 * Distinct clusters failing in the window, with no answer from ACK in between and none still
 * awaited, that open the endpoint's circuit. Well above the handful of broken clusters an
 * account may have, so only a failing endpoint (a broken proxy, ACK down) gets there.
 */
export const DEFAULT_ENDPOINT_BREAKER_CLUSTERS = 10;
/** Upstream calls in flight at once per endpoint (ACK's rate limits are per account). */
export const DEFAULT_MAX_CONCURRENCY = 20;
/**
 * Calls one caller may have waiting: one request's whole budget, so the largest request a
 * caller may send never fails on its own queue share, while a burst of many such requests
 * stays within the share and leaves the rest of the queue to others.
 */
export const DEFAULT_MAX_QUEUE_PER_CALLER = DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST;
/** Calls that may wait for a free slot, all callers together: five callers' full shares. */
export const DEFAULT_MAX_QUEUE = 5 * DEFAULT_MAX_QUEUE_PER_CALLER;

// Observability

/** `service.name` of every span unless `OTEL_SERVICE_NAME` says otherwise. */
export const DEFAULT_SERVICE_NAME = 'ack-nodepool-gateway';

// The shared tier (Redis, when REDIS_URL is set)

/**
 * Prefix of every key and channel the gateway writes in Redis, so one Redis can serve several
 * gateways (or other applications) without their keys meeting.
 */
export const DEFAULT_REDIS_KEY_PREFIX = 'ack-gateway:';
/**
 * How long one Redis command may take before the gateway gives up on it and asks ACK itself.
 * Redis on the same network answers in about a millisecond; one slower than this saves neither
 * time nor (once it times out) budget, and a request should not wait for it.
 */
export const DEFAULT_REDIS_TIMEOUT_MS = 200;
/**
 * How long a replica's lease on one key lasts while it asks ACK for everyone. The holder renews
 * it every third of this while its call runs, so a slow ACK answer never lets a second call in;
 * a replica that dies holding it delays the others by at most this much.
 */
export const DEFAULT_REDIS_LEASE_MS = 3_000;
/**
 * Largest answer (bytes of its JSON) written to Redis. A list of 100 node pools is ~300 KB; a
 * value much larger blocks Redis's single thread and every replica's event loop while it is
 * copied, so such an answer stays per replica.
 */
export const DEFAULT_REDIS_MAX_VALUE_BYTES = 1024 * 1024;
/**
 * How long the in-process first tier answers before asking Redis again. Short, so that what one
 * replica learns (a refresh, a not-found, access withdrawn) reaches the others within seconds,
 * yet long enough that a warm replica asks Redis about a hot key a few times per TTL at most.
 */
export const DEFAULT_FIRST_TIER_TTL_MS = 5_000;
/**
 * How long a new gateway waits for its first Redis connection before it starts without one
 * (it keeps trying in the background): Redis is an optimisation, never a reason not to start.
 */
export const DEFAULT_REDIS_CONNECT_WAIT_MS = 2_000;

// Live updates (the `nodePools` subscription)

/**
 * How often a watched cluster's node pools are asked of ACK (API.md): once per cluster per
 * interval, however many subscribers, so 50 watched clusters cost 10 calls a second.
 */
export const DEFAULT_WATCH_INTERVAL_MS = 5_000;
/**
 * The faster interval while a pool of the cluster is scaling, updating, removing or deleting:
 * a scale steps every few seconds, and whoever watches one wants to see the steps. Only while
 * the cluster moves (a poll saw a change within the last normal interval: a pool stuck in
 * `updating` costs no more than a quiet one) and the last poll succeeded; a failure or
 * throttling falls back to the normal interval.
 */
export const DEFAULT_WATCH_TRANSITION_INTERVAL_MS = 1_000;
/** Subscriptions one caller may hold at once: a few dashboards' worth of tabs. */
export const DEFAULT_WATCH_MAX_SUBSCRIPTIONS_PER_CALLER = 20;
/** Subscriptions one process holds at most (each an open connection or WebSocket operation). */
export const DEFAULT_WATCH_MAX_SUBSCRIPTIONS = 5_000;
/**
 * A subscriber that has not taken an event for this long when the next one comes is dropped:
 * each subscriber keeps only the newest undelivered event, so a stalled reader costs no memory
 * growth, and this bounds how long it holds its slot.
 */
export const DEFAULT_WATCH_SLOW_CONSUMER_MS = 30_000;
/** Keep-alive ping period of both transports (yoga's SSE comment pings use the same period). */
export const DEFAULT_WATCH_KEEP_ALIVE_MS = 12_000;
/** Bytes a WebSocket may have waiting in its send buffer before the connection is dropped as too slow. */
export const DEFAULT_WS_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
