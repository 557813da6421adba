import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import type { Policy } from '../../src/auth/policy.js';
import { SENSITIVE_SCOPE } from '../../src/auth/principal.js';
import { generateClusters } from '../../src/simulator/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { type LiveSubscription, sleep, subscribeSse, subscribeWs, wsClient } from './live-client.js';

/**
 * Who may watch what, checked at subscribe time and again before every event; what a caller
 * may hold; and what happens to a reader that stops reading.
 */
const INTERVAL_MS = 150;
const IDS = generateClusters({ clusterCount: 3 }).map((cluster) => cluster.id);
const KEYS = { admin: 'admin-key-0123456789abcdef', team: 'team-key-0123456789abcdef' };

/** A policy whose grants the test changes while streams are open (as a reloaded policy would). */
const allowed = new Map<string, Set<string>>([
  ['admin', new Set(IDS)],
  ['team', new Set([IDS[0] ?? ''])],
]);
const policy: Policy = {
  configured: true,
  isAllowed: (principal, clusterId) => allowed.get(principal.name)?.has(clusterId) ?? false,
  allowsAll: () => false,
  scopeKey: (principal) => `test:${principal.name}:${[...(allowed.get(principal.name) ?? [])].join(',')}`,
};

let gateway: TestGateway;
const open: LiveSubscription[] = [];
const fetcher = (input: string, init: RequestInit) => gateway.app.fetch(input, init);
async function subscribe(key: string, variables: Record<string, unknown>, query?: string) {
  const subscription = await subscribeSse(fetcher, 'http://gateway.test/graphql', variables, {
    headers: { authorization: `Bearer ${key}` },
    query,
  });
  open.push(subscription);
  return subscription;
}

beforeAll(async () => {
  const authenticate = createAuthenticator({
    mode: 'api-key',
    keys: [
      { name: 'admin', sha256: hashApiKey(KEYS.admin), scopes: [SENSITIVE_SCOPE] },
      { name: 'team', sha256: hashApiKey(KEYS.team) },
    ],
  });
  gateway = await startTestGateway({
    simulator: { clusterCount: 3 },
    env: {
      WATCH_INTERVAL_MS: String(INTERVAL_MS),
      WATCH_MAX_SUBSCRIPTIONS_PER_CALLER: '2',
      WATCH_MAX_SUBSCRIPTIONS: '3',
      WATCH_SLOW_CONSUMER_MS: '300',
    },
    app: { authenticate, policy },
  });
});
afterAll(() => gateway?.close());
afterEach(async () => {
  await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  await expect.poll(() => gateway.gateway.watcher.stats().subscriptions, { timeout: 5_000 }).toBe(0);
  allowed.set('team', new Set([IDS[0] ?? '']));
});

