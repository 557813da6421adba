import { entitiesResolver } from '@apollo/subgraph/dist/types.js';
import { type GraphQLFieldResolver, type GraphQLSchema, getNamedType, isUnionType } from 'graphql';
import { badUserInput } from './errors.js';

/**
 * `_entities` one representation at a time. The federation library maps the whole list in one
 * synchronous pass: a representation it cannot place (an unknown `__typename`, one that is not
 * an object) throws for the list after earlier representations' promises already exist, and
 * one of those rejecting later is an unhandled rejection that ends the process. Here each
 * representation becomes its own settled-or-handled value, so a bad one is a coded error at its
 * own index and the answer keeps its order.
 */
const resolveEachEntity: GraphQLFieldResolver<unknown, unknown, { representations: unknown[] }> = (
  _source,
  { representations },
  context,
  info,
) => {
  const union = getNamedType(info.returnType);
  const entityTypes = new Set(isUnionType(union) ? union.getTypes().map((type) => type.name) : []);
  return representations.map((representation, index) => {
    const typename =
      typeof representation === 'object' && representation !== null
        ? (representation as { __typename?: unknown }).__typename
        : undefined;
    if (typeof typename !== 'string' || !entityTypes.has(typename)) {
      return badUserInput(
        `Representation ${index} names no entity type of this subgraph (__typename ${
          typeof typename === 'string' ? JSON.stringify(typename.slice(0, 64)) : 'missing'
        }).`,
        `representations[${index}]`,
      );
    }
    try {
      const [entity] = entitiesResolver({ representations: [representation], context, info });
      return entity;
    } catch (error) {
      // A resolveReference that throws synchronously: its error, at its index only.
      return error;
    }
  });
};

/** Replaces the subgraph's `_entities` resolver with {@link resolveEachEntity}. */
export function isolateEntities(schema: GraphQLSchema): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  if (field) field.resolve = resolveEachEntity as GraphQLFieldResolver<unknown, unknown>;
  return schema;
}
