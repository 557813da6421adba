import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hashApiKey } from '../../src/auth/api-key.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import {
  type LiveSubscription,
  NODE_POOLS_SUBSCRIPTION,
  sleep,
  subscribeSse,
  subscribeWs,
  wsClient,
} from './live-client.js';

/**
 * Both transports through the real HTTP server (the front door, then yoga): GraphQL over SSE
 * (`Accept: text/event-stream`) and GraphQL over WebSocket (`graphql-transport-ws`) on
 * /graphql, authentication from headers or `connectionParams`, keep-alive, and shutdown
 * completing every stream.
 */
const KEY = 'live-key-0123456789abcdef';
const OTHER_KEY = 'other-key-0123456789abcdef';
const ALLOWED_ORIGIN = 'https://dashboards.example';
const INTERVAL_MS = 200;

const authenticate = createAuthenticator({
  mode: 'api-key',
  keys: [
    { name: 'live', sha256: hashApiKey(KEY) },
    { name: 'other', sha256: hashApiKey(OTHER_KEY) },
  ],
});

let gateway: TestGateway;
let url: string;
let wsUrl: string;
const open: LiveSubscription[] = [];
const clients: ReturnType<typeof wsClient>[] = [];
const clusterId = (index: number) => gateway.simulator.clusters[index]?.id ?? '';

function client(
  options: Parameters<typeof wsClient>[1] = { connectionParams: { authorization: `Bearer ${KEY}` } },
) {
  const made = wsClient(wsUrl, options);
  clients.push(made);
  return made;
}

async function sse(variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const subscription = await subscribeSse(fetch, `${url}/graphql`, variables, {
    headers: { authorization: `Bearer ${KEY}`, ...headers },
  });
  open.push(subscription);
  return subscription;
}

/** Opens a raw WebSocket and says how the handshake ended: `open`, or the HTTP status refused with. */
function handshake(target: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(target, 'graphql-transport-ws', { headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
    socket.once('error', () => resolve('error'));
  });
}

beforeAll(async () => {
  gateway = await startTestGateway({
    env: { WATCH_INTERVAL_MS: String(INTERVAL_MS), CORS_ORIGINS: ALLOWED_ORIGIN },
    app: { authenticate },
  });
  url = await gateway.listen();
  wsUrl = `${url.replace('http:', 'ws:')}/graphql`;
});
afterAll(() => gateway?.close());
afterEach(async () => {
  await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  await Promise.all(clients.splice(0).map((made) => made.dispose()));
  await expect.poll(() => gateway.gateway.watcher.stats().subscriptions, { timeout: 5_000 }).toBe(0);
});

