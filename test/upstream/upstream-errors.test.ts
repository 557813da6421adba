import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, TEST_KEY, type TestGateway } from '../helpers/gateway.js';

/** Cluster ids the simulator does not know: each answers with its configured fault. */
const FAULTY = {
  forbidden: 'cforbidden00000000000000000000001',
  throttled: 'cthrottled00000000000000000000001',
  'server-error': 'cservererror000000000000000000001',
  unavailable: 'cunavailable000000000000000000001',
  'non-json': 'cnonjson0000000000000000000000001',
  slow: 'cslow000000000000000000000000001',
} as const;

const EXPECTED_CODES: Record<keyof typeof FAULTY, { code: string; upstream?: string }> = {
  forbidden: { code: 'FORBIDDEN', upstream: 'StatusForbidden' },
  throttled: { code: 'UPSTREAM_THROTTLED', upstream: 'Throttling.User' },
  'server-error': { code: 'UPSTREAM_UNAVAILABLE', upstream: 'InternalError' },
  unavailable: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'ServiceUnavailable' },
  'non-json': { code: 'UPSTREAM_BAD_RESPONSE' },
  slow: { code: 'UPSTREAM_TIMEOUT' },
};

let gateway: TestGateway;
let healthy: string;
beforeAll(async () => {
  gateway = await startTestGateway({
    simulator: { clusterCount: 2, faults: { ...invert(FAULTY) }, slowMs: 3_000 },
    client: { readTimeoutMs: 500, connectTimeoutMs: 500 },
  });
  healthy = gateway.simulator.clusters[0]?.id ?? '';
});
afterAll(() => gateway.close());
beforeEach(() => gateway.cache.clear());

function invert(faults: typeof FAULTY) {
  return Object.fromEntries(Object.entries(faults).map(([fault, id]) => [id, fault])) as Record<
    string,
    keyof typeof FAULTY
  >;
}

describe('upstream failures', () => {
  for (const [fault, clusterId] of Object.entries(FAULTY) as [keyof typeof FAULTY, string][]) {
    it(`${fault}: a coded error on that cluster's fields only, the rest of the answer intact`, async () => {
      const result = await gateway.query(
        `query($bad: ID!, $good: ID!) {
          good: nodePools(clusterId: $good) { id }
          bad: nodePools(clusterId: $bad) { id }
          cluster(id: $bad) { id }
          clusters(ids: [$good, $bad]) { id nodePools { id } }
        }`,
        { bad: clusterId, good: healthy },
      );
      const expected = EXPECTED_CODES[fault];
      expect(result.data?.good).toHaveLength(5);
      expect(result.data?.bad).toBeNull();
      expect(result.data?.cluster).toBeNull();
      expect(result.data?.clusters).toEqual([
        {
          id: healthy,
          nodePools: expect.arrayContaining([expect.objectContaining({ id: expect.any(String) })]),
        },
        null,
      ]);
      const errors = result.errors ?? [];
      expect(errors.map((error) => error.path?.join('.')).sort()).toEqual(['bad', 'cluster', 'clusters.1']);
      for (const error of errors) {
        expect(error.extensions?.code).toBe(expected.code);
        if (expected.upstream) {
          expect(error.extensions?.upstream?.code).toBe(expected.upstream);
          expect(error.extensions?.upstream?.requestId).toEqual(expect.any(String));
        }
      }
      const text = JSON.stringify(result);
      expect(text).not.toContain(TEST_KEY.accessKeySecret);
      expect(text).not.toMatch(/ACS3-HMAC-SHA256|Signature=|authorization/i);
    });
  }

  it('does not cache failures as successes', async () => {
    const clusterId = gateway.simulator.clusters[1]?.id ?? '';
    gateway.simulator.setOptions({ faults: { ...invert(FAULTY), [clusterId]: 'throttled' } });
    gateway.simulator.resetStats();
    const first = await gateway.query(`query($id: ID!) { nodePools(clusterId: $id) { id } }`, {
      id: clusterId,
    });
    expect(first.errors?.[0]?.extensions?.code).toBe('UPSTREAM_THROTTLED');
    gateway.simulator.setOptions({ faults: invert(FAULTY) });
    const second = await gateway.query(`query($id: ID!) { nodePools(clusterId: $id) { id } }`, {
      id: clusterId,
    });
    expect(second.errors).toBeUndefined();
    expect(second.data?.nodePools).toHaveLength(5);
    expect(gateway.upstreamCalls()).toBe(2);
  });
});

describe('gateway credentials and reachability', () => {
  it('a wrong secret is rejected by the signature check and reported without revealing anything', async () => {
    const wrong = await startTestGateway({
      client: { credentials: { accessKeyId: TEST_KEY.accessKeyId, accessKeySecret: 'not-the-secret' } },
    });
    try {
      const id = wrong.simulator.clusters[0]?.id;
      const result = await wrong.query(`query($id: ID!) { cluster(id: $id) { id } }`, { id });
      expect(result.data).toEqual({ cluster: null });
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: { code: 'SignatureDoesNotMatch' },
      });
      expect(wrong.simulator.stats().total).toBe(0);
      expect(wrong.simulator.stats().rejectedSignatures).toBeGreaterThan(0);
      expect(JSON.stringify(result)).not.toMatch(/not-the-secret|Signature=/);
    } finally {
      await wrong.close();
    }
  });

  it('an unreachable endpoint is UPSTREAM_UNAVAILABLE', async () => {
    const unreachable = await startTestGateway({ client: { endpoint: '127.0.0.1:1' } });
    try {
      const result = await unreachable.query(`{ nodePools(clusterId: "c1") { id } }`);
      expect(result).toMatchObject({
        data: { nodePools: null },
        errors: [{ extensions: { code: 'UPSTREAM_UNAVAILABLE' } }],
      });
    } finally {
      await unreachable.close();
    }
  });
});
