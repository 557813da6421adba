import type { FieldSpec, ObjectSpec, TypeSpec } from '../../src/ack/model/dsl.js';
import { camelCase, screamingCase } from '../../src/schema/ack-types.js';

/**
 * Helpers that read the model tables to build a query selecting every documented field, and to
 * compute what the gateway must answer for a given upstream JSON object. They use the tables
 * only for names and types; the values come from the simulator's wire JSON.
 */

const entries = (spec: ObjectSpec) => Object.entries(spec.fields as Record<string, FieldSpec>);
const fieldName = (key: string, field: FieldSpec) => field.graphqlName ?? camelCase(key);

function innerObject(type: TypeSpec): ObjectSpec | undefined {
  if (type.kind === 'object') return type;
  if (type.kind === 'list') return innerObject(type.of);
  return undefined;
}

/** A selection set with every field of `spec`, nested objects included. */
export function selectAll(spec: ObjectSpec): string {
  return `{ ${entries(spec)
    .map(([key, field]) => {
      const inner = innerObject(field.type);
      return inner ? `${fieldName(key, field)} ${selectAll(inner)}` : fieldName(key, field);
    })
    .join(' ')} }`;
}

function read(source: Record<string, unknown>, key: string, field: FieldSpec): unknown {
  let value: unknown = source;
  for (const segment of field.from ?? [key]) {
    value = (value as Record<string, unknown> | undefined)?.[segment];
  }
  return value;
}

function expectedValue(type: TypeSpec, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  // Free text keeps ACK's empty strings; every typed value reads "" as "not set".
  if (type.kind === 'id' || type.kind === 'string') return String(value);
  if (value === '') return null;
  switch (type.kind) {
    case 'int':
    case 'float':
      return Number(value);
    case 'boolean':
      return value === true || value === 'true';
    case 'datetime':
      return new Date(String(value)).toISOString();
    case 'json':
      return value;
    case 'enum':
      return Object.hasOwn(type.values, String(value)) ? screamingCase(String(value)) : 'UNKNOWN';
    case 'list':
      return (value as unknown[]).map((item) => expectedValue(type.of, item));
    case 'object':
      return expectedObject(type, value as Record<string, unknown>);
  }
}

/** What the gateway must answer for `source` selected with `selectAll(spec)`. */
export function expectedObject(spec: ObjectSpec, source: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, field] of entries(spec)) {
    result[fieldName(key, field)] = expectedValue(field.type, read(source, key, field));
  }
  return result;
}

/** Every JSON key path the table describes, for coverage checks. */
export function keyPaths(spec: ObjectSpec, prefix = ''): string[] {
  return entries(spec).flatMap(([key, field]) => {
    const path = field.from ? field.from.join('.') : `${prefix}${key}`;
    const inner = innerObject(field.type);
    return inner ? [path, ...keyPaths(inner, `${path}${field.type.kind === 'list' ? '[]' : ''}.`)] : [path];
  });
}
