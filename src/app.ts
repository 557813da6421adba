import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { type DocumentNode, GraphQLError, getOperationAST } from 'graphql';
import {
  createYoga,
  isAsyncIterable,
  type Plugin,
  useReadinessCheck,
  type YogaServerInstance,
} from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { AckApi } from './ack/ack-api.js';
import { ClusterWatcher } from './ack/watcher.js';
import type { Authenticator } from './auth/authenticate.js';
import { AuthenticationError } from './auth/authentication-error.js';
import type { Policy } from './auth/policy.js';
import type { Principal } from './auth/principal.js';
import { type Context, createContext } from './context.js';
import {
  DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST,
  DEFAULT_QUERY_LIMITS,
  DEFAULT_REQUEST_DEADLINE_MS,
} from './defaults.js';
import { useCompiledExecutor } from './execution/compiled-executor.js';
import { type GraphiQLExample, graphiqlOptions } from './graphiql.js';
import { hasIntrospection } from './introspection.js';
import { type QueryLimits, useQueryLimits, useUpstreamBudget } from './limits.js';
import type { Logger } from './logger.js';
import { type ObservabilityOptions, useObservability } from './observability/plugin.js';
import type { ServerContext } from './request/exchange.js';
import { schema } from './schema/index.js';
import { type TrustedDocumentsOptions, useTrustedDocuments } from './trusted-documents.js';

/** How long a readiness answer is reused, so probes do not hammer ACK's rate limits. */
export const READINESS_CACHE_MS = 5_000;

export interface AppOptions {
  ack: AckApi;
  logger: Logger;
  /** Serve GraphiQL (entirely from this process, no CDN) on a browser GET of /graphql. @default true */
  graphiql?: boolean;
  /** What GraphiQL's example tabs may know: a real cluster id, the auth header to prefill. */
  graphiqlExample?: GraphiQLExample;
  /** More yoga plugins, after the gateway's own (a bench's alternative, a test's probe). @default none */
  extraPlugins?: readonly Plugin[];
  /** Trusted documents (persisted operations) and whether other documents are refused. @default off */
  trustedDocuments?: TrustedDocumentsOptions;
  /** Answer introspection queries. @default true */
  introspection?: boolean;
  /** Limits every request meets before anything is asked upstream. @default DEFAULT_QUERY_LIMITS */
  limits?: Partial<QueryLimits>;
  /** Origins allowed to call from a browser on another origin (CORS). @default [] (same origin only) */
  corsOrigins?: readonly string[];
  /**
   * Require a preflight-forcing header on requests a browser sends without a CORS preflight
   * (GET, form posts), so another site cannot make a user's browser run an operation. @default true
   */
  csrfPrevention?: boolean;
  /**
   * Upstream calls one request may cost at most, estimated before any call and counted while it
   * runs. @default DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST
   */
  maxUpstreamCallsPerRequest?: number;
  /** Overall deadline of one GraphQL request's upstream reads. @default DEFAULT_REQUEST_DEADLINE_MS */
  requestDeadlineMs?: number;
  /** Who the caller is. @default every caller is anonymous, without scopes */
  authenticate?: Authenticator;
  /** Which clusters each caller may see. @default every caller sees every cluster */
  policy?: Policy;
  /**
   * Metrics (and `GET /metrics`) and tracing (src/observability). Request log lines and the
   * echoed `x-request-id` are always on. @default no metrics, no tracing
   */
  observability?: ObservabilityOptions;
  /**
   * Polls the clusters that `nodePools` subscriptions watch (src/ack/watcher.ts); the gateway
   * passes the one it configures and closes. @default a watcher with the default intervals and limits
   */
  watcher?: ClusterWatcher;
}

/** The code of a request refused for lacking a CSRF header (it would count as `UNKNOWN` otherwise). */
export const CSRF_ERROR_CODE = 'CSRF_HEADER_REQUIRED';

