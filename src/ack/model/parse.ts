import {
  INVALID_KEYS,
  type JsonObject,
  type ObjectSpec,
  type ParsedObject,
  type ScalarSpec,
  type TypeSpec,
  UNKNOWN_ENUM_VALUE,
} from './dsl.js';
import {
  fieldsOf,
  isPlainObject,
  readPath,
  type TypeVisitor,
  visitType,
  withFastProperties,
} from './walk.js';

/**
 * Reads one upstream JSON value against its model table, leniently and locally.
 *
 * The SDK's typed models drop unknown fields and throw on a single odd value for the whole call.
 * Here a value that does not fit its documented type is dropped on its own: the field becomes
 * null and its key is remembered in `INVALID_KEYS`, so the schema can answer that one field with
 * an `UPSTREAM_BAD_RESPONSE` error while the rest of the object, and every other object, stays
 * intact. Only a missing `required` value rejects its object (see `parseObject`).
 */

/** Sentinel for "this value does not fit its spec". */
const INVALID: unique symbol = Symbol('invalid');
type Parsed = unknown;

/** A problem found while reading an upstream value: where, and what was expected. */
export interface ParseIssue {
  path: string;
  expected: string;
}

const INTEGER_PATTERN = /^-?\d+$/;
const NUMBER_PATTERN = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
/** RFC 3339 date-time; ACK adds up to nine fractional digits and an offset. */
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * GraphQL's Int is 32-bit: a larger value does not fit the field (UPSTREAM_BAD_RESPONSE on it, as
 * any other value of the wrong type), and every int handed out is one the answer writes as is.
 */
const isGraphQLInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value <= 2 ** 31 - 1;

function parseScalar(spec: ScalarSpec, value: unknown): Parsed | typeof INVALID {
  switch (spec.kind) {
    case 'id':
    case 'string':
      if (typeof value === 'string') return value;
      // The SDK's models turn numbers and booleans into strings too: keep that leniency.
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return INVALID;
    case 'int': {
      if (value === '') return null;
      const number = typeof value === 'string' && INTEGER_PATTERN.test(value) ? Number(value) : value;
      return isGraphQLInt(number) ? number : INVALID;
    }
    case 'float':
      if (typeof value === 'number') return Number.isFinite(value) ? value : INVALID;
      if (typeof value === 'string') {
        if (value === '') return null;
        return NUMBER_PATTERN.test(value) ? Number(value) : INVALID;
      }
      return INVALID;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      // ACK sends some flags as strings (`data_disks[].encrypted`).
      if (value === 'true') return true;
      if (value === 'false') return false;
      if (value === '') return null;
      return INVALID;
    case 'datetime':
      if (value === '') return null;
      return typeof value === 'string' && DATE_TIME_PATTERN.test(value) && !Number.isNaN(Date.parse(value))
        ? value
        : INVALID;
    case 'json':
      return isPlainObject(value) ? (value as JsonObject) : INVALID;
  }
}

const parser: TypeVisitor<Parsed | typeof INVALID, [value: unknown, path: string, issues: ParseIssue[]]> = {
  scalar: parseScalar,
  enum(spec, value) {
    if (typeof value !== 'string') return INVALID;
    if (value === '') return null;
    return Object.hasOwn(spec.values, value) ? value : UNKNOWN_ENUM_VALUE;
  },
  list(spec, value, path, issues) {
    if (!Array.isArray(value)) return INVALID;
    const items: Parsed[] = [];
    for (let index = 0; index < value.length; index++) {
      const item = parseValue(spec.of, value[index], `${path}[${index}]`, issues);
      // A list has no room for a hole: one unreadable item makes the list unreadable.
      if (item === INVALID || item === null) return INVALID;
      items.push(item);
    }
    return items;
  },
  object: (spec, value, path, issues) =>
    isPlainObject(value) ? (parseObject(spec, value, path, issues) ?? INVALID) : INVALID,
};

function parseValue(
  spec: TypeSpec,
  value: unknown,
  path: string,
  issues: ParseIssue[],
): Parsed | typeof INVALID {
  if (value === null || value === undefined) return null;
  return visitType(spec, parser, value, path, issues);
}

const describer: TypeVisitor<string> = {
  scalar: (spec) => spec.kind,
  enum: (spec) => `enum ${spec.name}`,
  list: (spec) => `list of ${describeType(spec.of)}`,
  object: (spec) => `object ${spec.name}`,
};

const describeType = (spec: TypeSpec): string => visitType(spec, describer);

/**
 * Parses `source` against `spec`. Returns null when a `required` field is missing or unreadable
 * (the object cannot be addressed); every other problem only nulls its own field.
 */
export function parseObject<T extends ParsedObject>(
  spec: ObjectSpec,
  source: Record<string, unknown>,
  path: string,
  issues: ParseIssue[],
): T | null {
  const result: Record<string, unknown> & ParsedObject = {};
  for (const { key, path: jsonPath, type, required } of fieldsOf(spec)) {
    const fieldPath = path ? `${path}.${key}` : key;
    const value = parseValue(type, readPath(source, jsonPath), fieldPath, issues);
    if (value === INVALID || (value === null && required)) {
      issues.push({ path: fieldPath, expected: describeType(type) });
      if (required) return null;
      result[key] = null;
      result[INVALID_KEYS] ??= new Set();
      result[INVALID_KEYS].add(key);
    } else {
      result[key] = value;
    }
  }
  return withFastProperties(result) as T;
}
