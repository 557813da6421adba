import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AckNodePoolSpec } from '../../src/ack/model/node-pool.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { selectAll } from '../helpers/spec-expectations.js';

let gateway: TestGateway;
let url: string;
beforeAll(async () => {
  gateway = await startTestGateway({
    app: { corsOrigins: ['https://dashboard.example.com'] },
    simulator: { clusterCount: 2 },
  });
  url = await gateway.listen();
});
afterAll(() => gateway.close());
beforeEach(() => gateway.simulator.resetStats());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

async function expectLimit(query: string, limit: string) {
  const response = await post(JSON.stringify({ query }));
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { extensions?: Record<string, unknown> }[];
  };
  expect(body.data ?? null).toBeNull();
  expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit });
  expect(gateway.simulator.stats().total).toBe(0);
}

describe('query limits: a clear coded error before any upstream call', () => {
  const id = () => gateway.simulator.clusters[0]?.id;

  it('depth', async () => {
    let selection = '{ id }';
    for (let level = 0; level < 8; level++) selection = `{ nodePools { cluster ${selection} } }`;
    await expectLimit(`{ cluster(id: "${id()}") ${selection} }`, 'depth');
  });

  it('aliases', async () => {
    const aliases = Array.from({ length: 51 }, (_, index) => `a${index}: cluster(id: "${id()}") { id }`).join(
      ' ',
    );
    await expectLimit(`{ ${aliases} }`, 'aliases');
  });

  it('directives', async () => {
    const directives = Array.from({ length: 31 }, () => '@include(if: true)').join(' ');
    await expectLimit(`{ cluster(id: "${id()}") { id ${directives} } }`, 'directives');
  });

  it('tokens', async () => {
    const fields = Array.from({ length: 5_100 }, () => 'id').join(' ');
    await expectLimit(`{ cluster(id: "${id()}") { ${fields} } }`, 'tokens');
  });

  it('cost', async () => {
    const costly = await startTestGateway({ app: { limits: { maxCost: 500 } } });
    try {
      const result = await costly.query(
        `{ nodePools(clusterId: "${costly.simulator.clusters[0]?.id}") ${selectAll(AckNodePoolSpec)} }`,
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' });
      expect(costly.upstreamCalls()).toBe(0);
    } finally {
      await costly.close();
    }
  });

  it('the defaults admit a query for every field of every pool', async () => {
    const result = await gateway.query(`{ nodePools(clusterId: "${id()}") ${selectAll(AckNodePoolSpec)} }`);
    expect(result.data?.nodePools).toHaveLength(5);
    // Only the sensitive fields are refused (this caller lacks the scope), no limit is hit.
    expect(new Set(result.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
  });

  it('body size, declared or streamed', async () => {
    const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(120_000) } });
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({
      errors: [{ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'bodyBytes' } }],
    });
    const encoder = new TextEncoder();
    const streamed = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    const small = await post(JSON.stringify({ query: '{ __typename }' }));
    expect(small.status).toBe(200);
    const streamedSmall = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode(JSON.stringify({ query: '{ __typename }' })));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(await streamedSmall.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('a Content-Length that is not one non-negative integer is refused before the body is read', async () => {
    // Node's HTTP parser refuses these on the wire; the app refuses them from any caller.
    for (const declared of ['5, 5', '-1', 'abc']) {
      const response = await gateway.app.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': declared },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        errors: [{ message: 'The Content-Length header is invalid.', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
    expect(gateway.upstreamCalls()).toBe(0);
  });

  it('an unreadable JSON body: one coded answer, declared or streamed, through the front door or not', async () => {
    const unreadable = '{"query": "{ __typename }"';
    const streamedBody = () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(unreadable));
          controller.close();
        },
      });
    const answers = [
      // The front door reads both whole and declares their length to the app.
      await post(unreadable),
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: streamedBody(),
        duplex: 'half',
      } as RequestInit),
      // Subscriptions over SSE go straight to the app: declared, then streamed.
      await post(unreadable, { accept: 'text/event-stream' }),
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: streamedBody(),
        duplex: 'half',
      } as RequestInit),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      const text = await answer.text();
      // Over SSE, the same payload as the `next` event's data (yoga answered a declared one with
      // its own words, the SyntaxError and the body echoed back in it, and status 200).
      const payload = answer.headers.get('content-type')?.startsWith('text/event-stream')
        ? /^data: (\{.*\})$/m.exec(text)?.[1]
        : text;
      expect(JSON.parse(payload ?? 'null')).toEqual({
        errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
  });
});

describe('browser-facing protections', () => {
  it('CSRF: a request a browser sends without preflight needs a script-only header', async () => {
    const get = await fetch(`${url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(403);
    const form = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent('{ __typename }')}`,
    });
    expect(form.status).toBe(403);
    const withHeader = await fetch(`${url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(withHeader.status).toBe(200);
  });

  it('CORS: only the allow-listed origins', async () => {
    const allowed = await fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dashboard.example.com', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example.com');
    const other = await fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    // No CORS header at all: neither the origin, nor `*`, nor `null`.
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('introspection can be switched off for production', async () => {
    const closed = await startTestGateway({ app: { introspection: false, graphiql: false } });
    try {
      const result = await closed.query('{ __schema { types { name } } }');
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.message).toMatch(/introspection/i);
      expect((await closed.query('{ __typename }')).data).toEqual({ __typename: 'Query' });
    } finally {
      await closed.close();
    }
  });
});

describe('request deadline', () => {
  it('answers UPSTREAM_TIMEOUT for the fields still waiting when it passes, the rest intact', async () => {
    const slow = await startTestGateway({
      app: { requestDeadlineMs: 300 },
      client: { readTimeoutMs: 5_000 },
      simulator: { clusterCount: 2, slowMs: 2_000 },
    });
    try {
      const [fast, lagging] = slow.simulator.clusters;
      slow.simulator.setFault(lagging?.id ?? '', 'slow');
      const started = Date.now();
      const result = await slow.query(
        `query($a: ID!, $b: ID!) { a: nodePools(clusterId: $a) { id } b: nodePools(clusterId: $b) { id } }`,
        {
          a: fast?.id,
          b: lagging?.id,
        },
      );
      expect(Date.now() - started).toBeLessThan(1_900);
      expect(result.data?.a).toHaveLength(5);
      expect(result.data?.b).toBeNull();
      expect(result.errors).toMatchObject([{ path: ['b'], extensions: { code: 'UPSTREAM_TIMEOUT' } }]);
    } finally {
      await slow.close();
    }
  });
});
