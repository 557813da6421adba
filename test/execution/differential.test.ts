/**
 * The compiled executor (src/execution) against graphql-js: every test document, the example
 * dashboard's, the GraphiQL tabs and the bench's, then a generated corpus of documents over the
 * schema (random field subsets, aliases, inline and named fragments, @include/@skip with
 * variables, arguments as literals and as variables, failing and faulted clusters, malformed,
 * missing and denied ids, `_entities` mixes), each run on one gateway (response cache off, one
 * simulator, one ACK cache) by graphql-js and by the compiled path, the whole JSON answers
 * compared byte for byte (data, errors with their messages, locations, paths, codes and order).
 * Only upstream request ids differ between two calls that fail upstream; they are blanked.
 */
import fc from 'fast-check';
import {
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  getNamedType,
  isEnumType,
  isLeafType,
  isObjectType,
  isRequiredArgument,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as exampleDocuments from '../../examples/dashboard/src/gql/graphql.js';
import { DASHBOARD_QUERY, ONE_POOL_QUERY } from '../../scripts/bench/queries.js';
import { createPolicy } from '../../src/auth/policy.js';
import { executionCounts, setCompiledExecution } from '../../src/execution/compiled-executor.js';
import { CLUSTERS_TAB, POOL_BY_NAME_TAB } from '../../src/graphiql.js';
import { schema } from '../../src/schema/index.js';
import { generateClusters } from '../../src/simulator/index.js';
import * as testDocuments from '../gql/graphql.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const CLUSTER_COUNT = 8;
const clusterIds = generateClusters({ clusterCount: CLUSTER_COUNT }).map((cluster) => cluster.id);
const at = (index: number) => clusterIds[index] ?? '';
const HEALTHY = [at(0), at(6), at(7)];
const MALFORMED = at(1);
const FUTURE = at(2);
const SERVER_ERROR = at(3);
const FORBIDDEN_UPSTREAM = at(4);
const DENIED = at(5);
const MISSING = 'c0000doesnotexist0000';
const BAD_IDS = ['bad id!', '', 'x'.repeat(200)];

let g: TestGateway;
let poolIds: string[] = [];
let poolNames: string[] = [];

beforeAll(async () => {
  g = await startTestGateway({
    simulator: {
      clusterCount: CLUSTER_COUNT,
      nodePoolsPerCluster: 3,
      faults: {
        [MALFORMED]: 'malformed',
        [FUTURE]: 'future',
        [SERVER_ERROR]: 'server-error',
        [FORBIDDEN_UPSTREAM]: 'forbidden',
      },
    },
    env: { RESPONSE_CACHE: 'false' },
    // Breakers never open: a failing cluster fails the same way on every request.
    client: { resilience: { breakerFailures: 1_000_000, endpointBreakerClusters: 1_000_000 } },
    app: {
      policy: createPolicy([
        { principals: ['*'], resources: ['acs:cs:*:*:cluster/*'] },
        { effect: 'Deny', principals: ['*'], resources: [`acs:cs:*:*:cluster/${DENIED}`] },
      ]),
    },
  });
  const { data } = await g.query<{ clusters: ({ nodePools: { id: string; name: string }[] } | null)[] }>(
    'query($ids: [ID!]!) { clusters(ids: $ids) { nodePools { id name } } }',
    { ids: HEALTHY },
  );
  const pools = (data?.clusters ?? []).flatMap((cluster) => cluster?.nodePools ?? []);
  poolIds = pools.map((pool) => pool.id);
  poolNames = [...new Set(pools.map((pool) => pool.name))];
  expect(poolIds.length).toBeGreaterThan(0);
});
afterAll(async () => {
  setCompiledExecution(true);
  await g?.close();
});

async function answer(query: string, variables: unknown, compiled: boolean) {
  setCompiledExecution(compiled);
  try {
    const response = await g.app.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    // The one part of an answer that differs between two calls failing upstream.
    return `${response.status} ${text.replace(/"requestId":"[^"]*"/g, '"requestId":"-"')}`;
  } finally {
    setCompiledExecution(true);
  }
}

let compared = 0;
/** Both executors' answers, graphql-js first (it warms nothing the compiled path would not). */
async function expectSameAnswers(query: string, variables: unknown = {}) {
  const before = executionCounts.compiled;
  const reference = await answer(query, variables, false);
  const compiled = await answer(query, variables, true);
  compared += 1;
  expect(compiled, `${query}\n${JSON.stringify(variables)}`).toBe(reference);
  return { usedCompiled: executionCounts.compiled > before, answer: reference };
}

// ---------------------------------------------------------------------------------------------
// The documents the project already has

const documentsOf = (module: Record<string, unknown>) =>
  Object.entries(module)
    .filter(([name]) => name.endsWith('Document'))
    .map(([name, document]) => [name, String(document)] as const);

/** Variables for a document, from the names its operation declares. */
function variablesFor(query: string): Record<string, unknown>[] {
  const declared = new Set([...query.matchAll(/\$(\w+)\s*:/g)].map((match) => match[1]));
  const sets: Record<string, unknown>[] = [];
  for (const cluster of [HEALTHY[0], MALFORMED, FUTURE, SERVER_ERROR, DENIED, MISSING, BAD_IDS[0]]) {
    const variables: Record<string, unknown> = {};
    for (const name of declared) {
      if (name === 'ids') variables.ids = [cluster, ...HEALTHY, MISSING];
      else if (name === 'id' || name === 'clusterId') variables[name] = cluster;
      else if (name === 'name') variables.name = poolNames[0];
      else if (name === 'after') variables.after = null;
      else if (name === 'first') variables.first = 5;
    }
    sets.push(variables);
  }
  return sets;
}

describe('the project documents answer the same compiled and with graphql-js', () => {
  const named: (readonly [string, string])[] = [
    ...documentsOf(testDocuments),
    ...documentsOf(exampleDocuments),
    ['GraphiQL clusters tab', CLUSTERS_TAB],
    ['GraphiQL pool-by-name tab', POOL_BY_NAME_TAB],
    ['bench W1', DASHBOARD_QUERY],
    ['bench W2', ONE_POOL_QUERY],
  ];
  it.each(named)('%s', async (_name, query) => {
    for (const variables of variablesFor(query)) {
      const { usedCompiled } = await expectSameAnswers(query, variables);
      if (/^\s*(#[^\n]*\n\s*)*query\b/.test(query)) expect(usedCompiled).toBe(true);
    }
  });

  it('the dashboard over every kind of cluster, failing ones in place', async () => {
    const ids = [
      MALFORMED,
      ...HEALTHY,
      SERVER_ERROR,
      MISSING,
      ...BAD_IDS,
      DENIED,
      FORBIDDEN_UPSTREAM,
      FUTURE,
    ];
    const { answer: text } = await expectSameAnswers(DASHBOARD_QUERY, { ids });
    const body = JSON.parse(text.slice(text.indexOf(' ') + 1)) as { data: { clusters: unknown[] } };
    expect(body.data.clusters).toHaveLength(ids.length);
  });
});

// ---------------------------------------------------------------------------------------------
// A generated corpus

const MAX_DEPTH = 4;
const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const anyClusterId = () => fc.oneof(pick(clusterIds), pick([MISSING, ...BAD_IDS]));
const literal = (value: unknown) => JSON.stringify(value);

/** Argument text for a field that takes arguments, or undefined when the corpus leaves it out. */
function argumentsFor(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
): fc.Arbitrary<string> | undefined {
  if (field.args.length === 0) return fc.constant('');
  if (type.name === 'Cluster' && field.name === 'nodePool')
    return fc.oneof(pick(poolIds), pick(['np-missing', 'bad id!'])).map((id) => `(id: ${literal(id)})`);
  if (field.name === 'nodePools') return nodePoolFilters().map((filters) => (filters ? `(${filters})` : ''));
  return field.args.some(isRequiredArgument) ? undefined : fc.constant('');
}

function enumValues(name: string): string[] {
  const type = schema.getType(name);
  return isEnumType(type) ? type.getValues().map((value) => value.name) : [];
}

const nodePoolFilters = () =>
  fc
    .record(
      {
        name: fc.oneof(pick(poolNames), fc.constant('no-such-pool')),
        type: pick(enumValues('NodePoolType')),
        state: pick(enumValues('NodePoolState')),
        isDefault: fc.boolean(),
      },
      { requiredKeys: [] },
    )
    .map((filters) =>
      Object.entries(filters)
        .map(
          ([name, value]) =>
            `${name}: ${typeof value === 'string' && name !== 'name' ? value : literal(value)}`,
        )
        .join(', '),
    );

const selections = new Map<string, fc.Arbitrary<string>>();

/** A selection set `{ ... }` on an object type, `depth` levels deep at most. */
function selectionSet(type: GraphQLObjectType, depth: number, spreads = true): fc.Arbitrary<string> {
  const cacheKey = `${type.name}/${depth}/${spreads}`;
  const cached = selections.get(cacheKey);
  if (cached) return cached;
  const fields: fc.Arbitrary<string>[] = [];
  for (const field of Object.values(type.getFields())) {
    const args = argumentsFor(type, field);
    if (!args) continue;
    const named: GraphQLNamedType = getNamedType(field.type);
    if (isLeafType(named)) {
      fields.push(
        fc
          .tuple(
            fc.option(fc.constantFrom('a', 'b'), { freq: 4 }),
            args,
            fc.constantFrom('', '', '', '', ' @include(if: $flag)', ' @skip(if: $flag)'),
          )
          .map(
            ([alias, text, directive]) =>
              `${alias ? `${alias}_${field.name}: ` : ''}${field.name}${text}${directive}`,
          ),
      );
    } else if (isObjectType(named) && depth > 0) {
      const sub = fc.constant(null).chain(() => selectionSet(named, depth - 1, spreads));
      fields.push(
        fc
          .tuple(fc.option(fc.constantFrom('x', 'y'), { freq: 5 }), args, sub)
          .map(
            ([alias, text, set]) => `${alias ? `${alias}_${field.name}: ` : ''}${field.name}${text} ${set}`,
          ),
      );
    }
  }
  if (fields.length === 0) fields.push(fc.constant('__typename'));
  const set = fc
    .tuple(
      fc.uniqueArray(fc.nat({ max: fields.length - 1 }), { minLength: 1, maxLength: 5 }),
      fc.boolean(),
      fc.constantFrom('none', 'inline', 'include', 'skip', 'spread'),
    )
    .chain(([indexes, typename, wrapping]) =>
      fc.tuple(...indexes.map((index) => fields[index] as fc.Arbitrary<string>)).map((chosen) => {
        let body = chosen.join(' ');
        if (wrapping === 'inline') body = `... on ${type.name} { ${body} }`;
        else if (wrapping === 'include') body = `__typename ... @include(if: $flag) { ${body} }`;
        else if (wrapping === 'skip') body = `__typename ... @skip(if: $flag) { ${body} }`;
        else if (wrapping === 'spread' && spreads && type.name === 'NodePool') body = `${body} ...PoolFields`;
        return `{ ${typename ? '__typename ' : ''}${body} }`;
      }),
    );
  selections.set(cacheKey, set);
  return set;
}

const object = (name: string) => schema.getType(name) as GraphQLObjectType;

/** One root field of the generated operation, with the variables it declares. */
const rootField = () =>
  fc.oneof(
    fc
      .tuple(
        fc.array(anyClusterId(), { minLength: 0, maxLength: 8 }),
        selectionSet(object('Cluster'), MAX_DEPTH),
      )
      .map(([ids, set]) => ({ text: `clusters(ids: $ids) ${set}`, variables: { ids } })),
    fc
      .tuple(anyClusterId(), selectionSet(object('Cluster'), MAX_DEPTH))
      .map(([id, set]) => ({ text: `one: cluster(id: ${literal(id)}) ${set}`, variables: {} })),
    fc
      .tuple(anyClusterId(), nodePoolFilters(), selectionSet(object('NodePool'), MAX_DEPTH))
      .map(([id, filters, set]) => ({
        text: `pools: nodePools(clusterId: $clusterId${filters ? `, ${filters}` : ''}) ${set}`,
        variables: { clusterId: id },
      })),
    fc
      .tuple(
        anyClusterId(),
        fc.oneof(pick(poolIds), pick(['np-missing', 'bad id!'])),
        selectionSet(object('NodePool'), MAX_DEPTH),
      )
      .map(([clusterId, id, set]) => ({
        text: `pool: nodePool(clusterId: ${literal(clusterId)}, id: ${literal(id)}) ${set}`,
        variables: {},
      })),
    fc
      // Not 0 (refused, which nulls the whole answer: see 'an answer nulled at its root').
      .tuple(fc.integer({ min: 1, max: 12 }), selectionSet(object('Cluster'), MAX_DEPTH - 1))
      .map(([first, set]) => ({
        text: `list: clusterList(first: ${first}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor } nodes ${set} }`,
        variables: {},
      })),
    fc
      .tuple(
        fc.array(
          fc.oneof(
            anyClusterId().map((id) => ({ __typename: 'Cluster', id })),
            fc
              .tuple(anyClusterId(), fc.oneof(pick(poolIds), pick(['np-missing', 'bad id!'])))
              .map(([clusterId, id]) => ({ __typename: 'NodePool', clusterId, id })),
            pick<unknown>([
              { __typename: 'Nope', id: 'x' },
              { __typename: 'Cluster' },
              7,
              null,
              { __typename: 'Cluster', id: 12 },
            ]),
          ),
          { maxLength: 8 },
        ),
        selectionSet(object('Cluster'), MAX_DEPTH - 1),
        selectionSet(object('NodePool'), MAX_DEPTH - 1),
      )
      .map(([representations, cluster, pool]) => ({
        text: `_entities(representations: $representations) { __typename ... on Cluster ${cluster} ... on NodePool ${pool} }`,
        variables: { representations },
      })),
  );

/** Built once the pools are known (beforeAll). */
const operation = () =>
  fc
    .tuple(
      fc.uniqueArray(rootField(), {
        minLength: 1,
        maxLength: 3,
        selector: (field) => field.text.split('(')[0],
      }),
      // The named fragment's own selection spreads no fragment (it would spread itself).
      selectionSet(object('NodePool'), 1, false),
      fc.boolean(),
    )
    .map(([fields, fragment, flag]) => {
      const variables: Record<string, unknown> = { flag };
      for (const field of fields) Object.assign(variables, field.variables);
      const body = fields.map((field) => field.text).join('\n  ');
      const declarations = [
        '$flag: Boolean!',
        ...('ids' in variables ? ['$ids: [ID!]!'] : []),
        ...('clusterId' in variables ? ['$clusterId: ID!'] : []),
        ...('representations' in variables ? ['$representations: [_Any!]!'] : []),
      ];
      let query = `query Generated(${declarations.join(', ')}) {\n  ${body}\n}`;
      if (query.includes('...PoolFields')) query += `\nfragment PoolFields on NodePool ${fragment}`;
      // A declared variable a document does not use is a validation error: use $flag always.
      if (!body.includes('$flag')) query = query.replace('{\n  ', '{\n  __typename @include(if: $flag)\n  ');
      return { query, variables };
    });

describe('a generated corpus answers the same compiled and with graphql-js', () => {
  it('random operations over the schema', { timeout: 120_000 }, async () => {
    let compiledRuns = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(operation(), async ({ query, variables }) => {
        const { usedCompiled, answer: text } = await expectSameAnswers(query, variables);
        runs += 1;
        if (!usedCompiled && process.env.DIFFERENTIAL_DEBUG) console.log(text.slice(0, 300));
        if (usedCompiled) compiledRuns += 1;
      }),
      {
        numRuns: Number(process.env.DIFFERENTIAL_RUNS ?? 300),
        seed: Number(process.env.DIFFERENTIAL_SEED ?? 20_251_201),
      },
    );
    // Nearly all of them ran compiled (the rest: invalid documents, which neither executes).
    expect(compiledRuns / runs).toBeGreaterThan(0.8);
  });

  it("an answer nulled at its root (a non-null root field failing) is graphql-js' in both runs", async () => {
    const before = executionCounts.graphqlJs;
    const tooMany = Array.from({ length: 101 }, () => HEALTHY[0]);
    await expectSameAnswers(DASHBOARD_QUERY, { ids: tooMany });
    await expectSameAnswers('{ clusterList(first: 0) { totalCount } }');
    await expectSameAnswers('{ clusterList(first: 3, after: "junk") { nodes { id } } }');
    expect(executionCounts.graphqlJs).toBeGreaterThan(before);
  });

  it('variables that do not coerce are answered by graphql-js in both runs', async () => {
    const before = executionCounts.graphqlJs;
    await expectSameAnswers(DASHBOARD_QUERY, { ids: [null, 5, { id: 1 }] });
    await expectSameAnswers(DASHBOARD_QUERY, { ids: 'c1' });
    await expectSameAnswers(DASHBOARD_QUERY, {});
    expect(executionCounts.graphqlJs).toBeGreaterThan(before);
  });

  it('enum arguments, as literals and as variables, good and bad, answer the same', async () => {
    // Enums are scalar stand-ins in the compiled schema (src/execution/jit-schema.ts): their
    // names must be read as graphql-js reads them, and a value that is not a name refused.
    const byVariable =
      'query($ids: [ID!]!, $state: NodePoolState, $type: NodePoolType) { clusters(ids: $ids) { nodePools(state: $state, type: $type) { id type status { state } } } }';
    const ids = [...HEALTHY, MALFORMED, FUTURE];
    let compiledBefore = executionCounts.compiled;
    for (const variables of [
      { state: 'ACTIVE' },
      { type: 'ESS' },
      { state: 'ACTIVE', type: 'LINGJUN' },
      { state: null },
      { state: 'UNKNOWN' },
      { state: 'active' },
      { state: 'NOPE' },
      { state: 1 },
      { state: ['ACTIVE'] },
    ]) {
      const { answer } = await expectSameAnswers(byVariable, { ids, ...variables });
      expect(answer, JSON.stringify(variables)).not.toContain('GRAPHQL_VALIDATION_FAILED');
    }
    // The good names ran compiled; the bad ones went to graphql-js, which said why.
    expect(executionCounts.compiled - compiledBefore).toBeGreaterThanOrEqual(5);
    compiledBefore = executionCounts.compiled;
    for (const literal of ['ACTIVE', 'SCALING', 'UNKNOWN']) {
      const { usedCompiled, answer } = await expectSameAnswers(
        `query($ids: [ID!]!) { clusters(ids: $ids) { nodePools(state: ${literal}) { id status { state } } } }`,
        { ids },
      );
      expect(usedCompiled, `${literal}: ${answer.slice(0, 300)}`).toBe(true);
      expect(answer).toContain('"state"');
    }
    expect(executionCounts.compiled - compiledBefore).toBe(3);
  });

  afterAll(() => {
    console.log(`differential: ${compared} document/variables pairs compared`);
  });
});
