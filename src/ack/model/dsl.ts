/**
 * A small description language for the ACK response model.
 *
 * One table per upstream object says, for every JSON key: its type, its documented meaning and
 * whether it is deprecated. The same table drives two things so they can never drift apart:
 * the lenient parser in `parse.ts` (the upstream edge) and the GraphQL types that the schema
 * derives from it (`src/schema/ack-types.ts`); both read it through `walk.ts`.
 */

export type ScalarKind = 'id' | 'string' | 'int' | 'float' | 'boolean' | 'datetime' | 'json';

export interface ScalarSpec<K extends ScalarKind = ScalarKind> {
  readonly kind: K;
}

export interface EnumSpec<V extends string = string> {
  readonly kind: 'enum';
  /** Name of the closed value set (the GraphQL enum's name). */
  readonly name: string;
  readonly description: string;
  /** Wire value -> its documented meaning. */
  readonly values: { readonly [W in V]: string };
}

export interface ListSpec<I extends TypeSpec = TypeSpec> {
  readonly kind: 'list';
  readonly of: I;
}

export interface ObjectSpec<F extends Fields = Fields> {
  readonly kind: 'object';
  /** Name of the object (the GraphQL type's name). */
  readonly name: string;
  readonly description: string;
  readonly fields: F;
}

export type TypeSpec = ScalarSpec | EnumSpec | ListSpec<TypeSpec> | ObjectSpec<Fields>;

export interface FieldSpec<T extends TypeSpec = TypeSpec> {
  readonly type: T;
  /** The documented meaning, shown in GraphiQL's docs pane. */
  readonly description: string;
  /** Set when the documentation marks the field deprecated: names the replacement. */
  readonly deprecated?: string;
  /** GraphQL field name when it is not the camelCase form of the key. */
  readonly graphqlName?: string;
  /** Where the value sits in the upstream JSON when not under the field's own key. */
  readonly from?: readonly string[];
  /**
   * The object is unusable without this value (a node pool without its id): the parser rejects
   * the whole object instead of nulling the field, and the schema types it non-null.
   */
  readonly required?: boolean;
  /**
   * The value may carry secrets (scripts with embedded tokens): answered only to callers that
   * hold the sensitive scope, and never logged.
   */
  readonly sensitive?: boolean;
}

export type Fields = { readonly [key: string]: FieldSpec };

/** The value that stands for an enum wire value this gateway does not know (yet). */
export const UNKNOWN_ENUM_VALUE = 'UNKNOWN';

/** A JSON object as ACK sends it in free-form maps (`custom_config`, kubelet maps). */
export type JsonObject = { [key: string]: unknown };

/** The TypeScript shape of a parsed value of a spec. */
export type Infer<T> =
  T extends ScalarSpec<'id' | 'string' | 'datetime'>
    ? string
    : T extends ScalarSpec<'int' | 'float'>
      ? number
      : T extends ScalarSpec<'boolean'>
        ? boolean
        : T extends ScalarSpec<'json'>
          ? JsonObject
          : T extends EnumSpec<infer V>
            ? V | typeof UNKNOWN_ENUM_VALUE
            : T extends ListSpec<infer I>
              ? Array<Infer<I>>
              : T extends ObjectSpec<infer F>
                ? InferObject<F>
                : never;

type RequiredKeys<F extends Fields> = {
  [K in keyof F]: F[K] extends { required: true } ? K : never;
}[keyof F];

export type InferObject<F extends Fields> = {
  -readonly [K in RequiredKeys<F>]: Infer<F[K]['type']>;
} & {
  -readonly [K in Exclude<keyof F, RequiredKeys<F>>]?: Infer<F[K]['type']> | null;
} & ParsedObject;

/**
 * Keys of a parsed object whose upstream value did not match the documented type. The value is
 * null in the parsed object; the schema answers such a field with an `UPSTREAM_BAD_RESPONSE`
 * error at its path instead of a silent null.
 */
export const INVALID_KEYS: unique symbol = Symbol('ack.invalidKeys');

export interface ParsedObject {
  [INVALID_KEYS]?: Set<string>;
}

// Constructors: short, so the model tables read like the documentation.
export const id: ScalarSpec<'id'> = { kind: 'id' };
export const string: ScalarSpec<'string'> = { kind: 'string' };
export const int: ScalarSpec<'int'> = { kind: 'int' };
export const float: ScalarSpec<'float'> = { kind: 'float' };
export const boolean: ScalarSpec<'boolean'> = { kind: 'boolean' };
export const datetime: ScalarSpec<'datetime'> = { kind: 'datetime' };
export const json: ScalarSpec<'json'> = { kind: 'json' };

export const listOf = <I extends TypeSpec>(of: I): ListSpec<I> => ({ kind: 'list', of });

export const enumOf = <const V extends string>(
  name: string,
  description: string,
  values: { readonly [W in V]: string },
): EnumSpec<V> => ({ kind: 'enum', name, description, values });

export const object = <const F extends Fields>(
  name: string,
  description: string,
  fields: F,
): ObjectSpec<F> => ({ kind: 'object', name, description, fields });

type FieldOptions = Omit<FieldSpec, 'type' | 'description'>;

export const field = <T extends TypeSpec, const O extends FieldOptions = {}>(
  type: T,
  description: string,
  options?: O,
): FieldSpec<T> & NoInfer<O> => ({ type, description, ...options }) as FieldSpec<T> & NoInfer<O>;

/**
 * `fields` without `keys`, in their order: for an answer that carries a subset of another's keys
 * with the same meanings, so those meanings are written once.
 */
export const omitFields = <F extends Fields, const K extends keyof F & string>(
  fields: F,
  keys: readonly K[],
): Omit<F, K> => {
  const omitted = new Set<string>(keys);
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !omitted.has(key))) as Omit<F, K>;
};
