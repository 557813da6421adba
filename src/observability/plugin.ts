import { timingSafeEqual } from 'node:crypto';
import type { Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ExecutionResult, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { requestIdOf } from '../request-id.js';
import type { GatewayMetrics } from './metrics.js';
import type { Tracing } from './tracing.js';

/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';
const GRAPHQL_PATH = '/graphql';
/** Longest operation name written to a log line or span. */
const MAX_OPERATION_NAME_LENGTH = 100;

export interface ObservabilityOptions {
  /** Count requests and serve `GET /metrics` from these metrics. @default no metrics, no /metrics */
  metrics?: GatewayMetrics;
  /** A bearer token `/metrics` requires. @default none (reachable by whoever reaches the port) */
  metricsToken?: string;
  /** Span every GraphQL request, its parse, validate and execute phases. @default no tracing */
  tracing?: Tracing;
}

/** What is known of one GraphQL request while it runs. */
interface RequestRecord {
  requestId: string;
  started: number;
  operationName?: string;
  operationType?: string;
  errorCodes: string[];
  span?: Span;
}

const bearerMatches = (header: string | null, token: string): boolean => {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
};

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function';

function errorCodesOf(result: unknown): string[] {
  const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
  return results.flatMap((one) =>
    (one && typeof one === 'object' && Array.isArray(one.errors) ? one.errors : []).map((error) => {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      return typeof code === 'string' ? code : 'UNKNOWN';
    }),
  );
}

/**
 * Metrics, traces and one log line per GraphQL request (request id, operation name, duration,
 * status, error codes; never the query or its variables), and the request id echoed in the
 * `x-request-id` response header. Serves `GET /metrics` outside GraphQL when metrics are on.
 */
export function useObservability(logger: Logger, options: ObservabilityOptions = {}): Plugin {
  const { metrics, tracing, metricsToken } = options;
  const records = new WeakMap<Request, RequestRecord>();
  const recordOf = (request: Request | undefined) => (request ? records.get(request) : undefined);
  /** The record of a GraphQL request (created at its first sight), undefined for other paths. */
  const begin = (request: Request, pathname: string): RequestRecord | undefined => {
    if (pathname !== GRAPHQL_PATH || request.method === 'OPTIONS') return undefined;
    let record = records.get(request);
    if (!record) {
      record = { requestId: requestIdOf(request), started: performance.now(), errorCodes: [] };
      records.set(request, record);
    }
    return record;
  };

  /** A child span of the request's, active while `wrapped` runs. */
  const phase = <T>(name: string, wrapped: () => T): T => {
    if (!tracing) return wrapped();
    const span = tracing.startSpan(name);
    try {
      const result = tracing.withSpan(span, wrapped);
      if (isPromiseLike(result)) {
        return Promise.resolve(result).finally(() => span.end()) as T;
      }
      span.end();
      return result;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      throw error;
    }
  };

  return {
    ...(tracing
      ? {
          instrumentation: {
            // Wraps the whole exchange, onRequest and onResponse included.
            request: ({ request }, wrapped) => {
              const record = begin(request, new URL(request.url, 'http://localhost').pathname);
              if (!record) return wrapped();
              const parent = tracing.extract(request.headers);
              const span = tracing.startSpan(
                `${request.method} ${GRAPHQL_PATH}`,
                {
                  kind: SpanKind.SERVER,
                  attributes: {
                    'http.request.method': request.method,
                    'url.path': GRAPHQL_PATH,
                    'gateway.request_id': record.requestId,
                  },
                },
                parent,
              );
              record.span = span;
              return Promise.resolve(tracing.withSpan(span, wrapped, parent)).finally(() => span.end());
            },
            parse: (_, wrapped) => phase('graphql.parse', wrapped),
            validate: (_, wrapped) => phase('graphql.validate', wrapped),
            execute: (_, wrapped) => phase('graphql.execute', wrapped),
          },
        }
      : {}),
    onRequest: ({ request, url, endResponse, fetchAPI }) => {
      if (url.pathname === METRICS_PATH && metrics && request.method === 'GET') {
        if (metricsToken && !bearerMatches(request.headers.get('authorization'), metricsToken)) {
          endResponse(
            new fetchAPI.Response('Unauthorized\n', {
              status: 401,
              headers: { 'www-authenticate': 'Bearer' },
            }),
          );
          return;
        }
        return metrics.registry.metrics().then((text) => {
          endResponse(
            new fetchAPI.Response(text, { headers: { 'content-type': metrics.registry.contentType } }),
          );
        });
      }
      begin(request, url.pathname);
    },
    onParse: ({ context }) => {
      return ({ result }) => {
        const record = recordOf((context as { request?: Request }).request);
        if (!record || result instanceof Error || !result) return;
        const requested = (context as { params?: { operationName?: string } }).params?.operationName;
        const operation = getOperationAST(result, requested);
        record.operationName = operation?.name?.value.slice(0, MAX_OPERATION_NAME_LENGTH);
        record.operationType = operation?.operation;
      };
    },
    onResultProcess: ({ request, result }) => {
      const record = recordOf(request);
      if (record) record.errorCodes.push(...errorCodesOf(result));
    },
    onResponse: ({ request, response }) => {
      const record = recordOf(request);
      if (!record) return;
      response.headers.set('x-request-id', record.requestId);
      // GraphiQL's page is not a GraphQL answer.
      if (response.headers.get('content-type')?.startsWith('text/html')) return;
      const durationMs = performance.now() - record.started;
      const { operationName, operationType, errorCodes, requestId } = record;
      metrics?.recordRequest({ operationName, status: response.status, durationMs, errorCodes });
      if (record.span) {
        record.span.setAttributes({
          'http.response.status_code': response.status,
          ...(operationName ? { 'graphql.operation.name': operationName } : {}),
          ...(operationType ? { 'graphql.operation.type': operationType } : {}),
          ...(errorCodes.length > 0 ? { 'graphql.error_codes': [...new Set(errorCodes)] } : {}),
        });
        if (response.status >= 500) record.span.setStatus({ code: SpanStatusCode.ERROR });
      }
      logger.info(
        {
          requestId,
          operationName,
          operationType,
          status: response.status,
          durationMs: Math.round(durationMs * 10) / 10,
          ...(errorCodes.length > 0 ? { errorCodes: [...new Set(errorCodes)] } : {}),
        },
        'GraphQL request',
      );
    },
  };
}
