import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createPolicy } from '../../src/auth/policy.js';
import { SENSITIVE_SCOPE } from '../../src/auth/principal.js';
import { generateClusters } from '../../src/simulator/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const KEYS = {
  admin: 'admin-key-0123456789abcdef',
  team: 'team-key-0123456789abcdef',
  none: 'nobody-key-0123456789',
};
const ACCOUNT = '1234567890';
const REGION = 'cn-hangzhou';

let authed: TestGateway;
beforeAll(async () => {
  // The simulator's data is deterministic: these are the ids the gateway below will serve.
  const ids = generateClusters({ clusterCount: 6 }).map((cluster) => cluster.id);
  const [a, b] = ids;
  const authenticate = createAuthenticator({
    mode: 'api-key',
    keys: [
      { name: 'admin', sha256: hashApiKey(KEYS.admin), scopes: [SENSITIVE_SCOPE] },
      { name: 'team', sha256: hashApiKey(KEYS.team), groups: ['payments'] },
      { name: 'none', sha256: hashApiKey(KEYS.none) },
    ],
  });
  const policy = createPolicy(
    [
      { principals: ['key:admin'], resources: ['acs:cs:*:*:cluster/*'] },
      // A wildcard on the id, and one literal cluster.
      {
        principals: ['group:payments'],
        resources: [`acs:cs:${REGION}:${ACCOUNT}:cluster/${a?.slice(0, 6)}*`],
      },
      { principals: ['group:payments'], resources: [`acs:cs:*:${ACCOUNT}:cluster/${b}`] },
      // Deny wins over Allow.
      { effect: 'Deny', principals: ['key:admin'], resources: [`acs:cs:*:*:cluster/${ids[5]}`] },
    ],
    { accountId: ACCOUNT, regionId: REGION },
  );
  authed = await startTestGateway({ simulator: { clusterCount: 6 }, app: { authenticate, policy } });
});
afterAll(() => authed.close());
beforeEach(() => {
  authed.simulator.resetStats();
  authed.cache.clear();
});

async function as(key: string | undefined, query: string, variables?: Record<string, unknown>) {
  const response = await authed.app.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, any>,
  };
}

describe('authentication', () => {
  it('refuses a missing or wrong key with UNAUTHENTICATED (HTTP 401) for the whole request', async () => {
    for (const key of [undefined, 'wrong-key']) {
      const { status, headers, body } = await as(key, '{ __typename }');
      expect(status).toBe(401);
      expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(body)).not.toContain('wrong-key');
    }
    expect(authed.simulator.stats().total).toBe(0);
  });

  it('accepts the x-api-key header too', async () => {
    const response = await authed.app.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEYS.none },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
  });
});

describe('per-cluster authorization', () => {
  it('answers a denied cluster FORBIDDEN with zero upstream calls, the same whether it exists or not', async () => {
    const [, , c] = authed.simulator.clusters.map((cluster) => cluster.id);
    const missing = 'c00000000000000000000000000000000';
    const { body } = await as(
      KEYS.team,
      `query($c: ID!, $missing: ID!) {
        c: cluster(id: $c) { id }
        m: cluster(id: $missing) { id }
        p: nodePools(clusterId: $c) { id }
        n: nodePool(clusterId: $c, id: "np1") { id }
      }`,
      { c, missing },
    );
    expect(body.data).toEqual({ c: null, m: null, p: null, n: null });
    const errors = body.errors as { path: string[]; message: string; extensions: { code: string } }[];
    expect(errors.map((error) => error.extensions.code)).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
    expect(new Set(errors.map((error) => error.message)).size).toBe(1);
    expect(authed.simulator.stats().total).toBe(0);
  });

  it('allows by wildcard and by literal id, through groups', async () => {
    const [a, b, c] = authed.simulator.clusters.map((cluster) => cluster.id);
    const { body } = await as(KEYS.team, `query($ids: [ID!]!) { clusters(ids: $ids) { id } }`, {
      ids: [a, b, c],
    });
    expect(body.data?.clusters).toEqual([{ id: a }, { id: b }, null]);
    expect(body.errors).toMatchObject([{ path: ['clusters', 2], extensions: { code: 'FORBIDDEN' } }]);
    expect(authed.simulator.stats().byAction).toEqual({ DescribeClusterNodePools: 2 });
  });

  it('lets Deny win over Allow', async () => {
    const denied = authed.simulator.clusters[5]?.id;
    const { body } = await as(KEYS.admin, `query($id: ID!) { cluster(id: $id) { id } }`, { id: denied });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lists only permitted clusters, and totalCount counts only those', async () => {
    const [a, b] = authed.simulator.clusters.map((cluster) => cluster.id);
    const team = await as(KEYS.team, '{ clusterList(first: 10) { totalCount nodes { id name } } }');
    expect(team.body.errors).toBeUndefined();
    expect(team.body.data?.clusterList.totalCount).toBe(2);
    expect(team.body.data?.clusterList.nodes.map((node: { id: string }) => node.id)).toEqual([a, b]);
    const nobody = await as(KEYS.none, '{ clusterList { totalCount nodes { id } } }');
    expect(nobody.body.data?.clusterList).toEqual({ totalCount: 0, nodes: [] });
    const admin = await as(KEYS.admin, '{ clusterList(first: 3) { totalCount pageInfo { endCursor } } }');
    expect(admin.body.data?.clusterList.totalCount).toBe(5);
    // A cursor of one caller's list does not continue another's.
    const foreign = await as(
      KEYS.team,
      `query($after: String) { clusterList(after: $after) { totalCount } }`,
      {
        after: admin.body.data?.clusterList.pageInfo.endCursor,
      },
    );
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('applies the policy to federation _entities: a denied entity is null with FORBIDDEN', async () => {
    const [a, , c] = authed.simulator.clusters.map((cluster) => cluster.id);
    const { body } = await as(
      KEYS.team,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Cluster { id } ... on NodePool { id } } }`,
      {
        r: [
          { __typename: 'Cluster', id: a },
          { __typename: 'Cluster', id: c },
          { __typename: 'NodePool', clusterId: c, id: 'np1' },
        ],
      },
    );
    expect(body.data?._entities).toEqual([{ id: a }, null, null]);
    expect(body.errors?.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual([
      'FORBIDDEN',
      'FORBIDDEN',
    ]);
  });

  it('never serves cached data across principals who may not see it', async () => {
    const [a, , c] = authed.simulator.clusters.map((cluster) => cluster.id);
    // The admin warms the process-wide cache for c; the team still may not read it.
    const warm = await as(KEYS.admin, `query($c: ID!) { nodePools(clusterId: $c) { id } }`, { c });
    expect(warm.body.data?.nodePools).toHaveLength(5);
    const team = await as(
      KEYS.team,
      `query($c: ID!, $a: ID!) { c: nodePools(clusterId: $c) { id } a: nodePools(clusterId: $a) { id } }`,
      { c, a },
    );
    expect(team.body.data?.c).toBeNull();
    expect(team.body.data?.a).toHaveLength(5);
  });

  it('gives the user data scripts only to callers holding the sensitive scope', async () => {
    const [a] = authed.simulator.clusters.map((cluster) => cluster.id);
    const query = `query($a: ID!) { nodePools(clusterId: $a) { kubernetesConfig { userData } } }`;
    const admin = await as(KEYS.admin, query, { a });
    expect(admin.body.errors).toBeUndefined();
    const team = await as(KEYS.team, query, { a });
    expect(team.body.data?.nodePools[0].kubernetesConfig.userData).toBeNull();
    expect(team.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
