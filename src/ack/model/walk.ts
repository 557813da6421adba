import type { EnumSpec, FieldSpec, ListSpec, ObjectSpec, ScalarSpec, TypeSpec } from './dsl.js';

/**
 * The one walk over the model tables. The parser, the schema types, the warm-up and the tests'
 * expectations each need the same facts about a field (its GraphQL name, where its value sits in
 * the upstream JSON, the object a selection descends into) and the same split of types into
 * kinds; deriving them here keeps those readers from drifting apart.
 */

/** `nodepool_id` -> `nodepoolId`: the GraphQL name of a key without a `graphqlName`. */
export const camelCase = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/** One field of an object spec, with what every walk asks of it. */
export interface SpecField {
  /** The upstream JSON key, which is also the key of the parsed object. */
  readonly key: string;
  /** The GraphQL field name. */
  readonly name: string;
  /** Where the value sits in the upstream JSON, from the object the spec describes. */
  readonly path: readonly string[];
  /** Whether the value sits elsewhere than under its own key (`from`). */
  readonly hoisted: boolean;
  readonly type: TypeSpec;
  readonly description: string;
  readonly required: boolean;
  readonly sensitive: boolean;
  /** The documented replacement, when the field is deprecated. */
  readonly deprecated: string | undefined;
  /** The object a selection of this field descends into: its type, or its items', if an object. */
  readonly object: ObjectSpec | undefined;
}

function innerObject(type: TypeSpec): ObjectSpec | undefined {
  if (type.kind === 'object') return type;
  return type.kind === 'list' ? innerObject(type.of) : undefined;
}

function describeField(key: string, spec: FieldSpec): SpecField {
  return {
    key,
    name: spec.graphqlName ?? camelCase(key),
    path: spec.from ?? [key],
    hoisted: spec.from !== undefined,
    type: spec.type,
    description: spec.description,
    required: spec.required === true,
    sensitive: spec.sensitive === true,
    deprecated: spec.deprecated,
    object: innerObject(spec.type),
  };
}

// The tables are constants: each spec's fields are described once per process.
const described = new WeakMap<ObjectSpec, readonly SpecField[]>();

/** The fields of `spec`, in table order. */
export function fieldsOf(spec: ObjectSpec): readonly SpecField[] {
  let fields = described.get(spec);
  if (!fields) {
    fields = Object.entries(spec.fields).map(([key, field]) => describeField(key, field));
    described.set(spec, fields);
  }
  return fields;
}

/**
 * What a walk does with each kind of type. Every handler gets the walk's own arguments (a value,
 * a path...) and recurses into lists and objects itself, on its own terms.
 */
export interface TypeVisitor<R, A extends readonly unknown[] = []> {
  scalar(type: ScalarSpec, ...args: A): R;
  enum(type: EnumSpec, ...args: A): R;
  list(type: ListSpec, ...args: A): R;
  object(type: ObjectSpec, ...args: A): R;
}

export function visitType<R, A extends readonly unknown[]>(
  type: TypeSpec,
  visitor: TypeVisitor<R, A>,
  ...args: A
): R {
  switch (type.kind) {
    case 'enum':
      return visitor.enum(type, ...args);
    case 'list':
      return visitor.list(type, ...args);
    case 'object':
      return visitor.object(type, ...args);
    default:
      return visitor.scalar(type, ...args);
  }
}

/**
 * A copy of `object` (its own properties, symbols included) with fast properties. V8 turns an
 * object whose keys are set one by one through a variable into a dictionary once it has about
 * twenty (20 in Node 24; a node pool has 21, its scaling group 52): every read of a field is
 * then a hash lookup, and the compiled executor reads ~4,400 of them per dashboard answer.
 * Copies of objects with the same keys in the same order share one hidden class.
 */
export const withFastProperties = <T extends object>(object: T): T => ({ ...object });

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at `path` in upstream JSON; undefined when any step is not an object. */
export function readPath(source: unknown, path: readonly string[]): unknown {
  let current = source;
  for (const segment of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}
