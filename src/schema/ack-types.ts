import type {
  EnumRef,
  FieldMap,
  GenericFieldRef,
  ObjectFieldBuilder,
  ObjectRef,
  OutputType,
  TypeParam,
} from '@pothos/core';
import { GraphQLError } from 'graphql';
import {
  type EnumSpec,
  INVALID_KEYS,
  type ObjectSpec,
  type ParsedObject,
  type ScalarKind,
  type TypeSpec,
  UNKNOWN_ENUM_VALUE,
} from '../ack/model/dsl.js';
import { fieldsOf, type SpecField, type TypeVisitor, visitType } from '../ack/model/walk.js';
import { builder } from './builder.js';

/**
 * GraphQL types derived from the upstream model tables (`src/ack/model`), so each field's name,
 * type, documentation and deprecation are written once. Field names are the camelCase form of
 * the JSON key; closed value sets become enums with an UNKNOWN member.
 */

type Types = typeof builder.$inferSchemaTypes;

// Kept importable from here, where the tests and the warm-up found it before the walker existed.
export { camelCase } from '../ack/model/walk.js';

const objectRefs = new Map<ObjectSpec, ObjectRef<Types, ParsedObject>>();
const enumRefs = new Map<EnumSpec, EnumRef<Types, string, string>>();

/** `ess` -> `ESS`, `PayByBandwidth` -> `PAY_BY_BANDWIDTH`, `COST_OPTIMIZED` stays. */
export const screamingCase = (value: string): string =>
  value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();

const UNKNOWN_DESCRIPTION =
  'A value ACK returned that this gateway does not know yet (ACK adds values over time). ' +
  'Treat it as "other", not as an error.';

export function ackEnumRef(spec: EnumSpec): EnumRef<Types, string, string> {
  let ref = enumRefs.get(spec);
  if (!ref) {
    const values: Record<string, { value: string; description: string }> = {};
    for (const [wire, description] of Object.entries(spec.values)) {
      values[screamingCase(wire)] = { value: wire, description: `\`${wire}\`: ${description}` };
    }
    values[UNKNOWN_ENUM_VALUE] = { value: UNKNOWN_ENUM_VALUE, description: UNKNOWN_DESCRIPTION };
    ref = builder.enumType(spec.name, { description: spec.description, values });
    enumRefs.set(spec, ref);
  }
  return ref;
}

export function ackObjectRef(spec: ObjectSpec): ObjectRef<Types, ParsedObject> {
  let ref = objectRefs.get(spec);
  if (!ref) {
    const created = builder.objectRef<ParsedObject>(spec.name);
    objectRefs.set(spec, created);
    created.implement({ description: spec.description, fields: (t) => ackFields(t, spec) });
    ref = created;
  }
  return ref;
}

const SCALAR_TYPES = {
  id: 'ID',
  string: 'String',
  int: 'Int',
  float: 'Float',
  boolean: 'Boolean',
  datetime: 'DateTime',
  json: 'JSONObject',
} as const satisfies Record<ScalarKind, OutputType<Types>>;

const outputTypes: TypeVisitor<OutputType<Types>> = {
  scalar: (spec) => SCALAR_TYPES[spec.kind],
  enum: ackEnumRef,
  object: ackObjectRef,
  list: () => {
    throw new Error('A list of lists has no GraphQL type in this schema.');
  },
};

const graphqlType = (spec: TypeSpec): TypeParam<Types> =>
  spec.kind === 'list' ? [visitType(spec.of, outputTypes)] : visitType(spec, outputTypes);

/** A value ACK sent that did not fit the documented type: an error at this field only. */
export function badUpstreamValue(objectName: string, key: string): GraphQLError {
  return new GraphQLError(
    `ACK sent a value for ${objectName}.${key} that does not match its documented type.`,
    { extensions: { code: 'UPSTREAM_BAD_RESPONSE' } },
  );
}

type Parsed = Record<string, unknown> & ParsedObject;

// Parents are parsed objects, or null when a source has none: a check, not a cast, says so.
const isParsed = (value: unknown): value is Parsed => typeof value === 'object' && value !== null;

