import { describe, expect, it } from 'vitest';
import { createExecutionGate } from '../../src/http/execution-gate.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the execution gate', () => {
  it('runs at most its limit at once, the rest in arrival order, and passes results and failures on', async () => {
    const gate = createExecutionGate(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const work = (index: number) =>
      gate(async () => {
        started.push(index);
        running += 1;
        most = Math.max(most, running);
        await sleep(10);
        running -= 1;
        if (index === 3) throw new Error('three failed');
        return index;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(work));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'failed'))).toEqual([
      0,
      1,
      2,
      'failed',
      4,
      5,
    ]);
    // A failure frees its slot like a success: the gate takes new work at once.
    expect(await gate(async () => 'after')).toBe('after');
  });

  it('does not limit with 0', async () => {
    const gate = createExecutionGate(0);
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        gate(async () => {
          running += 1;
          most = Math.max(most, running);
          await sleep(5);
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(10);
  });
});
