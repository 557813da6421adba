import type { ObjectSpec, TypeSpec } from '../../src/ack/model/dsl.js';
import { fieldsOf, readPath, type TypeVisitor, visitType } from '../../src/ack/model/walk.js';
import { ackSelection, screamingCase } from '../../src/schema/ack-types.js';

/**
 * Helpers that read the model tables to build a query selecting every documented field, and to
 * compute what the gateway must answer for a given upstream JSON object. They use the tables
 * only for names and types; the values come from the simulator's wire JSON.
 */

/** A selection set with every field of `spec`, nested objects included. */
export const selectAll = (spec: ObjectSpec): string => ackSelection(spec);

const expected: TypeVisitor<unknown, [value: unknown]> = {
  scalar(type, value) {
    switch (type.kind) {
      case 'id':
      case 'string':
        return String(value);
      case 'int':
      case 'float':
        return Number(value);
      case 'boolean':
        return value === true || value === 'true';
      case 'datetime':
        return new Date(String(value)).toISOString();
      case 'json':
        return value;
    }
  },
  enum: (type, value) =>
    Object.hasOwn(type.values, String(value)) ? screamingCase(String(value)) : 'UNKNOWN',
  list: (type, value) => (value as unknown[]).map((item) => expectedValue(type.of, item)),
  object: (type, value) => expectedObject(type, value as Record<string, unknown>),
};

function expectedValue(type: TypeSpec, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  // Free text keeps ACK's empty strings; every typed value reads "" as "not set".
  if (value === '' && type.kind !== 'id' && type.kind !== 'string') return null;
  return visitType(type, expected, value);
}

/** What the gateway must answer for `source` selected with `selectAll(spec)`. */
export function expectedObject(spec: ObjectSpec, source: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fieldsOf(spec)) {
    result[field.name] = expectedValue(field.type, readPath(source, field.path));
  }
  return result;
}

/** Every JSON key path the table describes, for coverage checks. */
export function keyPaths(spec: ObjectSpec, prefix = ''): string[] {
  return fieldsOf(spec).flatMap((field) => {
    const path = field.hoisted ? field.path.join('.') : `${prefix}${field.key}`;
    return field.object
      ? [path, ...keyPaths(field.object, `${path}${field.type.kind === 'list' ? '[]' : ''}.`)]
      : [path];
  });
}