describe('policy', () => {
  it('refuses a denied cluster at subscribe time, before any upstream call', async () => {
    gateway.simulator.resetStats();
    const denied = await subscribe(KEYS.team, { clusterId: IDS[1] });
    const [answer] = await denied.received.atLeast(1);
    expect(answer?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(gateway.simulator.stats().total).toBe(0);
    const malformed = await subscribe(KEYS.team, { clusterId: '../etc' });
    expect((await malformed.received.atLeast(1))[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('checks again before every event: a grant withdrawn ends the stream with FORBIDDEN', async () => {
    const subscription = await subscribe(KEYS.team, { clusterId: IDS[0] });
    await subscription.received.atLeast(1);
    allowed.set('team', new Set());
    await gateway.simulator.scaleNodePool(0, 0, 5, { stepMs: 0, steps: 1 });
    await subscription.received.done();
    const last = subscription.received.payloads.at(-1);
    expect(last?.data).toBeNull();
    expect(last?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The change itself never reached the caller.
    expect(subscription.received.updates()).toHaveLength(1);
  });

  it('keeps the sensitive-scope rule on userData in every event', async () => {
    const query = /* GraphQL */ `
      subscription WatchUserData($clusterId: ID!) {
        nodePools(clusterId: $clusterId) { nodePools { id kubernetesConfig { userData } } }
      }
    `;
    const admin = await subscribe(KEYS.admin, { clusterId: IDS[0] }, query);
    const team = await subscribe(KEYS.team, { clusterId: IDS[0] }, query);
    const [adminEvent] = await admin.received.atLeast(1);
    const [teamEvent] = await team.received.atLeast(1);
    expect(adminEvent?.errors).toBeUndefined();
    expect(teamEvent?.errors?.length).toBeGreaterThan(0);
    expect(teamEvent?.errors?.every((error) => error.extensions?.code === 'FORBIDDEN')).toBe(true);
    expect(teamEvent?.errors?.[0]?.path).toEqual([
      'nodePools',
      'nodePools',
      0,
      'kubernetesConfig',
      'userData',
    ]);
  });
});

describe('limits', () => {
  it('refuses subscriptions beyond the per-caller and the per-process limits with a coded error', async () => {
    const held = [
      await subscribe(KEYS.team, { clusterId: IDS[0] }),
      await subscribe(KEYS.team, { clusterId: IDS[0] }),
    ];
    await Promise.all(held.map((subscription) => subscription.received.atLeast(1)));
    const third = await subscribe(KEYS.team, { clusterId: IDS[0] });
    const [refused] = await third.received.atLeast(1);
    expect(refused?.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'subscriptions',
      scope: 'caller',
      max: 2,
    });

    const adminOne = await subscribe(KEYS.admin, { clusterId: IDS[1] });
    await adminOne.received.atLeast(1);
    const adminTwo = await subscribe(KEYS.admin, { clusterId: IDS[1] });
    const [processFull] = await adminTwo.received.atLeast(1);
    expect(processFull?.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'subscriptions',
      scope: 'process',
      max: 3,
    });
    // A slot freed is a slot to take.
    await held[0]?.close();
    await expect.poll(() => gateway.gateway.watcher.stats().subscriptions).toBe(2);
    const again = await subscribe(KEYS.team, { clusterId: IDS[0] });
    expect((await again.received.atLeast(1))[0]?.data?.nodePools).toBeTruthy();
  });

  it('drops a reader that stops reading, without keeping its events', async () => {
    // An SSE answer whose body nobody reads: yoga pulls no event, the watcher keeps one.
    const response = await gateway.app.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${KEYS.admin}`,
      },
      body: JSON.stringify({
        query: 'subscription ($c: ID!) { nodePools(clusterId: $c) { changed } }',
        variables: { c: IDS[2] },
      }),
    });
    expect(gateway.gateway.watcher.stats().subscriptions).toBe(1);
    // Changes keep coming; the reader is past WATCH_SLOW_CONSUMER_MS when one does.
    for (const to of [3, 4, 5]) {
      await gateway.simulator.scaleNodePool(2, 0, to, { stepMs: 0, steps: 1 });
      await sleep(INTERVAL_MS * 2);
    }
    await expect.poll(() => gateway.gateway.watcher.stats().subscriptions, { timeout: 3_000 }).toBe(0);
    // When it reads at last: not the events it missed (they were let go), only why it was dropped.
    const text = await response.text();
    expect(text.match(/event: next/g)).toHaveLength(1);
    expect(text).toContain('"SLOW_CONSUMER"');
    expect(text).toContain('event: complete');
  });
});

describe('an expiring JWT', () => {
  let jwtGateway: TestGateway;
  let sign: (expiresInSeconds: number) => Promise<string>;
  beforeAll(async () => {
    const keys = await generateKeyPair('ES256', { extractable: true });
    sign = (expiresInSeconds) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('alice')
        .setIssuer('https://issuer.test')
        .setAudience('ack-gateway')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
        .sign(keys.privateKey);
    const authenticate = createAuthenticator({
      mode: 'jwt',
      jwt: {
        publicKey: await exportSPKI(keys.publicKey),
        issuer: ['https://issuer.test'],
        audience: ['ack-gateway'],
        algorithms: ['ES256'],
        clockToleranceSeconds: 0,
      },
    });
    jwtGateway = await startTestGateway({
      simulator: { clusterCount: 1 },
      env: { WATCH_INTERVAL_MS: String(INTERVAL_MS) },
      app: { authenticate },
    });
  });
  afterAll(() => jwtGateway?.close());

  it('ends the SSE stream with UNAUTHENTICATED when the token expires, even on a quiet cluster', async () => {
    const token = await sign(2);
    const subscription = await subscribeSse(
      (input, init) => jwtGateway.app.fetch(input, init),
      'http://gateway.test/graphql',
      { clusterId: IDS[0] },
      { headers: { authorization: `Bearer ${token}` } },
    );
    open.push(subscription);
    await subscription.received.atLeast(1);
    await subscription.received.done(5_000);
    const last = subscription.received.payloads.at(-1);
    expect(last?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(jwtGateway.gateway.watcher.stats().subscriptions).toBe(0);
  });

  it('over a WebSocket authenticated at connect time: the stream ends at expiry, later subscriptions are refused', async () => {
    const url = await jwtGateway.listen();
    const token = await sign(2);
    const client = wsClient(`${url.replace('http:', 'ws:')}/graphql`, {
      connectionParams: { Authorization: `Bearer ${token}` },
      lazy: false,
    });
    try {
      const subscription = subscribeWs(client, { clusterId: IDS[0] });
      await subscription.received.atLeast(1);
      await subscription.received.done(5_000);
      expect(subscription.received.payloads.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const late = subscribeWs(client, { clusterId: IDS[0] });
      const [refused] = await late.received.atLeast(1);
      expect(refused?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await client.dispose();
    }
  });
});
