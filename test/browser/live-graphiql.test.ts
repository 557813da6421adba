import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway;
let url: string;
let browser: Browser;
beforeAll(async () => {
  gateway = await startTestGateway({ env: { WATCH_INTERVAL_MS: '200' } });
  url = await gateway.listen();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('GraphiQL runs the nodePools subscription', () => {
  it('shows the first event, then the update a scale event causes', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const cluster = gateway.simulator.clusters[0];
    const scaled = cluster?.nodePools[0]?.nodepool_info.nodepool_id ?? '';
    const query = `subscription { nodePools(clusterId: "${cluster?.id}") { changed removed nodePools { id status { state totalNodes } } } }`;
    await page.goto(`${url}/graphql?query=${encodeURIComponent(query)}`);
    await page.locator('.graphiql-container').first().waitFor({ timeout: 20_000 });
    await page.locator('.graphiql-execute-button').first().click();

    const response = page.locator('.graphiql-response').first();
    // The first event lists every pool as changed.
    const lastPool = cluster?.nodePools.at(-1)?.nodepool_info.nodepool_id ?? '';
    await expect.poll(async () => response.innerText(), { timeout: 15_000 }).toContain(lastPool);
    expect(gateway.gateway.watcher.stats().subscriptions).toBe(1);

    await gateway.simulator.scaleNodePool(0, 0, 17, { stepMs: 0, steps: 1 });
    // The pane now shows the update: only the scaled pool changed, at its new size. (The
    // editor's text is compared without its whitespace, which CodeMirror renders its own way.)
    const compact = async () => (await response.innerText()).replace(/[\s\u200b-\u200d\ufeff]+/g, '');
    await expect.poll(compact, { timeout: 15_000 }).toContain(`"changed":["${scaled}"]`);
    expect(await compact()).toContain(`{"id":"${scaled}","status":{"state":"ACTIVE","totalNodes":17}}`);

    if (process.env.GRAPHIQL_SCREENSHOT) await page.screenshot({ path: process.env.GRAPHIQL_SCREENSHOT });
    expect(pageErrors).toEqual([]);
    await page.close();
    // Closing the page ends the stream.
    await expect.poll(() => gateway.gateway.watcher.stats().subscriptions, { timeout: 10_000 }).toBe(0);
  });
});
