import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCallBudget } from '../../src/request/call-budget.js';
import { estimateUpstreamCalls } from '../../src/schema/upstream-cost.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ simulator: { clusterCount: 4 } });
});
afterAll(() => gateway.close());
beforeEach(() => {
  gateway.simulator.resetStats();
  gateway.cache.clear();
});

const hex = (n: number) => `c${n.toString(16).padStart(32, '0')}`;

describe('per-request upstream budget', () => {
  it('refuses 50 aliases x 100 distinct ids with QUERY_LIMIT_EXCEEDED (upstreamCalls) at zero calls', async () => {
    // Ids as variables: a ~60 KB body under every other limit (tokens, cost, aliases, bytes).
    const variables = Object.fromEntries(
      Array.from({ length: 50 }, (_, a) => [`v${a}`, Array.from({ length: 100 }, (_, i) => `c${a}x${i}`)]),
    );
    const definitions = Object.keys(variables).map((name) => `$${name}: [ID!]!`);
    const aliases = Object.keys(variables).map((name) => `${name}: clusters(ids: $${name}) { id }`);
    const result = await gateway.query(
      `query(${definitions.join(', ')}) { ${aliases.join('\n')} }`,
      variables,
    );
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'upstreamCalls',
      max: 200,
      wanted: 5_000,
    });
    expect(gateway.upstreamCalls()).toBe(0);
  });

  it('counts ids given as variables and representations per item, and the same cluster once', async () => {
    const many = Array.from({ length: 201 }, (_, i) => hex(i));
    const byVariable = await gateway.query(`query($ids: [ID!]!) { a: clusters(ids: $ids) { id } }`, {
      ids: many.slice(0, 100),
    });
    expect(byVariable.errors).toBeUndefined();
    const twice = await gateway.query(
      `query($ids: [ID!]!, $more: [ID!]!) { a: clusters(ids: $ids) { id } b: clusters(ids: $more) { id name } }`,
      { ids: many.slice(0, 100), more: many.slice(100, 200) },
    );
    // 200 node-pool calls plus 100 detail calls (name) for the second list.
    expect(twice.errors?.[0]?.extensions).toMatchObject({ limit: 'upstreamCalls', wanted: 300 });
    const entities = await gateway.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
      {
        r: many.map((id) => ({ __typename: 'Cluster', id })),
      },
    );
    expect(entities.errors?.[0]?.extensions).toMatchObject({ limit: 'upstreamCalls', wanted: 201 });
    expect(gateway.upstreamCalls()).toBe(100);
  });

  it('lets an ordinary dashboard through, and its cost is what the estimate says', async () => {
    const ids = gateway.simulator.clusters.map((cluster) => cluster.id);
    const document = `query($ids: [ID!]!) { clusters(ids: $ids) { id name nodePools { id cluster { id state } } } }`;
    expect(estimateUpstreamCalls(parse(document), undefined, { ids })).toBe(2 * ids.length);
    const result = await gateway.query(document, { ids });
    expect(result.errors).toBeUndefined();
    expect(gateway.upstreamCalls()).toBe(2 * ids.length);
  });

  it('estimates clusterList pages by their size, list-entry fields free', () => {
    const estimate = (document: string) => estimateUpstreamCalls(parse(document), undefined, {});
    expect(estimate('{ clusterList(first: 50) { nodes { id name state } } }')).toBe(1);
    expect(estimate('{ clusterList(first: 50) { nodes { id nodePools { id } } } }')).toBe(51);
    expect(estimate('{ clusterList { edges { node { id nodePools { id } } } } }')).toBe(21);
    expect(
      estimate(
        'fragment F on Cluster { nodePools { id } } { clusterList(first: 100) { nodes { ...F } } cluster(id: "c1") { ...F } }',
      ),
    ).toBe(102);
  });

  it('counts the calls a request really makes and refuses past the budget', () => {
    const budget = createCallBudget(2);
    budget.spend();
    budget.spend();
    expect(() => budget.spend()).toThrow(/budget of 2 upstream calls/);
    expect(budget.spent()).toBe(2);
  });
});
