import { once } from 'node:events';
import { Agent, createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../helpers/observed-gateway.js';
import { startGatewayProcess } from '../helpers/process.js';

/** An OTLP/HTTP receiver: keeps the JSON bodies posted to /v1/traces. */
async function startOtlpReceiver() {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * POSTs JSON over a keep-alive agent that, unlike fetch's, never drops an idle connection itself:
 * only the server's shutdown can end it.
 */
function postKeepAlive(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const agent = new Agent({ keepAlive: true });
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** Whether a new TCP connection to `url` is accepted. */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `check` every 20 ms until it holds; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const spanNamesOf = (bodies: string[]): string[] =>
  bodies.flatMap((body) => {
    const parsed = JSON.parse(body) as {
      resourceSpans?: { scopeSpans?: { spans?: { name: string }[] }[] }[];
    };
    return (parsed.resourceSpans ?? []).flatMap((resource) =>
      (resource.scopeSpans ?? []).flatMap((scope) => (scope.spans ?? []).map((span) => span.name)),
    );
  });

describe('the gateway process on SIGTERM', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());

  it('finishes the request in flight, refuses new connections, flushes its traces and exits 0', async () => {
    const gateway = await startGatewayProcess({
      SIMULATOR_LATENCY_MS: '800',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      LOG_LEVEL: 'info',
    });
    try {
      const notice = gateway.logs.find((entry) => String(entry.msg).includes('embedded ACK simulator'));
      const [clusterId] = (notice?.clusters as string[]) ?? [];

      // /metrics answers from the process (outside GraphQL), before any request.
      const metrics = await fetch(`${gateway.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(sample(await metrics.text(), 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

      const started = Date.now();
      const slow = postKeepAlive(
        `${gateway.url}/graphql`,
        {
          query: 'query Slow($id: ID!) { cluster(id: $id) { id nodePools { id } } }',
          variables: { id: clusterId },
        },
        { 'x-request-id': 'in-flight-at-sigterm' },
      );
      // SIGTERM once the gateway is waiting for ACK on that request (as its own metrics say).
      await until(async () => {
        const text = await (await fetch(`${gateway.url}/metrics`)).text();
        return sample(text, 'ack_gateway_upstream_in_flight') === 1;
      });
      const exited = once(gateway.child, 'exit');
      const signalled = Date.now();
      gateway.child.kill('SIGTERM');
      await until(async () => !(await accepts(gateway.url)));

      const response = await slow;
      expect(response.status).toBe(200);
      expect(response.headers['x-request-id']).toBe('in-flight-at-sigterm');
      const body = JSON.parse(response.body) as {
        data?: { cluster: { nodePools: unknown[] } };
        errors?: unknown;
      };
      expect(body.errors).toBeUndefined();
      expect(body.data?.cluster.nodePools).toHaveLength(5);
      expect(Date.now() - started).toBeGreaterThanOrEqual(790);

      const [code] = await exited;
      expect(code).toBe(0);
      // The idle keep-alive connection did not hold the process open until the server's 5 s
      // keep-alive timeout (nor the 10 s grace).
      expect(Date.now() - signalled).toBeLessThan(4_000);
      expect(await accepts(gateway.url)).toBe(false);

      const requestLine = gateway.logs.findIndex((entry) => entry.msg === 'GraphQL request');
      expect(gateway.logs[requestLine]).toMatchObject({
        requestId: 'in-flight-at-sigterm',
        operationName: 'Slow',
        status: 200,
      });
      // The request was answered after the shutdown began.
      const shuttingDown = gateway.logs.findIndex((entry) => String(entry.msg).startsWith('Shutting down'));
      expect(shuttingDown).toBeGreaterThan(-1);
      expect(shuttingDown).toBeLessThan(requestLine);
      expect(gateway.logs.at(-1)?.msg).toBe('Stopped');

      // The spans still buffered at SIGTERM went out before the exit.
      const names = spanNamesOf(receiver.bodies);
      expect(names).toEqual(
        expect.arrayContaining([
          'POST /graphql',
          'graphql.parse',
          'graphql.validate',
          'graphql.execute',
          'ack DescribeClusterNodePools',
        ]),
      );
      const exported = receiver.bodies.join('\n');
      expect(exported).toContain('"ack-nodepool-gateway"');
      expect(exported).not.toMatch(/ACS3-HMAC-SHA256|Signature=|accessKey/i);
      expect(JSON.stringify(gateway.logs)).not.toMatch(/accessKeySecret|Signature=|ACS3-HMAC-SHA256/);
    } finally {
      await gateway.stop();
    }
  });
});
