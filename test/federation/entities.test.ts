import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { createPolicy } from '../../src/auth/policy.js';
import { generateClusters } from '../../src/simulator/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

/**
 * The id rule of the contract (API.md "Ids"), written here independently of the gateway's own
 * validator so that the two can disagree.
 */
const ORACLE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const oracleId = (value: unknown): string | undefined => {
  const text = typeof value === 'string' ? value : Number.isSafeInteger(value) ? String(value) : undefined;
  return text !== undefined && ORACLE_ID.test(text) ? text : undefined;
};

const KEY = 'team-key-entities-000000001';
const ids = generateClusters({ clusterCount: 3 }).map((cluster) => cluster.id);
const [allowed = '', alsoAllowed = '', denied = ''] = ids;

let gateway: TestGateway;
let rejections = 0;
const onRejection = () => {
  rejections += 1;
};
beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  gateway = await startTestGateway({
    simulator: { clusterCount: 3 },
    app: {
      authenticate: createAuthenticator({
        mode: 'api-key',
        keys: [{ name: 'team', sha256: hashApiKey(KEY) }],
      }),
      policy: createPolicy([
        {
          principals: ['key:team'],
          resources: [`acs:cs:*:*:cluster/${allowed}`, `acs:cs:*:*:cluster/${alsoAllowed}`],
        },
      ]),
    },
  });
});
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await gateway.close();
});
beforeEach(() => {
  gateway.simulator.resetStats();
  gateway.cache.clear();
});

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  __typename ... on Cluster { id } ... on NodePool { id clusterId } } }`;

interface EntitiesAnswer {
  status: number;
  data?: { _entities: (Record<string, unknown> | null)[] } | null;
  errors?: { path?: (string | number)[]; extensions?: { code?: string } }[];
}

async function entities(representations: unknown[]): Promise<EntitiesAnswer> {
  const response = await gateway.app.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query: ENTITIES, variables: { r: representations } }),
  });
  return { status: response.status, ...((await response.json()) as Omit<EntitiesAnswer, 'status'>) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const nodePoolOf = async (clusterId: string) => {
  const result = await gateway.query<{ nodePools: { id: string }[] }>(
    `query($c: ID!) { nodePools(clusterId: $c) { id } }`,
    { c: clusterId },
  );
  return result.data?.nodePools[0]?.id ?? '';
};

describe('_entities under hostile representations', () => {
  it('a refused representation beside an unknown type: coded errors in place, the process keeps serving', async () => {
    const answer = await entities([
      { __typename: 'Cluster', id: 'not/an id' },
      { __typename: 'Nope', id: allowed },
      { __typename: 'Cluster', id: denied },
      { __typename: 'Cluster', id: allowed },
    ]);
    await settle();
    expect(rejections).toBe(0);
    expect(answer.status).toBe(200);
    expect(answer.data?._entities).toEqual([null, null, null, { __typename: 'Cluster', id: allowed }]);
    const codes = Object.fromEntries(
      (answer.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code]),
    );
    expect(codes).toEqual({
      '_entities.0': 'BAD_USER_INPUT',
      '_entities.1': 'BAD_USER_INPUT',
      '_entities.2': 'FORBIDDEN',
    });
    expect(gateway.simulator.stats().total).toBe(1);
    // Still serving.
    expect((await entities([{ __typename: 'Cluster', id: allowed }])).data?._entities).toHaveLength(1);
  });

  it('any mix of representations: every entity answered in order by the contract, nothing crashes', async () => {
    const poolId = await nodePoolOf(allowed);
    const idLike = fc.oneof(
      fc.constantFrom(allowed, alsoAllowed, denied, 'c0000000000000000000000000000dead', poolId),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('../x', 'a b', '', '-x', 'x'.repeat(129), 7, 3.5, null, true, {}, []),
    );
    const representation = fc.oneof(
      fc.record({ __typename: fc.constant('Cluster'), id: idLike }, { requiredKeys: ['__typename'] }),
      fc.record(
        { __typename: fc.constant('NodePool'), clusterId: idLike, id: idLike },
        { requiredKeys: ['__typename'] },
      ),
      fc.record({ __typename: fc.constantFrom('Nope', 'Query', 'PageInfo', '_Service', ''), id: idLike }),
      fc.record({ id: idLike }),
      fc.constantFrom(1, 'Cluster', [], true),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(representation, { minLength: 1, maxLength: 8 }), async (representations) => {
        gateway.simulator.resetStats();
        const answer = await entities(representations);
        expect(answer.status).toBe(200);
        const list = answer.data?._entities ?? [];
        expect(list).toHaveLength(representations.length);
        const errorAt = new Map(
          (answer.errors ?? []).map((error) => [error.path?.[1], error.extensions?.code]),
        );
        let mayCall = false;
        for (const [index, raw] of representations.entries()) {
          const rep = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<
            string,
            unknown
          >;
          const expectRefused = (code: string) => {
            expect(list[index]).toBeNull();
            expect(errorAt.get(index)).toBe(code);
          };
          if (rep.__typename !== 'Cluster' && rep.__typename !== 'NodePool') {
            expectRefused('BAD_USER_INPUT');
            continue;
          }
          const clusterId = oracleId(rep.__typename === 'Cluster' ? rep.id : rep.clusterId);
          if (clusterId === undefined) {
            expectRefused('BAD_USER_INPUT');
            continue;
          }
          if (clusterId !== allowed && clusterId !== alsoAllowed) {
            expectRefused('FORBIDDEN');
            continue;
          }
          if (rep.__typename === 'NodePool' && oracleId(rep.id) === undefined) {
            expectRefused('BAD_USER_INPUT');
            continue;
          }
          mayCall = true;
          expect(errorAt.has(index)).toBe(false);
          if (rep.__typename === 'Cluster')
            expect(list[index]).toEqual({ __typename: 'Cluster', id: clusterId });
          else if (oracleId(rep.id) === poolId && clusterId === allowed)
            expect(list[index]).toEqual({ __typename: 'NodePool', id: poolId, clusterId });
          else expect(list[index]).toBeNull();
        }
        // Refused representations cost nothing; allowed ones at most one call per cluster.
        if (!mayCall) expect(gateway.simulator.stats().total).toBe(0);
        expect(gateway.simulator.stats().total).toBeLessThanOrEqual(2);
      }),
      { numRuns: 200 },
    );
    await settle();
    expect(rejections).toBe(0);
  });
});
