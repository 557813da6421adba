import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.js';
import { sample, startObservedGateway } from '../helpers/observed-gateway.js';

type Gateway = Awaited<ReturnType<typeof startObservedGateway>>;
const gateways: Gateway[] = [];
const start = async (options: Parameters<typeof startObservedGateway>[0] = {}) => {
  const gateway = await startObservedGateway(options);
  gateways.push(gateway);
  return gateway;
};
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

const NODE_POOLS = 'query Pools($id: ID!) { cluster(id: $id) { id nodePools { id name } } }';

describe('GET /metrics', () => {
  it('counts requests by operation, upstream calls by action and outcome, and cache reads consistently with ACK', async () => {
    const gateway = await start({ simulator: { clusterCount: 3 } });
    const [first, second, third] = gateway.simulator.clusters.map((cluster) => cluster.id);
    gateway.simulator.setOptions({ faults: { [String(third)]: 'server-error' } });

    // Twice the same cluster (miss, then hit), one other cluster, one failing cluster, one anonymous query.
    expect((await gateway.post(NODE_POOLS, { id: first })).body.errors).toBeUndefined();
    expect((await gateway.post(NODE_POOLS, { id: first })).body.errors).toBeUndefined();
    expect((await gateway.post(NODE_POOLS, { id: second })).body.errors).toBeUndefined();
    const failed = await gateway.post(NODE_POOLS, { id: third });
    expect(failed.body.errors).toMatchObject([{ extensions: { code: 'UPSTREAM_UNAVAILABLE' } }]);
    expect((await gateway.post(`{ cluster(id: "${first}") { id } }`)).body.errors).toBeUndefined();
    // Two concurrent requests for one cold cluster: one upstream call, one shared.
    gateway.cache.clear();
    await Promise.all([gateway.post(NODE_POOLS, { id: second }), gateway.post(NODE_POOLS, { id: second })]);
    // Does not parse: still counted, as anonymous, with its code.
    expect((await gateway.post('{ cluster(id: ')).response.status).toBe(400);

    const { status, text, type } = await gateway.scrape();
    expect(status).toBe(200);
    expect(type).toContain('text/plain');

    const requests = (labels: Record<string, string>) =>
      sample(text, 'ack_gateway_graphql_requests_total', labels);
    expect(requests({ operation: 'Pools', status: '200' })).toBe(6);
    expect(requests({ operation: 'anonymous', status: '200' })).toBe(1);
    expect(requests({ operation: 'anonymous', status: '400' })).toBe(1);
    expect(sample(text, 'ack_gateway_graphql_request_duration_seconds_count', { operation: 'Pools' })).toBe(
      6,
    );
    expect(
      sample(text, 'ack_gateway_graphql_request_duration_seconds_sum', { operation: 'Pools' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'ack_gateway_graphql_errors_total', { code: 'UPSTREAM_UNAVAILABLE' })).toBe(1);
    expect(sample(text, 'ack_gateway_graphql_errors_total', { code: 'GRAPHQL_PARSE_FAILED' })).toBe(1);

    const stats = gateway.simulator.stats();
    const calls = (labels: Record<string, string>) =>
      sample(text, 'ack_gateway_upstream_calls_total', labels) ?? 0;
    expect(calls({})).toBe(stats.total);
    expect(calls({ action: 'DescribeClusterNodePools', outcome: 'ok', status_code: '200' })).toBe(
      stats.byStatus['200'],
    );
    expect(calls({ action: 'DescribeClusterNodePools', outcome: 'UNAVAILABLE', status_code: '500' })).toBe(1);
    expect(
      sample(text, 'ack_gateway_upstream_call_duration_seconds_count', {
        action: 'DescribeClusterNodePools',
      }),
    ).toBe(stats.total);

    const cache = (event: string) => sample(text, 'ack_gateway_cache_events_total', { event }) ?? 0;
    // Every miss asked ACK once; hits and shared reads did not.
    expect(cache('miss')).toBe(stats.total);
    expect(cache('hit')).toBe(2);
    expect(cache('shared')).toBe(1);

    const { endpoint } = gateway.client;
    expect(sample(text, 'ack_gateway_upstream_circuit_state', { endpoint })).toBe(0);
    expect(sample(text, 'ack_gateway_upstream_in_flight', { endpoint })).toBe(0);
    expect(sample(text, 'ack_gateway_upstream_queued', { endpoint })).toBe(0);
    // Default process metrics, in this app's own registry.
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it("reports a cluster's open circuit and the calls it refused, the endpoint's staying closed", async () => {
    const gateway = await start({ simulator: { clusterCount: 2 } });
    const [broken] = gateway.simulator.clusters.map((cluster) => cluster.id);
    gateway.simulator.setOptions({ faults: { [String(broken)]: 'server-error' } });
    // The cluster's breaker opens once half of at least 5 attempts in its window failed.
    for (let i = 0; i < 6; i += 1) {
      gateway.cache.clear();
      await gateway.post(NODE_POOLS, { id: broken });
    }
    const { text } = await gateway.scrape();
    expect(sample(text, 'ack_gateway_upstream_circuit_state')).toBe(0);
    expect(sample(text, 'ack_gateway_upstream_open_clusters')).toBe(1);
    expect(sample(text, 'ack_gateway_upstream_concurrency_limit')).toBe(20);
    expect(sample(text, 'ack_gateway_upstream_refused_total', { reason: 'CircuitOpen' })).toBe(1);
    expect(sample(text, 'ack_gateway_upstream_calls_total', { outcome: 'UNAVAILABLE' })).toBe(5);
  });

  it('separate apps keep separate registries', async () => {
    const one = await start();
    const two = await start();
    const [id] = one.simulator.clusters.map((cluster) => cluster.id);
    await one.post(NODE_POOLS, { id });
    expect(sample((await one.scrape()).text, 'ack_gateway_graphql_requests_total')).toBe(1);
    expect(sample((await two.scrape()).text, 'ack_gateway_graphql_requests_total')).toBeUndefined();
  });

  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const gateway = await start({ metrics: { enabled: true, token: 'scrape-token-0001' } });
    expect((await gateway.scrape()).status).toBe(401);
    expect((await gateway.scrape({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await gateway.scrape({ authorization: 'Bearer scrape-token-0001' })).status).toBe(200);
  });

  it('is not served when metrics are off, and never through GraphQL', async () => {
    const gateway = await start({ metrics: { enabled: false } });
    expect((await gateway.scrape()).status).toBe(404);
    const [id] = gateway.simulator.clusters.map((cluster) => cluster.id);
    expect((await gateway.post(NODE_POOLS, { id })).body.errors).toBeUndefined();
  });
});

describe('what the metrics say of the front door', () => {
  it('count replies from the response cache under their operation name, labelled as replayed', async () => {
    const gateway = await start({ simulator: { clusterCount: 1 } });
    const url = await gateway.listen();
    const [id] = gateway.simulator.clusters.map((cluster) => cluster.id);
    // No operationName in the body: the name comes from the parsed document.
    const body = JSON.stringify({ query: NODE_POOLS, variables: { id } });
    for (let i = 0; i < 5; i++) {
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    }
    const { text } = await gateway.scrape();
    const requests = (labels: Record<string, string>) =>
      sample(text, 'ack_gateway_graphql_requests_total', labels);
    expect(requests({ operation: 'Pools', served_from: 'execution' })).toBe(2);
    expect(requests({ operation: 'Pools', served_from: 'response_cache' })).toBe(3);
    expect(requests({ operation: 'anonymous' })).toBeUndefined();
  });

  it('count CSRF refusals under their own code, and word limit errors as limits', async () => {
    const gateway = await start();
    const refused = await gateway.app.fetch('http://gateway.test/graphql?query=%7B__typename%7D');
    expect(refused.status).toBe(403);
    const deep = await gateway.post(
      `{ cluster(id: "c1") { ${'nodePools { cluster { '.repeat(8)}id${' } }'.repeat(8)} } }`,
    );
    const limit = (deep.body.errors as { message: string; extensions: { code: string } }[])[0];
    expect(limit?.extensions.code).toBe('QUERY_LIMIT_EXCEEDED');
    expect(limit?.message).not.toMatch(/^Syntax Error/);
    const { text } = await gateway.scrape();
    expect(sample(text, 'ack_gateway_graphql_errors_total', { code: 'CSRF_HEADER_REQUIRED' })).toBe(1);
    expect(sample(text, 'ack_gateway_graphql_errors_total', { code: 'UNKNOWN' })).toBeUndefined();
  });
});

describe('operation name labels', () => {
  it('are bounded: past the cap, new names count as other', () => {
    const metrics = createMetrics({ maxOperationNames: 2, defaultMetrics: false });
    for (const operationName of ['A', 'B', 'C', 'D', 'A', undefined]) {
      metrics.recordRequest({ operationName, status: 200, durationMs: 1, errorCodes: [] });
    }
    return metrics.registry.metrics().then((text) => {
      expect(sample(text, 'ack_gateway_graphql_requests_total', { operation: 'A' })).toBe(2);
      expect(sample(text, 'ack_gateway_graphql_requests_total', { operation: 'B' })).toBe(1);
      // C and D arrived after the cap; anonymous operations never take a place.
      expect(sample(text, 'ack_gateway_graphql_requests_total', { operation: 'other' })).toBe(2);
      expect(sample(text, 'ack_gateway_graphql_requests_total', { operation: 'anonymous' })).toBe(1);
      expect(sample(text, 'ack_gateway_graphql_requests_total', { operation: 'C' })).toBeUndefined();
    });
  });
});
