import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AckError } from '../../src/ack/errors.js';
import { INVALID_KEYS } from '../../src/ack/model/dsl.js';
import { AckNodePoolSpec } from '../../src/ack/model/node-pool.js';
import { type ParseIssue, parseObject } from '../../src/ack/model/parse.js';
import {
  decodeNotice,
  decodeRecord,
  decodeValue,
  encodeNotice,
  encodeRecord,
  encodeValue,
  UnshareableValue,
} from '../../src/ack/shared-codec.js';

/**
 * What a replica reads from Redis must be exactly what the replica that asked ACK built: the
 * same keys in the same order, `undefined` kept, `-0` kept, and the `INVALID_KEYS` set that makes
 * the schema answer a malformed field with an error instead of a silent null.
 */

/** Differences between two values, down to prototypes, own keys (symbols too), Sets and -0. */
function differences(a: unknown, b: unknown, path = '$'): string[] {
  if (Object.is(a, b)) return [];
  if (a instanceof Set && b instanceof Set) {
    const left = [...a];
    const right = [...b];
    return left.length === right.length && left.every((item, index) => Object.is(item, right[index]))
      ? []
      : [`${path}: sets differ`];
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return [`${path}: ${String(a)} !== ${String(b)}`];
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return [`${path}: prototypes differ`];
  if (Array.isArray(a) !== Array.isArray(b)) return [`${path}: array vs object`];
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.length !== keysB.length || keysA.some((key, index) => key !== keysB[index])) {
    return [`${path}: keys ${keysA.map(String).join(',')} vs ${keysB.map(String).join(',')}`];
  }
  return keysA.flatMap((key) =>
    differences(
      (a as Record<string | symbol, unknown>)[key],
      (b as Record<string | symbol, unknown>)[key],
      `${path}.${String(key)}`,
    ),
  );
}

const roundTrip = (value: object) => {
  const record = decodeRecord(encodeRecord({ kind: 'answer', at: 1_700_000_000_123, value }));
  if (record?.kind !== 'answer') throw new Error('no answer record');
  return record.value;
};

const documentPools = (
  JSON.parse(readFileSync('test/fixtures/doc-example-nodepools.json', 'utf8')) as {
    nodepools: Record<string, unknown>[];
  }
).nodepools;

function parsePool(source: Record<string, unknown>) {
  const issues: ParseIssue[] = [];
  return { pool: parseObject<Record<string, unknown>>(AckNodePoolSpec, source, '', issues), issues };
}

