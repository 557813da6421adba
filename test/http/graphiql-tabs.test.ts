import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTERS_TAB, graphiqlOptions, POOL_BY_NAME_TAB } from '../../src/graphiql.js';
import { schema } from '../../src/schema/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    simulator: { clusterCount: 2 },
    app: { graphiqlExample: { authHeader: { name: 'Authorization', placeholder: 'Bearer <your API key>' } } },
  });
});
afterAll(() => gateway.close());

describe("GraphiQL's default tabs", () => {
  it('are valid operations of the schema', () => {
    for (const tab of [CLUSTERS_TAB, POOL_BY_NAME_TAB]) expect(validate(schema, parse(tab))).toEqual([]);
  });

  it('answer against any account: the first list page with pools, then one pool by name', async () => {
    const clusters = await gateway.query(CLUSTERS_TAB);
    expect(clusters.errors).toBeUndefined();
    expect(clusters.data?.clusterList.nodes).toHaveLength(2);
    expect(clusters.data?.clusterList.nodes[0].nodePools.length).toBeGreaterThan(0);
    const [cluster] = gateway.simulator.clusters;
    const name = cluster?.nodePools[0]?.nodepool_info.name;
    const pool = await gateway.query(POOL_BY_NAME_TAB, { clusterId: cluster?.id, name });
    expect(pool.errors).toBeUndefined();
    expect(pool.data?.nodePools).toMatchObject([{ name }]);
  });

  it('prefill the auth header when an auth mode is on, and only then', async () => {
    expect(graphiqlOptions({}).headers).toBeUndefined();
    const page = await gateway.app.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain('Bearer <your API key>');
    expect(html).toContain('PoolByName');
  });
});