describe('GraphQL over SSE through the HTTP layer', () => {
  it('streams events past the response cache, with keep-alive pings', async () => {
    const first = await sse({ clusterId: clusterId(0) });
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);
    const [event] = await first.received.atLeast(1);
    expect(event?.data?.nodePools?.nodePools).toHaveLength(5);
    // The same POST again is a new stream, not a replay of stored bytes.
    const second = await sse({ clusterId: clusterId(0) });
    await second.received.atLeast(1);
    expect(gateway.gateway.watcher.stats().subscriptions).toBe(2);

    await gateway.simulator.scaleNodePool(0, 0, 6, { stepMs: 0, steps: 1 });
    await Promise.all([first.received.atLeast(2), second.received.atLeast(2)]);
    // yoga pings every 300 ms under NODE_ENV=test (12 s otherwise).
    await sleep(700);
    expect(first.received.pings).toBeGreaterThan(1);
  });

  it('refuses a subscription asked without Accept: text/event-stream instead of buffering it', async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'multipart/mixed',
        authorization: `Bearer ${KEY}`,
      },
      body: JSON.stringify({ query: NODE_POOLS_SUBSCRIPTION, variables: { clusterId: clusterId(0) } }),
    });
    await response.arrayBuffer();
    expect(response.status).toBe(406);
    expect(gateway.gateway.watcher.stats().subscriptions).toBe(0);
  });

  it('authenticates the request: no credential, no stream', async () => {
    const subscription = await subscribeSse(fetch, `${url}/graphql`, { clusterId: clusterId(0) });
    const [answer] = await subscription.received.atLeast(1);
    expect(answer?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('GraphQL over WebSocket (graphql-transport-ws) on /graphql', () => {
  it('delivers the first event and the changes, and completes when the client unsubscribes', async () => {
    const ws = client();
    const subscription = subscribeWs(ws, { clusterId: clusterId(1) });
    const [first] = await subscription.received.atLeast(1);
    expect(first?.data?.nodePools?.changed).toHaveLength(5);
    await gateway.simulator.scaleNodePool(1, 0, 7, { stepMs: 0, steps: 1 });
    const [, changed] = await subscription.received.atLeast(2);
    const poolId = gateway.simulator.clusters[1]?.nodePools[0]?.nodepool_info.nodepool_id;
    expect(changed?.data?.nodePools?.changed).toEqual([poolId]);
    await subscription.close();
    await expect.poll(() => gateway.gateway.watcher.stats().subscriptions).toBe(0);
  });

  it('carries many subscriptions on one socket', async () => {
    const ws = client();
    const subscriptions = [0, 1, 2, 0].map((index) => subscribeWs(ws, { clusterId: clusterId(index) }));
    await Promise.all(subscriptions.map((subscription) => subscription.received.atLeast(1)));
    expect(gateway.gateway.watcher.stats()).toMatchObject({ subscriptions: 4, clusters: 3 });
  });

  it('authenticates from connectionParams or the upgrade request', async () => {
    const viaHeader = client({ headers: { 'x-api-key': OTHER_KEY } });
    const [ok] = await subscribeWs(viaHeader, { clusterId: clusterId(0) }).received.atLeast(1);
    expect(ok?.data?.nodePools).toBeTruthy();

    const wrong = client({ connectionParams: { 'X-Api-Key': 'not-a-key-0123456789' } });
    const refused = subscribeWs(wrong, { clusterId: clusterId(0) });
    await refused.received.done();
    expect(wrong.closeEvents[0]).toMatchObject({ code: 4401 });
    expect(wrong.closeEvents[0]?.reason).toMatch(/^UNAUTHENTICATED: /);

    const none = client({});
    const anonymous = subscribeWs(none, { clusterId: clusterId(0) });
    await anonymous.received.done();
    expect(none.closeEvents[0]).toMatchObject({ code: 4401 });
  });

  it('takes upgrades on /graphql only, and checks a browser Origin against CORS_ORIGINS', async () => {
    expect(await handshake(wsUrl)).toBe('open');
    expect(await handshake(wsUrl, { origin: ALLOWED_ORIGIN })).toBe('open');
    // The gateway's own origin (GraphiQL's page) is always allowed.
    expect(await handshake(wsUrl, { origin: url })).toBe('open');
    expect(await handshake(wsUrl, { origin: 'https://evil.example' })).toBe('403');
    expect(await handshake(`${url.replace('http:', 'ws:')}/elsewhere`)).toBe('404');
  });

  it('runs queries too, through the same envelop (limits, masking)', async () => {
    const ws = client();
    const answer = subscribeWs(ws, {}, `{ nodePools(clusterId: "${clusterId(0)}") { id } }`);
    const [result] = await answer.received.atLeast(1);
    expect((result?.data as unknown as { nodePools?: unknown[] } | undefined)?.nodePools).toHaveLength(5);
    const nested = (depth: number): string =>
      depth === 0 ? 'id' : `nodePools { cluster { ${nested(depth - 1)} } }`;
    const tooDeep = subscribeWs(ws, {}, `{ cluster(id: "${clusterId(0)}") { ${nested(10)} } }`);
    const [refused] = await tooDeep.received.atLeast(1);
    expect(refused?.errors?.[0]?.extensions?.code).toBe('QUERY_LIMIT_EXCEEDED');
  });
});

describe('graceful shutdown', () => {
  it('completes every stream on both transports, closes the sockets, and refuses new subscriptions', async () => {
    const own = await startTestGateway({ env: { WATCH_INTERVAL_MS: String(INTERVAL_MS) } });
    try {
      const ownUrl = await own.listen();
      const viaSse = await subscribeSse(fetch, `${ownUrl}/graphql`, { clusterId: clusterId(0) });
      // Not lazy: the socket stays up between operations, so the server is the one to close it.
      const ws = wsClient(`${ownUrl.replace('http:', 'ws:')}/graphql`, { lazy: false });
      const viaWs = subscribeWs(ws, { clusterId: clusterId(1) });
      await Promise.all([viaSse.received.atLeast(1), viaWs.received.atLeast(1)]);

      await own.gateway.stopWatching();
      await Promise.all([viaSse.received.done(), viaWs.received.done()]);
      // Completed, not failed: no error payload after the first event.
      expect(viaSse.received.payloads).toHaveLength(1);
      expect(viaWs.received.payloads).toHaveLength(1);
      await expect.poll(() => ws.closeEvents[0]?.code).toBe(1001);
      expect(own.gateway.watcher.stats()).toMatchObject({ subscriptions: 0, clusters: 0 });

      const late = await subscribeSse(fetch, `${ownUrl}/graphql`, { clusterId: clusterId(0) });
      const [refused] = await late.received.atLeast(1);
      expect(refused?.errors?.[0]?.extensions?.code).toBe('SHUTTING_DOWN');
      await ws.dispose();
    } finally {
      await own.close();
    }
  });
});
