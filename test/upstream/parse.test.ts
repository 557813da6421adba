import { describe, expect, it } from 'vitest';
import {
  boolean,
  datetime,
  enumOf,
  field,
  float,
  INVALID_KEYS,
  id,
  int,
  json,
  listOf,
  object,
  omitFields,
  string,
} from '../../src/ack/model/dsl.js';
import { type ParseIssue, parseObject } from '../../src/ack/model/parse.js';
import { fieldsOf, readPath, type TypeVisitor, visitType } from '../../src/ack/model/walk.js';

const Color = enumOf('Color', 'A colour.', { red: 'Red.', dark_blue: 'Dark blue.' });
const Inner = object('Inner', 'Inner.', { n: field(int, 'A count.') });
const Spec = object('Thing', 'A thing.', {
  thing_id: field(id, 'Id.', { from: ['info', 'id'], required: true }),
  name: field(string, 'Name.'),
  count: field(int, 'Count.'),
  ratio: field(float, 'Ratio.'),
  flag: field(boolean, 'Flag.'),
  at: field(datetime, 'When.'),
  map: field(json, 'Map.'),
  color: field(Color, 'Colour.'),
  tags: field(listOf(string), 'Tags.'),
  inner: field(Inner, 'Inner.'),
  inners: field(listOf(Inner), 'Inners.'),
});

function parse(source: Record<string, unknown>) {
  const issues: ParseIssue[] = [];
  const result = parseObject<Record<string, unknown> & { [INVALID_KEYS]?: Set<string> }>(
    Spec,
    source,
    '',
    issues,
  );
  return { result, issues };
}

describe('parseObject', () => {
  it('reads every documented type and hoists values from their `from` path', () => {
    const { result, issues } = parse({
      info: { id: 'np1' },
      name: 'pool',
      count: 3,
      ratio: '0.5',
      flag: 'true',
      at: '2025-04-15T16:33:29.362888807+08:00',
      map: { a: 1 },
      color: 'dark_blue',
      tags: ['a', 'b'],
      inner: { n: '7' },
      inners: [{ n: 1 }, { n: 2 }],
      unknown_field: 'dropped',
    });
    expect(issues).toEqual([]);
    expect(result).toEqual({
      thing_id: 'np1',
      name: 'pool',
      count: 3,
      ratio: 0.5,
      flag: true,
      at: '2025-04-15T16:33:29.362888807+08:00',
      map: { a: 1 },
      color: 'dark_blue',
      tags: ['a', 'b'],
      inner: { n: 7 },
      inners: [{ n: 1 }, { n: 2 }],
    });
  });

  it('keeps the SDK leniency: numbers and booleans into strings, empty strings as null', () => {
    const { result, issues } = parse({ info: { id: 42 }, name: true, count: '', flag: '', color: '' });
    expect(issues).toEqual([]);
    expect(result).toMatchObject({ thing_id: '42', name: 'true', count: null, flag: null, color: null });
  });

  it('answers a wire value it does not know with UNKNOWN instead of failing', () => {
    expect(parse({ info: { id: 'x' }, color: 'ultraviolet' }).result?.color).toBe('UNKNOWN');
  });

  it('nulls only the odd fields and remembers which ones, where the SDK fails the whole call', () => {
    const { result, issues } = parse({
      info: { id: 'np1' },
      name: 'ok',
      count: 'many',
      ratio: '1e3x',
      flag: 'TRUE',
      at: 'yesterday',
      map: 'not-a-map',
      color: 7,
      tags: 'ecs.g7.large',
      inner: { n: '-1' },
      inners: [{ n: 1 }, 'oops'],
    });
    expect(result?.name).toBe('ok');
    expect(result?.inner).toEqual({ n: -1 });
    for (const key of ['count', 'ratio', 'flag', 'at', 'map', 'color', 'tags', 'inners']) {
      expect(result?.[key], key).toBeNull();
      expect(result?.[INVALID_KEYS]?.has(key), key).toBe(true);
    }
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['at', 'color', 'count', 'flag', 'inners', 'map', 'ratio', 'tags'].sort(),
    );
    // Issues name the path and the expected type, never the value.
    expect(JSON.stringify(issues)).not.toContain('many');
  });

  it("reads ints only within GraphQL's 32-bit Int, from numbers and integer strings", () => {
    const read = (count: unknown) => {
      const { result } = parse({ info: { id: 'np1' }, count });
      return { count: result?.count, invalid: result?.[INVALID_KEYS]?.has('count') ?? false };
    };
    expect(read(2 ** 31 - 1)).toEqual({ count: 2 ** 31 - 1, invalid: false });
    expect(read(String(-(2 ** 31)))).toEqual({ count: -(2 ** 31), invalid: false });
    for (const odd of [2 ** 31, -(2 ** 31) - 1, '3000000000', Number.MAX_SAFE_INTEGER, 1.5, '1.5', true]) {
      expect(read(odd), String(odd)).toEqual({ count: null, invalid: true });
    }
  });

  it('rejects an object whose required value is missing', () => {
    const { result, issues } = parse({ name: 'orphan' });
    expect(result).toBeNull();
    expect(issues).toEqual([{ path: 'thing_id', expected: 'id' }]);
  });
});

