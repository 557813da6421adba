import {
  type GraphQLArgument,
  type GraphQLArgumentConfig,
  GraphQLDirective,
  type GraphQLField,
  type GraphQLFieldConfigMap,
  type GraphQLFieldResolver,
  GraphQLInputObjectType,
  GraphQLInterfaceType,
  GraphQLList,
  type GraphQLNamedType,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLScalarType,
  GraphQLSchema,
  type GraphQLType,
  GraphQLUnionType,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isSpecifiedDirective,
  isUnionType,
} from 'graphql';
import { INVALID_KEYS } from '../ack/model/dsl.js';
import { badUpstreamValue, passThroughOf } from '../schema/ack-types.js';

/**
 * The schema graphql-jit compiles against: a copy of the served one, with the same types,
 * fields and answers, and resolvers changed where graphql-jit needs it (the served schema,
 * which graphql-js executes, is left as it is):
 *
 * 1. Pass-through fields of the model tables (a resolver that only reads one key of its parent,
 *    src/schema/ack-types.ts) have no resolver: graphql-jit then reads the key inline
 *    (`parent.total_nodes`) instead of calling a resolver, building a resolve info and three
 *    closures per field. The field object of the copy is named after the key, which is what
 *    graphql-jit reads (the answer keeps the field's name: graphql-jit writes response names).
 * 2. What graphql-js would answer from such a resolver and graphql-jit cannot read inline, a
 *    value the parser dropped as invalid (null, its key in `INVALID_KEYS`: readKey's error),
 *    is put in place by the resolvers that hand out parsed objects ({@link viewFor}): a copy of
 *    the object, the invalid key set to that same error, which graphql-jit answers at its path.
 *    Objects without invalid keys (all but a few) are handed out as they are, each checked once.
 * 3. Enums are scalars of the same name, serialized, parsed and read from literals by the enum
 *    itself. The compiled executor turns graphql-jit's leaf serialization off for enums and
 *    built-in scalars (`disableLeafSerialization`): with it on, the code it generates builds the
 *    field's locations and path (two arrays and an object) on every leaf it answers, in case of
 *    an error, ~700 KB of garbage per W1 answer. Built-in scalars need no serializing here: the
 *    model parser hands out strings, 32-bit integers, finite numbers and booleans (the values
 *    graphql-js' serializers return unchanged), and the resolvers are typed so. An enum's
 *    answer is its name, not the wire value the parser keeps, so as a scalar it keeps its
 *    serializer (on graphql-jit's eager path, as before: ~5 of W1's 44 leaves per pool).
 */

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function';

/** A field of the copy that graphql-jit reads inline: the key, and the table it belongs to. */
interface InlineField {
  key: string;
  objectName: string;
  type: GraphQLOutputType;
}

type Resolver = GraphQLFieldResolver<unknown, unknown>;

