import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_KEY } from '../helpers/gateway.js';
import { startObservedGateway } from '../helpers/observed-gateway.js';

type Gateway = Awaited<ReturnType<typeof startObservedGateway>>;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const only = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.filter((span) => span.name === name);
  expect(found, name).toHaveLength(1);
  return found[0] as ReadableSpan;
};

describe('traces', () => {
  it('span the request, its parse, validate and execute, and each upstream call beneath them', async () => {
    const exporter = new InMemorySpanExporter();
    gateway = await startObservedGateway({ spanExporter: exporter, simulator: { clusterCount: 2 } });
    const [first, second] = gateway.simulator.clusters.map((cluster) => cluster.id);
    const { body, response } = await gateway.post(
      `query Two($a: ID!, $b: ID!) { a: cluster(id: $a) { id nodePools { id } } b: cluster(id: $b) { id } }`,
      { a: first, b: second },
      { 'x-request-id': 'trace-test-1' },
    );
    expect(body.errors).toBeUndefined();
    expect(response.headers.get('x-request-id')).toBe('trace-test-1');

    const spans = exporter.getFinishedSpans();
    const http = only(spans, 'POST /graphql');
    const parse = only(spans, 'graphql.parse');
    const validate = only(spans, 'graphql.validate');
    const execute = only(spans, 'graphql.execute');
    const calls = spans.filter((span) => span.name === 'ack DescribeClusterNodePools');
    expect(calls).toHaveLength(2);

    const traceId = http.spanContext().traceId;
    expect(spans.every((span) => span.spanContext().traceId === traceId)).toBe(true);
    expect(parentOf(http)).toBeUndefined();
    for (const phase of [parse, validate, execute]) expect(parentOf(phase)).toBe(http.spanContext().spanId);
    for (const call of calls) expect(parentOf(call)).toBe(execute.spanContext().spanId);

    expect(http.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'graphql.operation.name': 'Two',
      'graphql.operation.type': 'query',
      'gateway.request_id': 'trace-test-1',
    });
    expect(calls.map((call) => call.attributes['ack.cluster_id']).sort()).toEqual([first, second].sort());
    expect(calls[0]?.attributes).toMatchObject({
      'ack.action': 'DescribeClusterNodePools',
      'ack.outcome': 'ok',
      'ack.attempt': 1,
      'http.response.status_code': 200,
    });
    expect(http.resource.attributes['service.name']).toBe('ack-nodepool-gateway-test');

    // Log lines written while the request's spans are active carry their ids.
    const requestLine = gateway
      .logs()
      .find((line) => line.msg === 'GraphQL request' && line.requestId === 'trace-test-1');
    expect(requestLine).toMatchObject({ traceId });
    expect(typeof requestLine?.spanId).toBe('string');

    // Nothing secret in any span: not the key, not a signature, not a header.
    const everything = JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]));
    expect(everything).not.toContain(TEST_KEY.accessKeySecret);
    expect(everything).not.toContain(TEST_KEY.accessKeyId);
    expect(everything).not.toMatch(/ACS3-HMAC-SHA256|Signature=|authorization/i);
  });

  it('continues the caller trace (W3C traceparent) and marks failed upstream calls, one span per attempt', async () => {
    const exporter = new InMemorySpanExporter();
    gateway = await startObservedGateway({ spanExporter: exporter, retryMaxAttempts: 2 });
    const [broken] = gateway.simulator.clusters.map((cluster) => cluster.id);
    gateway.simulator.setOptions({ faults: { [String(broken)]: 'server-error' } });
    const callerTrace = '0af7651916cd43dd8448eb211c80319c';
    const { body } = await gateway.post(
      `query Broken($id: ID!) { cluster(id: $id) { id } }`,
      { id: broken },
      { traceparent: `00-${callerTrace}-b7ad6b7169203331-01` },
    );
    expect(body.errors).toMatchObject([{ extensions: { code: 'UPSTREAM_UNAVAILABLE' } }]);
    const spans = exporter.getFinishedSpans();
    const http = only(spans, 'POST /graphql');
    expect(http.spanContext().traceId).toBe(callerTrace);
    expect(parentOf(http)).toBe('b7ad6b7169203331');
    expect(http.attributes['graphql.error_codes']).toEqual(['UPSTREAM_UNAVAILABLE']);
    const attempts = spans.filter((span) => span.name === 'ack DescribeClusterNodePools');
    expect(attempts.map((span) => span.attributes['ack.attempt'])).toEqual([1, 2]);
    for (const attempt of attempts) {
      expect(attempt.attributes).toMatchObject({
        'ack.outcome': 'UNAVAILABLE',
        'http.response.status_code': 500,
      });
      expect(attempt.status.code).toBe(2); // SpanStatusCode.ERROR
    }
  });

  it('is off without an endpoint or exporter: no spans, no SDK', async () => {
    gateway = await startObservedGateway();
    const [id] = gateway.simulator.clusters.map((cluster) => cluster.id);
    expect((await gateway.post(`{ cluster(id: "${id}") { id } }`)).body.errors).toBeUndefined();
    const { createTracing } = await import('../../src/observability/tracing.js');
    expect(await createTracing({})).toBeUndefined();
  });
});
