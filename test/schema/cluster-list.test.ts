import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, planPage } from '../../src/schema/cluster-list.js';

describe('planPage', () => {
  it('finds the one upstream page that holds the requested range', () => {
    for (let start = 0; start < 300; start += 7) {
      for (const count of [1, 5, 20, 33, 100]) {
        const { pageNumber, pageSize } = planPage(start, count);
        const pageStart = (pageNumber - 1) * pageSize;
        expect(pageSize).toBeLessThanOrEqual(100);
        expect(pageStart).toBeLessThanOrEqual(start);
        // Either the whole range fits, or the page starts the range and is as large as allowed.
        const fits = start + count <= pageStart + pageSize;
        expect(fits || pageSize === 100).toBe(true);
      }
    }
    expect(planPage(40, 20)).toEqual({ pageNumber: 3, pageSize: 20 });
  });
});

describe('cursors', () => {
  it('round-trip, are opaque, and only continue the list they came from', () => {
    const filter = { regionId: 'cn-beijing' };
    const cursor = encodeCursor(42, filter);
    expect(cursor).not.toContain('42');
    expect(decodeCursor(cursor, filter, 'after')).toBe(42);
    expect(() => decodeCursor(cursor, {}, 'after')).toThrow(/another filter/);
    expect(() => decodeCursor('garbage', filter, 'after')).toThrow(/not a cursor/);
  });
});
