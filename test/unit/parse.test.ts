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
  string,
} from '../../src/ack/model/dsl.js';
import { type ParseIssue, parseObject } from '../../src/ack/model/parse.js';

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

  it('rejects an object whose required value is missing', () => {
    const { result, issues } = parse({ name: 'orphan' });
    expect(result).toBeNull();
    expect(issues).toEqual([{ path: 'thing_id', expected: 'id' }]);
  });
});
