import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createPolicy } from '../../src/auth/policy.js';
import { SENSITIVE_SCOPE } from '../../src/auth/principal.js';
import type { FrontDoorEvent } from '../../src/http-handler.js';
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
  it('answers a repeated query from bytes, with zero upstream calls', async () => {
    gateway = await startTestGateway({ simulator: { clusterCount: 3 } });
    const url = await gateway.listen();
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    const first = await post(url, DASHBOARD, { ids });
    expect(first.cache).toBe('miss');
    expect(gateway.upstreamCalls()).toBe(3);
    const second = await post(url, DASHBOARD, { ids });
    expect(second).toEqual({ ...first, cache: 'hit' });
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
    const hit = await fetch(`${url}/graphql`, { method: 'POST', headers: headers('poll-42'), body });
    expect(miss.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(hit.headers.get('x-request-id')).toBe('poll-42');
    expect(events.map((event) => [event.result, event.status])).toEqual([
      ['miss', 200],
      ['hit', 200],
    ]);
    expect(events[1]?.requestId).toBe('poll-42');
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
    for (let round = 0; round < 2; round++) {
      expect((await post(url, DASHBOARD, { ids: [a, b] })).cache).toBe('miss');
      expect((await post(url, '{ __schema { queryType { name } } }')).cache).toBe('miss');
    }
    expect(gateway.simulator.stats().byCluster[b ?? '']).toBe(2);
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