describe('the field walker', () => {
  it('describes each field once, with its GraphQL name, JSON path and the object a selection enters', () => {
    const Secret = object('Secret', 'A secret.', {
      script_text: field(string, 'Script.', { sensitive: true, deprecated: 'Use `other`.' }),
    });
    const fields = fieldsOf(object('Holder', 'Holder.', { ...Spec.fields, secret: field(Secret, 'S.') }));
    expect(fieldsOf(Spec)).toBe(fieldsOf(Spec));
    const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));
    expect(byKey.thing_id).toMatchObject({
      name: 'thingId',
      path: ['info', 'id'],
      hoisted: true,
      required: true,
      sensitive: false,
      object: undefined,
    });
    expect(byKey.inners).toMatchObject({ name: 'inners', path: ['inners'], hoisted: false, object: Inner });
    expect(byKey.inner?.object).toBe(Inner);
    expect(fieldsOf(Secret)[0]).toMatchObject({
      name: 'scriptText',
      sensitive: true,
      deprecated: 'Use `other`.',
    });
    expect(fields.map((f) => f.key)).toEqual([...Object.keys(Spec.fields), 'secret']);
  });

  it('hands each kind of type to its own handler, with the arguments of the walk', () => {
    const kinds: TypeVisitor<string, [depth: number]> = {
      scalar: (type, depth) => `${type.kind}@${depth}`,
      enum: (type) => `enum ${type.name}`,
      list: (type, depth) => `[${visitType(type.of, kinds, depth + 1)}]`,
      object: (type) => `object ${type.name}`,
    };
    expect(fieldsOf(Spec).map((f) => visitType(f.type, kinds, 0))).toEqual([
      'id@0',
      'string@0',
      'int@0',
      'float@0',
      'boolean@0',
      'datetime@0',
      'json@0',
      'enum Color',
      '[string@1]',
      'object Inner',
      '[object Inner]',
    ]);
  });

  it('reads a JSON path, and nothing through a value that is not an object', () => {
    expect(readPath({ info: { id: 'np1' } }, ['info', 'id'])).toBe('np1');
    expect(readPath({ info: ['np1'] }, ['info', '0'])).toBeUndefined();
    expect(readPath({ info: 'np1' }, ['info', 'length'])).toBeUndefined();
  });

  it('derives a table without some keys, in the original order', () => {
    expect(Object.keys(omitFields(Spec.fields, ['count', 'tags']))).toEqual([
      'thing_id',
      'name',
      'ratio',
      'flag',
      'at',
      'map',
      'color',
      'inner',
      'inners',
    ]);
  });
});
