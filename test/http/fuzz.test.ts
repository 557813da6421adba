import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAckId } from '../../src/ack/ids.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ simulator: { clusterCount: 2 } });
});
afterAll(() => gateway.close());

/** Strings that look like ids, paths, encodings and injections, plus arbitrary text. */
const idLike = fc.oneof(
  fc.string({ maxLength: 140 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,130}$/),
  fc.constantFrom(
    '../..',
    '%2e%2e%2f',
    'c1/nodepools',
    'c1?NodepoolName=x',
    'c1#x',
    ' c1',
    'c1\n',
    '\u0000',
    '-c1',
    '_c1',
  ),
);

const CODES = new Set([
  'BAD_USER_INPUT',
  'FORBIDDEN',
  'UPSTREAM_THROTTLED',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
]);

describe('fuzzed inputs', () => {
  it('any id: BAD_USER_INPUT before any upstream call when malformed, never an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(idLike, idLike, async (clusterId, nodePoolId) => {
        gateway.simulator.resetStats();
        const result = await gateway.query(
          `query($c: ID!, $p: ID!) { cluster(id: $c) { id } nodePools(clusterId: $c) { id } nodePool(clusterId: $c, id: $p) { id } }`,
          { c: clusterId, p: nodePoolId },
        );
        for (const error of result.errors ?? []) expect(CODES.has(String(error.extensions?.code))).toBe(true);
        if (!isAckId(clusterId)) {
          expect(result.data).toEqual({ cluster: null, nodePools: null, nodePool: null });
          expect(gateway.simulator.stats().total).toBe(0);
        } else {
          expect(gateway.simulator.stats().total).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('any document: a GraphQL error answer, never a crash, never an upstream call', async () => {
    const url = await gateway.listen();
    gateway.simulator.resetStats();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.constantFrom(
            '{',
            '{ cluster(id: ) }',
            'query { nodePools { id } }',
            '{ __typename @skip }',
            'subscription { x }',
          ),
        ),
        async (document) => {
          const response = await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: document }),
          });
          expect(response.status).toBeLessThan(500);
          const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
          for (const error of body.errors ?? [])
            expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
        },
      ),
      { numRuns: 150 },
    );
    expect(gateway.simulator.stats().total).toBe(0);
  });
});