export function schemaForCompiledExecution(schema: GraphQLSchema): GraphQLSchema {
  const rebuilt = new Map<string, GraphQLNamedType>();
  const named = (type: GraphQLNamedType): GraphQLNamedType => rebuilt.get(type.name) ?? type;
  const wrap = <T extends GraphQLType>(type: T): T => {
    if (isNonNullType(type)) return new GraphQLNonNull(wrap(type.ofType)) as T;
    if (isListType(type)) return new GraphQLList(wrap(type.ofType)) as T;
    return named(type as GraphQLNamedType) as T;
  };

  /** Per object type of the served schema: its fields read inline. */
  const inline = new Map<string, InlineField[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields: InlineField[] = [];
    for (const field of Object.values(type.getFields())) {
      const read = passThroughOf(field.resolve);
      // A key graphql-jit can write as `parent.key` (and that is not the prototype's).
      if (read && /^[A-Za-z_$][\w$]*$/.test(read.key) && read.key !== '__proto__')
        fields.push({ ...read, type: field.type });
    }
    if (fields.length > 0) inline.set(type.name, fields);
  }
  const view = viewFor(schema, inline);

  const argsOf = (args: readonly GraphQLArgument[]) =>
    Object.fromEntries(
      args.map((arg): [string, GraphQLArgumentConfig] => [
        arg.name,
        {
          type: wrap(arg.type),
          description: arg.description,
          defaultValue: arg.defaultValue,
          deprecationReason: arg.deprecationReason,
          extensions: arg.extensions,
          astNode: arg.astNode,
        },
      ]),
    );

  const fieldsOf = (fields: Record<string, GraphQLField<unknown, unknown>>) => () => {
    const map: GraphQLFieldConfigMap<unknown, unknown> = {};
    for (const [name, field] of Object.entries(fields)) {
      const resolve = field.resolve as Resolver | undefined;
      let compiledResolve = resolve;
      if (resolve && !passThroughOf(resolve)) {
        const viewed = view(field.type);
        if (viewed)
          compiledResolve = (source, args, context, info) => viewed(resolve(source, args, context, info));
      }
      map[name] = {
        type: wrap(field.type),
        description: field.description,
        deprecationReason: field.deprecationReason,
        extensions: field.extensions,
        astNode: field.astNode,
        args: argsOf(field.args),
        resolve: compiledResolve,
        subscribe: field.subscribe,
      };
    }
    return map;
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) {
      rebuilt.set(
        type.name,
        new GraphQLObjectType({
          ...type.toConfig(),
          interfaces: () => type.getInterfaces().map((i) => named(i) as GraphQLInterfaceType),
          fields: fieldsOf(type.getFields()),
        }),
      );
    } else if (isInterfaceType(type)) {
      rebuilt.set(
        type.name,
        new GraphQLInterfaceType({
          ...type.toConfig(),
          interfaces: () => type.getInterfaces().map((i) => named(i) as GraphQLInterfaceType),
          fields: fieldsOf(type.getFields()),
        }),
      );
    } else if (isUnionType(type)) {
      rebuilt.set(
        type.name,
        new GraphQLUnionType({
          ...type.toConfig(),
          types: () => type.getTypes().map((t) => named(t) as GraphQLObjectType),
        }),
      );
    } else if (isEnumType(type)) {
      rebuilt.set(
        type.name,
        new GraphQLScalarType({
          name: type.name,
          description: type.description,
          serialize: (value) => type.serialize(value),
          parseValue: (value) => type.parseValue(value),
          parseLiteral: (node, variables) => type.parseLiteral(node, variables),
        }),
      );
    } else if (isInputObjectType(type)) {
      const config = type.toConfig();
      rebuilt.set(
        type.name,
        new GraphQLInputObjectType({
          ...config,
          fields: () =>
            Object.fromEntries(
              Object.entries(config.fields).map(([name, field]) => [
                name,
                { ...field, type: wrap(field.type) },
              ]),
            ),
        }),
      );
    }
  }
  const config = schema.toConfig();
  const root = (type: GraphQLObjectType | null | undefined) =>
    type ? (named(type) as GraphQLObjectType) : undefined;
  const copy = new GraphQLSchema({
    ...config,
    query: root(config.query),
    mutation: root(config.mutation),
    subscription: root(config.subscription),
    // Directives whose arguments name an enum take its stand-in, as fields' arguments do.
    directives: config.directives.map((directive) =>
      isSpecifiedDirective(directive)
        ? directive
        : new GraphQLDirective({ ...directive.toConfig(), args: argsOf(directive.args) }),
    ),
    types: Object.values(schema.getTypeMap())
      .filter((type) => !type.name.startsWith('__'))
      .map(named),
  });

  // Last, once the copy is whole: pass-through fields lose their resolver and take the key's
  // name, which graphql-jit reads (it looks fields up by the name in the document, then reads
  // `parent[field.name]`; what it answers is keyed by the response name).
  for (const typeName of inline.keys()) {
    const served = schema.getType(typeName);
    const type = copy.getType(typeName);
    if (!isObjectType(served) || !isObjectType(type)) continue;
    const fieldMap = type.getFields();
    for (const [name, field] of Object.entries(served.getFields())) {
      const read = passThroughOf(field.resolve);
      const compiled = fieldMap[name];
      if (read && compiled && inline.get(typeName)?.some((one) => one.key === read.key))
        fieldMap[name] = { ...compiled, name: read.key, resolve: undefined };
    }
  }
  return copy;
}

