import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway;
let url: string;
let browser: Browser;
beforeAll(async () => {
  gateway = await startTestGateway();
  url = await gateway.listen();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('GraphiQL in a browser on a closed network', () => {
  it('renders from the gateway alone, runs a query and shows the docs', async () => {
    const page = await browser.newPage();
    const blocked: string[] = [];
    const origin = new URL(url).origin;
    // Every off-origin request fails, as on a closed or CSP-restricted network.
    await page.route('**/*', (route) => {
      const requestUrl = route.request().url();
      if (requestUrl.startsWith(origin) || requestUrl.startsWith('blob:') || requestUrl.startsWith('data:')) {
        return route.continue();
      }
      blocked.push(requestUrl);
      return route.abort();
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const clusterId = gateway.simulator.clusters[0]?.id ?? '';
    const query = `{ cluster(id: "${clusterId}") { id nodePools { id name } } }`;
    await page.goto(`${url}/graphql?query=${encodeURIComponent(query)}`);
    await page.locator('.graphiql-container').first().waitFor({ timeout: 20_000 });

    await page.locator('.graphiql-execute-button').first().click();
    const firstPoolId = gateway.simulator.clusters[0]?.nodePools[0]?.nodepool_info.nodepool_id ?? '';
    await expect
      .poll(async () => page.locator('.graphiql-response').first().innerText(), { timeout: 15_000 })
      .toContain(firstPoolId);

    await page
      .getByRole('button', { name: /documentation explorer/i })
      .first()
      .click();
    const docs = page.locator('.graphiql-doc-explorer').first();
    await docs.waitFor({ timeout: 10_000 });
    await expect.poll(async () => docs.innerText(), { timeout: 10_000 }).toMatch(/Query/);
    await docs.getByText('Query', { exact: true }).first().click();
    await expect.poll(async () => docs.innerText(), { timeout: 10_000 }).toContain('nodePools');

    if (process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });
    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
