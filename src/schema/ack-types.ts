import { GraphQLError } from 'graphql';
import {
  type EnumSpec,
  type FieldSpec,
  INVALID_KEYS,
  type ObjectSpec,
  type ParsedObject,
  type TypeSpec,
  UNKNOWN_ENUM_VALUE,
} from '../ack/model/dsl.js';
import { builder } from './builder.js';

/**
 * GraphQL types derived from the upstream model tables (`src/ack/model`), so each field's name,
 * type, documentation and deprecation are written once. Field names are the camelCase form of
 * the JSON key; closed value sets become enums with an UNKNOWN member.
 */

// biome-ignore lint/suspicious/noExplicitAny: refs are built from runtime tables; shapes are checked by the parser.
type AnyRef = any;

const objectRefs = new Map<ObjectSpec, AnyRef>();
const enumRefs = new Map<EnumSpec, AnyRef>();

export const camelCase = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** `ess` -> `ESS`, `PayByBandwidth` -> `PAY_BY_BANDWIDTH`, `COST_OPTIMIZED` stays. */
export const screamingCase = (value: string): string =>
  value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();

const UNKNOWN_DESCRIPTION =
  'A value ACK returned that this gateway does not know yet (ACK adds values over time). ' +
  'Treat it as "other", not as an error.';

export function ackEnumRef(spec: EnumSpec): AnyRef {
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

export function ackObjectRef(spec: ObjectSpec): AnyRef {
  let ref = objectRefs.get(spec);
  if (!ref) {
    ref = builder.objectRef<ParsedObject>(spec.name);
    objectRefs.set(spec, ref);
    ref.implement({
      description: spec.description,
      // biome-ignore lint/suspicious/noExplicitAny: the field builder's generic shape is erased here.
      fields: (t: any) => ackFields(t, spec),
    });
  }
  return ref;
}

function graphqlType(spec: TypeSpec): AnyRef {
  switch (spec.kind) {
    case 'id':
      return 'ID';
    case 'string':
      return 'String';
    case 'int':
      return 'Int';
    case 'float':
      return 'Float';
    case 'boolean':
      return 'Boolean';
    case 'datetime':
      return 'DateTime';
    case 'json':
      return 'JSONObject';
    case 'enum':
      return ackEnumRef(spec);
    case 'object':
      return ackObjectRef(spec);
    case 'list':
      return [graphqlType(spec.of)];
  }
}

/** A value ACK sent that did not fit the documented type: an error at this field only. */
function badUpstreamValue(objectName: string, key: string): GraphQLError {
  return new GraphQLError(
    `ACK sent a value for ${objectName}.${key} that does not match its documented type.`,
    { extensions: { code: 'UPSTREAM_BAD_RESPONSE' } },
  );
}

type Parsed = Record<string, unknown> & ParsedObject;

export interface AckFieldsOptions<Parent, Ctx> {
  /** Keys of the spec not to expose (a type that answers them itself). */
  omit?: readonly string[];
  /**
   * Where a key's value is read from when it is not the parent itself: a parsed object loaded
   * on demand (null when there is none).
   */
  source?: (parent: Parent, key: string, ctx: Ctx) => ParsedObject | null | Promise<ParsedObject | null>;
}

function readKey(objectName: string, parsed: Parsed | null, key: string): unknown {
  const value = parsed?.[key];
  if (value === null || value === undefined) {
    if (parsed?.[INVALID_KEYS]?.has(key)) throw badUpstreamValue(objectName, key);
    return null;
  }
  return value;
}

/**
 * The GraphQL fields of an object spec, for `t` of any object type backed by the parsed shape.
 * Types that add derived fields spread this into their own field map.
 */
export function ackFields<Parent, Ctx>(
  // biome-ignore lint/suspicious/noExplicitAny: see AnyRef.
  t: any,
  spec: ObjectSpec,
  options: AckFieldsOptions<Parent, Ctx> = {},
): Record<string, AnyRef> {
  const fields: Record<string, AnyRef> = {};
  const { source, omit = [] } = options;
  for (const [key, fieldSpec] of Object.entries(spec.fields as Record<string, FieldSpec>)) {
    if (omit.includes(key)) continue;
    const name = fieldSpec.graphqlName ?? camelCase(key);
    const isList = fieldSpec.type.kind === 'list';
    fields[name] = t.field({
      type: graphqlType(fieldSpec.type),
      description: fieldSpec.description,
      ...(fieldSpec.deprecated ? { deprecationReason: fieldSpec.deprecated } : {}),
      ...(fieldSpec.sensitive ? { authScopes: { sensitive: true } } : {}),
      nullable: fieldSpec.required ? false : isList ? { list: true, items: false } : true,
      resolve: source
        ? async (parent: Parent, _args: unknown, ctx: Ctx) =>
            readKey(spec.name, (await source(parent, key, ctx)) as Parsed | null, key)
        : (parent: Parsed) => readKey(spec.name, parent, key),
    });
  }
  return fields;
}
