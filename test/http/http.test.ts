import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway;
let url: string;
beforeAll(async () => {
  gateway = await startTestGateway();
  url = await gateway.listen();
});
afterAll(() => gateway.close());

describe('GraphQL over HTTP (graphql-http server audits)', () => {
  const audits = serverAudits({ url: () => `${url}/graphql`, fetchFn: fetch });
  for (const audit of audits.filter((audit) => audit.name.startsWith('MUST'))) {
    it(audit.name, async () => {
      const result = await audit.fn();
      expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
    });
  }
});

describe('operational endpoints', () => {
  it('/health answers 200 while the process serves', async () => {
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
  });

  it('/ready answers 200 when ACK answers with the configured credentials', async () => {
    const response = await fetch(`${url}/ready`);
    expect(response.status).toBe(200);
    expect(gateway.simulator.stats().byAction.DescribeClustersV1).toBeGreaterThanOrEqual(1);
  });

  it('/ready answers 503 when the credentials are wrong or ACK is unreachable', async () => {
    for (const client of [
      { credentials: { accessKeyId: 'LTAIwrong', accessKeySecret: 'wrong' } },
      { endpoint: '127.0.0.1:1' },
    ]) {
      const broken = await startTestGateway({ client });
      try {
        const response = await broken.app.fetch('http://gateway.test/ready');
        expect(response.status).toBe(503);
        expect(await response.text()).not.toMatch(/wrong|secret/i);
      } finally {
        await broken.close();
      }
    }
  });
});

describe('GraphiQL', () => {
  it('is served to a browser GET of /graphql with every asset inline, nothing from a CDN', async () => {
    const response = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('ClusterNodePools');
    // No script, stylesheet or font is loaded from another origin.
    const external = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)=["'](https?:)?\/\/[^"']+/g)].map(
      (m) => m[0],
    );
    expect(external).toEqual([]);
  });

  it('is not served when disabled, and the API still answers', async () => {
    const quiet = await startTestGateway({ simulator: { clusterCount: 1 }, app: { graphiql: false } });
    try {
      const page = await quiet.app.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('<html');
      const [cluster] = quiet.simulator.clusters;
      const answer = await quiet.query(`query($id: ID!) { cluster(id: $id) { id nodePools { id } } }`, {
        id: cluster?.id,
      });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.cluster?.id).toBe(cluster?.id);
      expect(answer.data?.cluster?.nodePools).toHaveLength(cluster?.nodePools.length ?? -1);
    } finally {
      await quiet.close();
    }
  });
});