/** A front-door plugin whose refusals (thrown before parsing) carry `code`. */
function withCode(plugin: Plugin, code: string): Plugin {
  const parse = plugin.onRequestParse;
  if (!parse) return plugin;
  return {
    ...plugin,
    onRequestParse: (payload) => {
      try {
        return parse(payload);
      } catch (error) {
        if (error instanceof GraphQLError && error.extensions.code === undefined) {
          Object.assign(error.extensions, { code });
        }
        throw error;
      }
    },
  };
}

/** Headers that mark a request as sent by a script (which a cross-site form cannot set). */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'graphql-preflight'];

export type App = YogaServerInstance<ServerContext, Context>;

/**
 * The deadline's timer ends with the request; its warnings (stale answers) join the result; and
 * the HTTP layer learns, from the parsed operation and the result, whether it may keep the answer.
 */
const finishRequest: Plugin<Context & ServerContext> = {
  onExecute: ({ args }) => ({
    onExecuteDone: ({ result, setResult }) => {
      const context = args.contextValue;
      context.deadline.clear();
      if (isAsyncIterable(result)) return;
      const warnings = context.warnings.list();
      if (warnings.length > 0) setResult({ ...result, extensions: { ...result.extensions, warnings } });
      if (!context.exchange) return;
      const operation = getOperationAST(args.document, args.operationName);
      context.exchange.outcome = {
        cacheable:
          operation?.operation === 'query' &&
          result.errors === undefined &&
          warnings.length === 0 &&
          !hasIntrospection(args.document),
        freshUntil: context.warnings.freshUntil(),
        operationName: operation?.name?.value,
      };
    },
  }),
};

/** The requests the WebSocket transport builds for its operations (src/http/websocket.ts). */
export const webSocketRequests = new WeakSet<Request>();

const EVENT_STREAM = /text\/event-stream/i;

/**
 * Subscriptions stream over SSE (`Accept: text/event-stream`) or a WebSocket only: any other
 * answer (multipart) would be buffered whole by the HTTP layer's response cache path.
 */
const streamedSubscriptionsOnly: Plugin<Context & ServerContext> = {
  onSubscribe: ({ args, setResultAndStopExecution }) => {
    const { request } = args.contextValue as { request?: Request };
    if (!request || webSocketRequests.has(request) || EVENT_STREAM.test(request.headers.get('accept') ?? ''))
      return;
    setResultAndStopExecution({
      errors: [
        new GraphQLError(
          'Subscriptions are served over SSE (Accept: text/event-stream) or WebSocket (graphql-transport-ws).',
          { extensions: { code: 'BAD_REQUEST', http: { status: 406 } } },
        ),
      ],
    });
  },
};

/** Bytes of document text the parse cache (and, apart, the parse-error cache) keeps at most. */
const DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024;

/** A parse cache keyed by document text, whose size counts the text (twice: key and AST source). */
const boundedDocumentCache = <V extends object>() =>
  new LRUCache<string, V>({
    maxSize: DOCUMENT_CACHE_BYTES,
    sizeCalculation: (_value, key) => 2 * key.length + 512,
  });

/** Answers with CORS headers that vary by origin say so, whichever origin asked. */
const varyByOrigin: Plugin = {
  onResponse: ({ response }) => {
    const vary = response.headers.get('vary');
    if (!vary?.split(',').some((name) => name.trim().toLowerCase() === 'origin'))
      response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
  },
};