export interface AckFieldsOptions<Parent, Ctx> {
  /** Keys of the spec not to expose (a type that answers them itself). */
  omit?: readonly string[];
  /**
   * Where a key's value is read from when it is not the parent itself: a parsed object loaded
   * on demand (null when there is none).
   */
  source?: (parent: Parent, key: string, ctx: Ctx) => ParsedObject | null | Promise<ParsedObject | null>;
}

/**
 * The key each pass-through resolver reads (a field of a parsed object, no source, no scope):
 * the compiled executor (src/execution) reads those keys itself instead of calling a resolver
 * per field, with the same answer, errors included (see `readKey`).
 */
const passThroughKeys = new WeakMap<object, PassThrough>();

/** What a pass-through resolver reads: `key` of its parent, of the table `objectName`. */
export interface PassThrough {
  objectName: string;
  key: string;
}

/** What the field's `resolve` reads, or undefined when it does more than read a key. */
export const passThroughOf = (resolve: unknown): PassThrough | undefined =>
  typeof resolve === 'function' ? passThroughKeys.get(resolve) : undefined;

function passThrough<Parent>(objectName: string, key: string): (parent: Parent) => unknown {
  const resolve = (parent: Parent) => readKey(objectName, parent, key);
  passThroughKeys.set(resolve, { objectName, key });
  return resolve;
}

function readKey(objectName: string, parsed: unknown, key: string): unknown {
  if (!isParsed(parsed)) return null;
  const value = parsed[key];
  if (value === null || value === undefined) {
    if (parsed[INVALID_KEYS]?.has(key)) throw badUpstreamValue(objectName, key);
    return null;
  }
  return value;
}

/**
 * The one seam between the tables and Pothos' generics. `t.field` infers a field's TypeScript
 * shape from a literal `type` and checks `resolve` against it; a table-driven field learns its
 * type from the table at run time, so there is no literal to infer from. The parser has already
 * checked every value against that same table, so these options are typed by hand, here only.
 * `Ctx` is the schema's context (`ackFields` callers name it; Pothos passes it).
 */
type TableField<Parent, Ctx> = (options: {
  type: TypeParam<Types>;
  description: string;
  deprecationReason?: string;
  authScopes?: { sensitive: boolean };
  nullable: boolean | { list: boolean; items: boolean };
  resolve: (parent: Parent, args: object, ctx: Ctx) => unknown;
}) => GenericFieldRef<unknown>;

const nullability = (field: SpecField) =>
  field.required ? false : field.type.kind === 'list' ? { list: true, items: false } : true;

/**
 * The GraphQL fields of an object spec, for `t` of any object type backed by the parsed shape.
 * Types that add derived fields spread this into their own field map.
 */
export function ackFields<Parent, Ctx = Types['Context']>(
  t: ObjectFieldBuilder<Types, Parent>,
  spec: ObjectSpec,
  options: AckFieldsOptions<Parent, Ctx> = {},
): FieldMap {
  const tableField = t.field.bind(t) as unknown as TableField<Parent, Ctx>;
  const fields: FieldMap = {};
  const { source, omit = [] } = options;
  for (const field of fieldsOf(spec)) {
    const { key } = field;
    if (omit.includes(key)) continue;
    fields[field.name] = tableField({
      type: graphqlType(field.type),
      description: field.description,
      ...(field.deprecated ? { deprecationReason: field.deprecated } : {}),
      ...(field.sensitive ? { authScopes: { sensitive: true } } : {}),
      nullable: nullability(field),
      resolve: source
        ? async (parent, _args, ctx) => readKey(spec.name, await source(parent, key, ctx), key)
        : passThrough<Parent>(spec.name, key),
    });
  }
  return fields;
}

/**
 * A selection set of the fields of `spec` that `include` accepts, nested objects included: what
 * the warm-up rehearses and the tests select, both from the one table.
 */
export function ackSelection(spec: ObjectSpec, include: (field: SpecField) => boolean = () => true): string {
  const fields = fieldsOf(spec)
    .filter(include)
    .map((field) => (field.object ? `${field.name} ${ackSelection(field.object, include)}` : field.name));
  return `{ ${fields.join(' ')} }`;
}
