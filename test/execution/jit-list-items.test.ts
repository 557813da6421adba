/**
 * Why graphql-jit lost the null items of failing lists, reduced to a schema of two fields, and
 * the correction src/execution/jit-runtime.ts makes. `items` returns a list of promises, one of
 * which rejects (as `clusters(ids:)` and `_entities` do for a failing id): graphql-js answers
 * null at that index with an error there; graphql-jit's generated list code runs
 * `resultArray.push(null)` for a rejected item, so the null lands at the end of the array, not
 * at the item's index. A field without a resolver whose property holds a promise is a second,
 * separate difference (graphql-jit reads it as a plain value); no field of this gateway's schema
 * is one (they read plain objects), and the differential test would see it.
 */
import { execute, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { describe, expect, it } from 'vitest';
import { placeRejectedListItemsAtTheirIndex } from '../../src/execution/jit-runtime.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const Item = new GraphQLObjectType({ name: 'Item', fields: { name: { type: GraphQLString } } });
const Holder = new GraphQLObjectType({ name: 'Holder', fields: { item: { type: Item } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      items: {
        type: new GraphQLList(Item),
        // The failing item settles last: its null is pushed after the healthy ones.
        resolve: () => [
          Promise.resolve({ name: 'a' }),
          delay(5).then(() => Promise.reject(new Error('b failed'))),
          Promise.resolve({ name: 'c' }),
        ],
      },
      holder: {
        type: Holder,
        // No resolver on `item`: its property is read as it is, here a promise.
        resolve: () => ({ item: Promise.resolve({ name: 'held' }) }),
      },
    },
  }),
});

const run = async (query: string) => {
  const document = parse(query);
  const compiled = compileQuery(schema, document);
  if (!isCompiledQuery(compiled)) throw new Error('did not compile');
  const jit = await compiled.query(undefined, {}, {});
  const js = await execute({ schema, document });
  return { jit: JSON.parse(JSON.stringify(jit)), js: JSON.parse(JSON.stringify(js)) };
};

describe('graphql-jit and list items that reject', () => {
  it('graphql-jit as shipped puts the null of a rejected item at the end; graphql-jit corrected, at its index', async () => {
    // Raw graphql-jit first (the correction is process-wide once made).
    const raw = await run('{ items { name } }');
    expect(raw.js.data).toEqual({ items: [{ name: 'a' }, null, { name: 'c' }] });
    expect(raw.js.errors).toMatchObject([{ message: 'b failed', path: ['items', 1] }]);
    // [a, (hole), c, null]: the failing item's slot is empty and a fourth item appears.
    expect(raw.jit.data.items).toHaveLength(4);
    expect(raw.jit.data.items).toEqual([{ name: 'a' }, null, { name: 'c' }, null]);

    placeRejectedListItemsAtTheirIndex();
    const corrected = await run('{ items { name } }');
    expect(corrected.jit).toEqual(corrected.js);
  });

  it('a promise in a property without a resolver is read as a plain value by graphql-jit', async () => {
    const { jit, js } = await run('{ holder { item { name } } }');
    expect(js.data).toEqual({ holder: { item: { name: 'held' } } });
    expect(jit.data).toEqual({ holder: { item: { name: null } } });
  });
});
