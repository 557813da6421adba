import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import {
  createYoga,
  isAsyncIterable,
  type Plugin,
  useReadinessCheck,
  type YogaServerInstance,
} from 'graphql-yoga';
import type { AckApi } from './ack/ack-api.js';
import type { Authenticator } from './auth/authenticate.js';
import { AuthenticationError } from './auth/authentication-error.js';
import type { Policy } from './auth/policy.js';
import type { Principal } from './auth/principal.js';
import { type Context, createContext } from './context.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits, useQueryLimits } from './limits.js';
import type { Logger } from './logger.js';
import { type ObservabilityOptions, useObservability } from './observability/plugin.js';
import { isRefresh, rememberContext } from './request-state.js';
import { schema } from './schema/index.js';

/** The query GraphiQL opens with: a tour of the graph's main paths. */
export const EXAMPLE_QUERY = /* GraphQL */ `# ACK node pools as a graph. Put a cluster id below and run (Ctrl-Enter).
# The docs pane (top left) describes every field.
query ClusterNodePools($clusterId: ID!) {
  cluster(id: $clusterId) {
    id
    nodePools {
      id
      name
      type
      isDefault
      created
      status { state totalNodes healthyNodes servingNodes }
      autoScaling { enable type minInstances maxInstances }
      scalingGroup { instanceTypes desiredSize dataDisks { category size encrypted } }
      kubernetesConfig { runtime runtimeVersion labels { key value } taints { key value effect } }
    }
  }
}
`;

/** How long a readiness answer is reused, so probes do not hammer ACK's rate limits. */
export const READINESS_CACHE_MS = 5_000;

export interface AppOptions {
  ack: AckApi;
  logger: Logger;
  /** Serve GraphiQL (entirely from this process, no CDN) on a browser GET of /graphql. @default true */
  graphiql?: boolean;
  /** Variables GraphiQL opens with, e.g. a real cluster id. */
  graphiqlVariables?: Record<string, unknown>;
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
}

/** Headers that mark a request as sent by a script (which a cross-site form cannot set). */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'graphql-preflight'];

export type App = YogaServerInstance<Record<string, never>, Context>;

/** The deadline's timer ends with the request; its warnings (stale answers) join the result. */
const finishRequest: Plugin<Context> = {
  onExecute: ({ args }) => ({
    onExecuteDone: ({ result, setResult }) => {
      args.contextValue.deadline.clear();
      const warnings = args.contextValue.warnings.list();
      if (warnings.length > 0 && !isAsyncIterable(result)) {
        setResult({ ...result, extensions: { ...result.extensions, warnings } });
      }
    },
  }),
};

/** The gateway as a fetch-style handler; it never listens (main.ts and tests decide that). */
export function createApp(options: AppOptions): App {
  const { ack, logger } = options;
  // GraphiQL's page inlines its ~9 MB bundle: render it once, not per request.
  let graphiqlPage: string | undefined;
  let readiness: { at: number; ok: boolean } | undefined;

  const plugins: Plugin[] = [...useQueryLimits({ ...DEFAULT_QUERY_LIMITS, ...options.limits })];
  if (options.csrfPrevention !== false) plugins.push(useCSRFPrevention({ requestHeaders: CSRF_HEADERS }));
  if (options.introspection === false) plugins.push(useDisableIntrospection());
  const corsOrigins = options.corsOrigins ?? [];

  return createYoga<Record<string, never>, Context>({
    schema,
    cors:
      corsOrigins.length > 0
        ? { origin: [...corsOrigins], credentials: true, methods: ['GET', 'POST'], maxAge: 600 }
        : false,
    graphqlEndpoint: '/graphql',
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
    context: async ({ request }) => {
      let caller: Principal | undefined;
      try {
        caller = await options.authenticate?.(request);
      } catch (error) {
        // 401 (or 503 when the keys to verify with are unreachable) for the whole request.
        if (error instanceof AuthenticationError)
          throw new GraphQLError(error.message, { extensions: error.extensions });
        throw error;
      }
      const context = createContext({
        ack,
        logger,
        request,
        deadlineMs: options.requestDeadlineMs,
        caller,
        policy: options.policy,
        forceRefresh: isRefresh(request),
      });
      rememberContext(request, context);
      return context;
    },
    graphiql:
      options.graphiql === false
        ? false
        : {
            title: 'ACK node-pool gateway',
            defaultQuery: EXAMPLE_QUERY,
            ...(options.graphiqlVariables
              ? {
                  defaultVariableEditorOpen: true,
                  variables: JSON.stringify(options.graphiqlVariables, null, 2),
                }
              : {}),
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
    ],
  });
}
