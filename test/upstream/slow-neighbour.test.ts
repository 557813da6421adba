import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    simulator: { clusterCount: 2, slowMs: 3_000 },
    app: { requestDeadlineMs: 2_000 },
  });
});
afterAll(() => gateway.close());

describe('a slow cluster beside a healthy one in one request', () => {
  it('answers the healthy one at once, and only the slow one times out', async () => {
    const [slow, healthy] = gateway.simulator.clusters.map((cluster) => cluster.id);
    gateway.simulator.setFault(slow ?? '', 'slow');
    const started = Date.now();
    const healthyAnswer = gateway.query(
      `query($s: ID!, $h: ID!) { a0: nodePools(clusterId: $s) { id } a1: cluster(id: $h) { name nodePools { id } } }`,
      { s: slow, h: healthy },
    );
    const result = await healthyAnswer;
    expect(result.data?.a1?.name).toBeTruthy();
    expect(result.data?.a1?.nodePools.length).toBeGreaterThan(0);
    expect(result.data?.a0).toBeNull();
    expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([
      ['a0', 'UPSTREAM_TIMEOUT'],
    ]);
    // The whole answer waits for the slow field's deadline, but the healthy field was not held by it:
    // asked alone right after, it answers from the cache at once.
    expect(Date.now() - started).toBeLessThan(3_000);
    const alone = Date.now();
    const again = await gateway.query(`query($h: ID!) { cluster(id: $h) { name } }`, { h: healthy });
    expect(again.errors).toBeUndefined();
    expect(Date.now() - alone).toBeLessThan(500);
  });
});