/**
 * For a field's type, how to hand out what its resolver returns so that graphql-jit's inline
 * reads answer what readKey would (undefined when the type has no inline field anywhere).
 */
function viewFor(schema: GraphQLSchema, inline: ReadonlyMap<string, InlineField[]>) {
  /** Objects checked to hold no invalid key among their inline fields, per type. */
  const clean = new Map<string, WeakSet<object>>();
  const reaches = new Map<string, boolean>();

  /** Whether values of this named type can hold inline fields (directly or below). */
  function reachesInline(type: GraphQLNamedType, seen = new Set<string>()): boolean {
    const known = reaches.get(type.name);
    if (known !== undefined) return known;
    if (seen.has(type.name)) return false;
    seen.add(type.name);
    let result = false;
    if (isAbstractType(type)) {
      result = schema.getPossibleTypes(type).some((possible) => reachesInline(possible, seen));
    } else if (isObjectType(type)) {
      result = inline.has(type.name);
    }
    reaches.set(type.name, result);
    return result;
  }

  function viewObject(value: unknown, typeName: string): unknown {
    if (typeof value !== 'object' || value === null || value instanceof Error) return value;
    const fields = inline.get(typeName);
    if (!fields) return value;
    let checked = clean.get(typeName);
    if (!checked) {
      checked = new WeakSet();
      clean.set(typeName, checked);
    }
    if (checked.has(value)) return value;
    const parsed = value as Record<string | symbol, unknown> & { [INVALID_KEYS]?: ReadonlySet<string> };
    let copy: Record<string | symbol, unknown> | undefined;
    for (const field of fields) {
      const current = parsed[field.key];
      let next = current;
      if (current === null || current === undefined) {
        if (parsed[INVALID_KEYS]?.has(field.key)) next = badUpstreamValue(field.objectName, field.key);
      } else {
        next = viewValue(current, field.type);
      }
      if (next !== current) {
        copy ??= { ...parsed };
        copy[field.key] = next;
      }
    }
    // A copy is made afresh each time (its errors are new, as graphql-js' are); a clean object
    // is remembered as clean.
    if (copy) return copy;
    checked.add(value);
    return value;
  }

  function viewValue(value: unknown, type: GraphQLOutputType): unknown {
    if (value === null || value === undefined || value instanceof Error) return value;
    if (isPromiseLike(value)) return value.then((settled) => viewValue(settled, type));
    if (isNonNullType(type)) return viewValue(value, type.ofType);
    if (isListType(type)) {
      if (typeof value !== 'object' || !(Symbol.iterator in value)) return value;
      const items = Array.isArray(value) ? value : Array.from(value as Iterable<unknown>);
      let copy: unknown[] | undefined;
      for (let index = 0; index < items.length; index++) {
        const item: unknown = items[index];
        const next = viewValue(item, type.ofType);
        if (next !== item) {
          copy ??= items.slice();
          copy[index] = next;
        }
      }
      return copy ?? items;
    }
    if (isObjectType(type)) return viewObject(value, type.name);
    if (isAbstractType(type)) {
      // The concrete type is the abstract type's to tell; viewing as each possible type that
      // has inline fields is the same: a key is only ever set to an error where it is invalid.
      let next: unknown = value;
      for (const possible of schema.getPossibleTypes(type)) next = viewObject(next, possible.name);
      return next;
    }
    return value;
  }

  return (type: GraphQLOutputType): ((value: unknown) => unknown) | undefined =>
    reachesInline(getNamedType(type)) ? (value) => viewValue(value, type) : undefined;
}
