import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createPolicy } from '../../src/auth/policy.js';
import { SENSITIVE_SCOPE } from '../../src/auth/principal.js';
import type { FrontDoorEvent } from '../../src/request/exchange.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const DASHBOARD = `query Dashboard($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { id name status { state totalNodes } } } }`;

async function post(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    cache: response.headers.get('x-response-cache'),
    status: response.status,
    text: await response.text(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('response cache', () => {
  it('keeps an answer on its second request and answers the third from bytes, with zero upstream calls', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 3 } });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    const first = await post(url, DASHBOARD, { ids });
    expect(first.cache).toBe('miss');
    expect(gateway.upstreamCalls()).toBe(3);
    // Asked once so far: not kept (distinct traffic never churns the cache).
    expect(await post(url, DASHBOARD, { ids })).toEqual(first);
    const third = await post(url, DASHBOARD, { ids });
    expect(third).toEqual({ ...first, cache: 'hit' });
    expect(gateway.upstreamCalls()).toBe(3);
    // Another question is another entry.
    expect((await post(url, DASHBOARD, { ids: ids.slice(0, 1) })).cache).toBe('miss');
  });

  it('tells who observes the front door of every answer, and echoes request ids on replays', async () => {
    const events: FrontDoorEvent[] = [];
    gateway = await startTestGateway({ http: { onAnswer: (event) => events.push(event) } });
    const url = await gateway.listen();
    const query = `{ clusters(ids: ["${gateway.simulator.clusters[0]?.id}"]) { id } }`;
    const headers = (requestId?: string) => ({
      'content-type': 'application/json',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    });
    const body = JSON.stringify({ query, operationName: null });
    const miss = await fetch(`${url}/graphql`, { method: 'POST', headers: headers(), body });
    await fetch(`${url}/graphql`, { method: 'POST', headers: headers(), body });
    const hit = await fetch(`${url}/graphql`, { method: 'POST', headers: headers('poll-42'), body });
    expect(miss.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(hit.headers.get('x-request-id')).toBe('poll-42');
    expect(events.map((event) => [event.result, event.status])).toEqual([
      ['miss', 200],
      ['miss', 200],
      ['hit', 200],
    ]);
    expect(events[2]?.requestId).toBe('poll-42');
  });

  it('shares one execution among identical concurrent cold requests', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 4, latencyMs: 100 } });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(url, DASHBOARD, { ids })));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.filter((answer) => answer.cache === 'miss')).toHaveLength(1);
    // The others joined that execution, or came after it and were served its bytes.
    const joined = answers.filter((answer) => answer.cache === 'shared').length;
    expect(joined).toBeGreaterThan(0);
    expect(joined + answers.filter((answer) => answer.cache === 'hit').length).toBe(39);
    expect(gateway.upstreamCalls()).toBe(4);
  });

  it('keeps out errors, warnings and introspection', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 2 } });
    const url = await gateway.listen();
    const [a, b] = gateway.simulator.clusters.map((cluster) => cluster.id);
    gateway.simulator.setFault(b ?? '', 'server-error');
    const escaped = JSON.stringify({ query: '{ __schema { queryType { name } } }' }).replace(
      '__schema',
      '\\u005f_schema',
    );
    expect(escaped).toContain('\\u005f_schema');
    for (let round = 0; round < 3; round++) {
      expect((await post(url, DASHBOARD, { ids: [a, b] })).cache).toBe('miss');
      expect((await post(url, '{ __schema { queryType { name } } }')).cache).toBe('miss');
      // Judged on the parsed document: an escaped name is introspection all the same.
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: escaped,
      });
      expect(((await response.json()) as { data: unknown }).data).toEqual({
        __schema: { queryType: { name: 'Query' } },
      });
      expect(response.headers.get('x-response-cache')).toBe('miss');
    }
    expect(gateway.simulator.stats().byCluster[b ?? '']).toBe(3);
  });

  it('keeps out answers with stale-data warnings', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 1 }, cacheTtlMs: 200 });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    await post(url, DASHBOARD, { ids });
    await sleep(300);
    gateway.simulator.setFault(ids[0] ?? '', 'server-error');
    for (let round = 0; round < 3; round++) {
      const answer = await post(url, DASHBOARD, { ids });
      expect(JSON.parse(answer.text).extensions.warnings[0].code).toBe('STALE_DATA');
      expect(answer.cache).toBe('miss');
    }
  });

  it('keys on Accept and Origin: another encoding or another origin is another answer', async () => {
    gateway = await startTestGateway({
      simulator: { clusterCount: 1 },
      app: { corsOrigins: ['https://a.example', 'https://b.example'] },
    });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    const ask = (headers: Record<string, string>) => post(url, DASHBOARD, { ids }, headers);
    const json = { accept: 'application/json' };
    const strict = { accept: 'application/graphql-response+json' };
    await ask(json);
    await ask(json);
    expect((await ask(json)).cache).toBe('hit');
    expect((await ask(strict)).cache).toBe('miss');
    const fromA = { ...json, origin: 'https://a.example' };
    const fromB = { ...json, origin: 'https://b.example' };
    await ask(fromA);
    await ask(fromA);
    expect((await ask(fromA)).cache).toBe('hit');
    // B's answer carries B's CORS headers, never A's.
    const first = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...fromB },
      body: JSON.stringify({ query: DASHBOARD, variables: { ids } }),
    });
    expect(first.headers.get('x-response-cache')).toBe('miss');
    expect(first.headers.get('access-control-allow-origin')).toBe('https://b.example');
  });

  it('shares no answer between callers who see the same clusters when only one may read sensitive fields', async () => {
    const keys = { ops: 'ops-key-00000000000000001', dev: 'dev-key-00000000000000001' };
    const authenticate = createAuthenticator({
      mode: 'api-key',
      keys: [
        { name: 'ops', sha256: hashApiKey(keys.ops), scopes: [SENSITIVE_SCOPE] },
        { name: 'dev', sha256: hashApiKey(keys.dev) },
      ],
    });
    const policy = createPolicy([
      { principals: ['key:ops', 'key:dev'], resources: ['acs:cs:*:*:cluster/*'] },
    ]);
    gateway = await startTestGateway({ simulator: { clusterCount: 1 }, app: { authenticate, policy } });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    const query = `query($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { id } } }`;
    const as = (key: string) => post(url, query, { ids }, { authorization: `Bearer ${key}` });
    await as(keys.ops);
    await as(keys.ops);
    expect((await as(keys.ops)).cache).toBe('hit');
    // The same clusters, the same question, the same bytes: still never the other's entry.
    expect((await as(keys.dev)).cache).toBe('miss');
  });

  it('holds no more than its byte bound: a new answer evicts the oldest', async () => {
    gateway = await startTestGateway({
      simulator: { clusterCount: 2 },
      http: { responseCacheMaxBytes: 2_000 },
    });
    const url = await gateway.listen();
    const [a, b] = gateway.simulator.clusters.map((cluster) => cluster.id);
    const query = `query($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { id name scalingGroup { instanceTypes } } } }`;
    const ask = (id?: string) => post(url, query, { ids: [id] });
    const answer = await ask(a);
    expect(answer.text.length).toBeGreaterThan(700);
    await ask(a);
    expect((await ask(a)).cache).toBe('hit');
    await ask(b);
    await ask(b);
    expect((await ask(b)).cache).toBe('hit');
    // Two answers and their overhead do not fit in 2,000 bytes: a was evicted.
    expect((await ask(a)).cache).toBe('miss');
  });

  it('is off with responseCache: false (RESPONSE_CACHE=false): every request executes', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 1 }, http: { responseCache: false } });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    for (let round = 0; round < 3; round++) {
      const answer = await post(url, DASHBOARD, { ids });
      expect(answer.cache).toBeNull();
      expect(JSON.parse(answer.text).data.clusters[0].id).toBe(ids[0]);
    }
  });

  it('never keeps answers to distinct bodies asked once: a flood of them leaves nothing behind', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 1 } });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    for (let round = 0; round < 30; round++) {
      const padded = `${DASHBOARD}\n# ${String(round).padStart(5, '0')}${'x'.repeat(50_000)}`;
      expect((await post(url, padded, { ids })).cache).toBe('miss');
    }
    // Each body was asked once: asking the first again is still a miss, its second request.
    const first = `${DASHBOARD}\n# ${'0'.padStart(5, '0')}${'x'.repeat(50_000)}`;
    expect((await post(url, first, { ids })).cache).toBe('miss');
    expect((await post(url, first, { ids })).cache).toBe('hit');
  });

  it("never serves one caller's answer to a caller with other permissions", async () => {
    const keys = { admin: 'admin-key-000000000000001', team: 'team-key-0000000000000001' };
    const clusters = (await startTestGateway({ simulator: { clusterCount: 2 } }).then(async (probe) => {
      const ids = probe.simulator.clusters.map((cluster) => cluster.id);
      await probe.close();
      return ids;
    })) as string[];
    const authenticate = createAuthenticator({
      mode: 'api-key',
      keys: [
        { name: 'admin', sha256: hashApiKey(keys.admin), scopes: [SENSITIVE_SCOPE] },
        { name: 'team', sha256: hashApiKey(keys.team) },
      ],
    });
    const policy = createPolicy([
      { principals: ['key:admin'], resources: ['acs:cs:*:*:cluster/*'] },
      { principals: ['key:team'], resources: [`acs:cs:*:*:cluster/${clusters[0]}`] },
    ]);
    gateway = await startTestGateway({ simulator: { clusterCount: 2 }, app: { authenticate, policy } });
    const url = await gateway.listen();
    const query = `query($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { kubernetesConfig { userData } } } }`;
    const admin = await post(url, query, { ids: clusters }, { authorization: `Bearer ${keys.admin}` });
    expect(JSON.parse(admin.text).errors).toBeUndefined();
    await post(url, query, { ids: clusters }, { authorization: `Bearer ${keys.admin}` });
    expect((await post(url, query, { ids: clusters }, { authorization: `Bearer ${keys.admin}` })).cache).toBe(
      'hit',
    );
    const team = await post(url, query, { ids: clusters }, { authorization: `Bearer ${keys.team}` });
    expect(team.cache).toBe('miss');
    const teamResult = JSON.parse(team.text);
    expect(teamResult.data.clusters[1]).toBeNull();
    expect(
      teamResult.errors.map((error: { extensions: { code: string } }) => error.extensions.code),
    ).toContain('FORBIDDEN');
    const anonymous = await post(url, query, { ids: clusters });
    expect(anonymous.status).toBe(401);
  });

  it('never serves data past its TTL, and refreshes a hot answer in the background before it expires', async () => {
    const ttlMs = 600;
    gateway = await startTestGateway({ simulator: { clusterCount: 1 }, cacheTtlMs: ttlMs });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    expect((await post(url, DASHBOARD, { ids })).cache).toBe('miss');
    expect((await post(url, DASHBOARD, { ids })).cache).toBe('miss');
    expect(gateway.upstreamCalls()).toBe(1);
    await sleep(ttlMs * 0.85);
    // Near expiry: served from memory, and refreshed in the background with a new ACK call.
    expect((await post(url, DASHBOARD, { ids })).cache).toBe('hit');
    await sleep(100);
    expect(gateway.upstreamCalls()).toBe(2);
    await sleep(ttlMs * 0.5);
    // Past the first answer's TTL: the refreshed one is served, no wait, no stale data.
    expect((await post(url, DASHBOARD, { ids })).cache).toBe('hit');
    await sleep(ttlMs * 1.2);
    // Nobody asked in between: the answer expired with its data and is executed anew.
    expect((await post(url, DASHBOARD, { ids })).cache).toBe('miss');
    expect(gateway.upstreamCalls()).toBe(3);
  });
});