describe('shared-tier codec', () => {
  it('round-trips a parsed node pool exactly, INVALID_KEYS included at every depth', () => {
    const source = structuredClone(documentPools[0]) as Record<string, Record<string, unknown>>;
    // Values that do not fit their documented type, at the top and nested.
    source.nodepool_info = { ...source.nodepool_info, name: { not: 'a string' } };
    source.status = { ...source.status, total_nodes: 'many' };
    source.scaling_group = { ...source.scaling_group, system_disk_size: true };
    const { pool, issues } = parsePool(source);
    expect(issues.length).toBeGreaterThanOrEqual(3);
    expect(pool?.[INVALID_KEYS as never]).toBeInstanceOf(Set);
    const value = { clusterId: 'c1', requestId: undefined, observedAt: 1, nodePools: [pool] };
    const back = roundTrip(value);
    expect(differences(value, back)).toEqual([]);
    const pools = (back as { nodePools: Record<symbol, Set<string>>[] }).nodePools;
    const invalid = (pool as Record<symbol, Set<string>> | null)?.[INVALID_KEYS];
    expect([...(pools[0]?.[INVALID_KEYS] ?? [])]).toEqual([...(invalid ?? [])]);
  });

  it('round-trips every node pool of the documentation example', () => {
    for (const source of documentPools) {
      const { pool } = parsePool(source);
      expect(pool).not.toBeNull();
      expect(differences(pool, roundTrip(pool as object))).toEqual([]);
    }
  });

  it('keeps keys that look like its own markers, __proto__, -0, undefined and odd strings', () => {
    const value = {
      $: 'dollar',
      $i: ['not', 'invalid keys'],
      $$x: 1,
      ['__proto__']: { polluted: true },
      negativeZero: -0,
      nothing: undefined,
      list: [undefined, -0, null, '\u0000', '\ud800'],
      json: JSON.parse('{"__proto__": {"a": 1}, "$": {"$": "u"}}'),
    };
    Object.defineProperty(value, '__proto__', { value: { own: true }, enumerable: true });
    const back = roundTrip(value);
    expect(differences(value, back)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('round-trips arbitrary JSON-like values (property)', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('$', '$i', '$$', '$u', '__proto__', 'constructor'));
    const leaf = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.double(),
      fc.integer(),
      fc.constant(-0),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('tree'), { maxLength: 4 }),
      object: fc
        .tuple(
          fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }),
          fc.option(fc.uniqueArray(fc.string(), { maxLength: 3 }), { nil: undefined }),
        )
        .map(([entries, invalid]) => {
          const out: Record<string | symbol, unknown> = {};
          for (const [k, v] of entries) {
            Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          }
          if (invalid) out[INVALID_KEYS] = new Set(invalid);
          return out;
        }),
    }));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), tree, { noNullPrototype: true }), (value) => {
        expect(differences(value, roundTrip(value))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what it cannot write faithfully', () => {
    expect(() => encodeValue({ when: new Date() })).toThrow(UnshareableValue);
    expect(() => encodeValue({ f: () => 1 })).toThrow(UnshareableValue);
    expect(() => encodeValue({ big: 1n })).toThrow(UnshareableValue);
    expect(() => encodeValue({ [Symbol('other')]: 1 })).toThrow(UnshareableValue);
    expect(() => encodeValue(Object.create(null))).toThrow(UnshareableValue);
  });

  it('starts every record with its time, so Redis can keep the newer of two writes', () => {
    const at = 1_700_000_000_999;
    expect(encodeRecord({ kind: 'answer', at, value: {} })).toMatch(/^\{"at":1700000000999,/);
    expect(encodeRecord({ kind: 'not_shared', at })).toMatch(/^\{"at":1700000000999,/);
    const error = new AckError('NOT_FOUND', 'ACK answered ErrorClusterNotFound.', {
      upstreamCode: 'ErrorClusterNotFound',
      statusCode: 404,
      requestId: 'r-1',
    });
    const record = decodeRecord(encodeRecord({ kind: 'not_found', at, error }));
    expect(record).toMatchObject({ kind: 'not_found', at });
    expect(record?.kind === 'not_found' && record.error).toBeInstanceOf(AckError);
    expect(record?.kind === 'not_found' && record.error.details).toEqual(error.details);
  });

  it('reads an unknown version, a torn write or a foreign value as absent', () => {
    expect(decodeRecord('{"at":1,"v":2,"kind":"answer","value":{}}')).toBeUndefined();
    expect(decodeRecord('{"at":1,"v":1,"kind":"answer","value":{"a"')).toBeUndefined();
    expect(decodeRecord('hello')).toBeUndefined();
    expect(decodeRecord('{"at":1,"v":1,"kind":"answer","value":{"$":"nope"}}')).toBeUndefined();
    expect(() => decodeValue({ $: 'nope' })).toThrow();
  });

  it('carries an error notice with its safe details only', () => {
    const error = new AckError('UNAVAILABLE', 'ACK failed with HTTP 503.', {
      upstreamCode: 'ServiceUnavailable',
      retryable: true,
      scope: 'resource',
    });
    const notice = decodeNotice(encodeNotice({ outcome: 'error', error }));
    expect(notice.outcome).toBe('error');
    if (notice.outcome !== 'error') return;
    expect(notice.error).toBeInstanceOf(AckError);
    expect([notice.error.kind, notice.error.message, notice.error.details]).toEqual([
      error.kind,
      error.message,
      error.details,
    ]);
    expect(decodeNotice('garbage')).toEqual({ outcome: 'failed' });
    expect(decodeNotice(encodeNotice({ outcome: 'stored' }))).toEqual({ outcome: 'stored' });
  });
});