/** The gateway as a fetch-style handler; it never listens (main.ts and tests decide that). */
export function createApp(options: AppOptions): App {
  const { ack, logger } = options;
  const watcher = options.watcher ?? new ClusterWatcher(ack, { logger });
  // GraphiQL's page inlines its ~9 MB bundle: render it once, not per request.
  let graphiqlPage: string | undefined;
  let readiness: { at: number; ok: boolean } | undefined;

  const maxUpstreamCalls = options.maxUpstreamCallsPerRequest ?? DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST;
  const plugins: Plugin[] = [
    ...useQueryLimits({ ...DEFAULT_QUERY_LIMITS, ...options.limits }),
    useUpstreamBudget(maxUpstreamCalls),
  ];
  if (options.trustedDocuments)
    plugins.push(...useTrustedDocuments(schema, options.trustedDocuments, options.authenticate));
  if (options.csrfPrevention !== false)
    plugins.push(withCode(useCSRFPrevention({ requestHeaders: CSRF_HEADERS }), CSRF_ERROR_CODE));
  if (options.introspection === false) plugins.push(useDisableIntrospection());
  const corsOrigins = new Set(options.corsOrigins ?? []);
  if (corsOrigins.size > 0) plugins.push(varyByOrigin);

  return createYoga<ServerContext, Context>({
    schema,
    // Only a listed origin gets CORS headers, and only its own: yoga's list form answers
    // `Access-Control-Allow-Origin: null` to unlisted origins, which a sandboxed page (whose
    // origin is `null`) would pass. `null` is allowed only when listed literally.
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin !== null && corsOrigins.has(origin)
        ? { origin, credentials: true, methods: ['GET', 'POST'], maxAge: 600 }
        : false;
    },
    graphqlEndpoint: '/graphql',
    // Parsed documents and parse errors, bounded by the text they were made from rather than by
    // count: a thousand distinct 90 KB documents would otherwise hold ~90 MB.
    parserAndValidationCache: {
      documentCache: boundedDocumentCache<DocumentNode>(),
      errorCache: boundedDocumentCache<Error>(),
    },
    // MAX_BODY_BYTES is enforced by the limits plugin, declared or streamed. Yoga's own limit
    // (25 MB) piped every body through streams to count it: 4% of the CPU of a distinct
    // dashboard answer (docs/performance.md).
    maxRequestBodySize: false,
    healthCheckEndpoint: '/health',
    landingPage: false,
    maskedErrors: true,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) =>
        logger.error(
          { err: args.find((arg) => arg instanceof Error) },
          args
            .filter((arg) => !(arg instanceof Error))
            .map(String)
            .join(' ') || 'error',
        ),
    },
    context: async ({ request, exchange }) => {
      let caller: Principal | undefined;
      try {
        caller = await (exchange?.caller ?? options.authenticate?.(request));
      } catch (error) {
        // 401 (or 503 when the keys to verify with are unreachable) for the whole request.
        if (error instanceof AuthenticationError)
          throw new GraphQLError(error.message, { extensions: error.extensions });
        throw error;
      }
      const contextOptions = {
        ack,
        logger,
        request,
        deadlineMs: options.requestDeadlineMs,
        caller,
        policy: options.policy,
        forceRefresh: exchange?.refresh === true,
        maxUpstreamCalls,
      };
      const context = createContext(contextOptions);
      // A subscription's events each get the request state a request would (src/schema/subscription.ts).
      context.live = {
        watcher,
        renew: (current) => {
          current.deadline.clear();
          Object.assign(current, createContext({ ...contextOptions, caller: current.caller }));
        },
      };
      return context;
    },
    graphiql:
      options.graphiql === false
        ? false
        : {
            ...graphiqlOptions(options.graphiqlExample),
            // GraphiQL runs subscriptions as SSE GETs, which CSRF prevention refuses without it.
            additionalHeaders: { [CSRF_HEADERS[0] ?? 'x-graphql-yoga-csrf']: 'graphiql' },
          },
    // Loaded on the first page view: the bundle costs ~30 MB of memory that API-only
    // deployments (and GRAPHIQL=false) never pay.
    renderGraphiQL: async (graphiqlOptions) => {
      if (graphiqlPage === undefined) {
        const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
        graphiqlPage = renderGraphiQL(graphiqlOptions);
      }
      return graphiqlPage;
    },
    plugins: [
      // First: its timings and spans wrap every other plugin's work.
      useObservability(logger, options.observability),
      ...plugins,
      finishRequest,
      streamedSubscriptionsOnly,
      // Queries run as code compiled once per document, graphql-js for the rest (src/execution).
      useCompiledExecutor(schema),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          const now = Date.now();
          if (!readiness || now - readiness.at > READINESS_CACHE_MS) {
            const result = await ack.ping();
            if (!result.ok)
              logger.warn({ reason: result.reason }, 'ACK is not reachable with the configured credentials');
            readiness = { at: now, ok: result.ok };
          }
          return readiness.ok;
        },
      }),
      ...(options.extraPlugins ?? []),
    ],
  });
}
