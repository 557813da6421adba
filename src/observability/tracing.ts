import {
  type Context as OtelContext,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { AckObserver } from '../ack/ack-observer.js';
import { DEFAULT_SERVICE_NAME } from '../defaults.js';
import { addLogContext } from '../logger.js';

export interface TracingOptions {
  /**
   * OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. `http://otel-collector:4318`):
   * spans are posted as JSON to `<endpoint>/v1/traces`. Without it (and without `exporter`)
   * tracing is off and no SDK is loaded.
   */
  endpoint?: string;
  /** @default DEFAULT_SERVICE_NAME */
  serviceName?: string;
  /** Where spans go instead of OTLP, each as it ends (tests: an `InMemorySpanExporter`). */
  exporter?: SpanExporter;
}

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

export type Tracing = Awaited<ReturnType<typeof createTracing>>;

/** Milliseconds since the epoch, sub-millisecond precise (span start/end times). */
const now = () => performance.timeOrigin + performance.now();

/**
 * OpenTelemetry tracing, or undefined when neither an endpoint nor an exporter is given: then
 * nothing is loaded and no hook is installed. Spans are parented through an async-local context
 * of our own, never the global OpenTelemetry registration, so two apps in one process (tests)
 * keep their traces apart.
 */
export async function createTracing(options: TracingOptions) {
  if (!options.endpoint && !options.exporter) return undefined;
  const [
    sdk,
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    { resourceFromAttributes },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
  ]);
  let processor: InstanceType<typeof sdk.SimpleSpanProcessor | typeof sdk.BatchSpanProcessor>;
  if (options.exporter) {
    processor = new sdk.SimpleSpanProcessor({ exporter: options.exporter });
  } else {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const url = `${String(options.endpoint).replace(/\/+$/, '')}/v1/traces`;
    processor = new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) });
  }
  // The SDK's plain provider: it registers nothing globally (no context manager, no
  // propagator), so spans are parented only through the context manager below.
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? DEFAULT_SERVICE_NAME }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer(DEFAULT_SERVICE_NAME);
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const propagator = new W3CTraceContextPropagator();
  // Log lines written while a span is active carry its ids, so logs and traces join up.
  const removeLogContext = addLogContext(() => {
    const span = trace.getSpan(contextManager.active());
    if (!span) return undefined;
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  });

  const ackObserver: AckObserver = {
    onCallStart: ({ action, clusterId }) => {
      // The caller's context now: a call that waits in the queue is resumed from another's.
      const parent = contextManager.active();
      return (end) => {
        const finished = now();
        const span = tracer.startSpan(
          `ack ${action}`,
          {
            kind: SpanKind.CLIENT,
            startTime: finished - end.ms,
            attributes: {
              'ack.action': action,
              ...(clusterId ? { 'ack.cluster_id': clusterId } : {}),
              'ack.outcome': end.outcome,
              'ack.attempt': end.attempt,
              ...(end.statusCode ? { 'http.response.status_code': end.statusCode } : {}),
              ...(end.upstreamCode ? { 'ack.error_code': end.upstreamCode } : {}),
              ...(end.requestId ? { 'ack.request_id': end.requestId } : {}),
            },
          },
          parent,
        );
        if (end.outcome !== 'ok' && end.outcome !== 'NOT_FOUND') {
          span.setStatus({ code: SpanStatusCode.ERROR, message: end.upstreamCode ?? end.outcome });
        }
        span.end(finished);
      };
    },
  };

  return {
    ackObserver,
    /** The trace context an incoming request carries (W3C `traceparent`), or the root. */
    extract: (headers: Headers): OtelContext => propagator.extract(ROOT_CONTEXT, headers, headerGetter),
    /** Starts a span under `parent` (default: the active span). */
    startSpan: (name: string, spanOptions: SpanOptions = {}, parent = contextManager.active()): Span =>
      tracer.startSpan(name, spanOptions, parent),
    /** Runs `fn` with `span` active, so spans started inside are its children. */
    withSpan: <T>(span: Span, fn: () => T, parent = contextManager.active()): T =>
      contextManager.with(trace.setSpan(parent, span), fn),
    /** Sends the spans still buffered and stops. */
    shutdown: async (): Promise<void> => {
      removeLogContext();
      await provider.shutdown();
      contextManager.disable();
    },
  };
}
