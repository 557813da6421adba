import { describe, expect, it } from 'vitest';
import { FairQueue, QueueFullError } from '../../src/ack/fair-queue.js';

/** A task the test finishes by hand, remembering when it started. */
interface Gate {
  name: string;
  started: boolean;
  finish: () => void;
  task: () => Promise<string>;
}

function gate(name: string, started: string[]): Gate {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const g: Gate = {
    name,
    started: false,
    finish: () => finish(),
    task: async () => {
      g.started = true;
      started.push(name);
      await done;
      return name;
    },
  };
  return g;
}

/** Lets every settled promise's handlers run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A promise's outcome without waiting for it. */
function track<T>(promise: Promise<T>) {
  const state: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { value, settled: true }),
    (error: unknown) => Object.assign(state, { error, settled: true }),
  );
  return state;
}

describe('FairQueue', () => {
  it("runs another caller's call after at most one slot while one caller has 200 queued, and never refuses it", async () => {
    const started: string[] = [];
    const queue = new FairQueue({ limit: 2, maxQueue: 256, maxQueuePerCaller: 64 });
    const a = Array.from({ length: 200 }, (_, i) => gate(`a${i}`, started));
    const aResults = a.map((g) => track(queue.run('A', g.task)));
    const b = gate('b', started);
    const bResult = track(queue.run('B', b.task));
    await flush();

    // A's calls past its share (2 running + 64 waiting) are refused at once; B's is not.
    expect(aResults.filter((r) => r.error instanceof QueueFullError)).toHaveLength(200 - 2 - 64);
    expect(aResults.slice(66).every((r) => (r.error as QueueFullError).reason === 'caller')).toBe(true);
    expect(bResult.settled).toBe(false);
    expect(queue.queued).toBe(65);
    expect(started).toEqual(['a0', 'a1']);

    // Two slots free up: the first goes to A (first in the round), the second to B.
    a[0]?.finish();
    a[1]?.finish();
    await flush();
    expect(started).toEqual(['a0', 'a1', 'a2', 'b']);
    b.finish();
    await flush();
    expect(bResult).toEqual({ value: 'b', settled: true });
    expect(aResults[0]).toEqual({ value: 'a0', settled: true });
  });

  it('refuses a caller past its own cap at once with QueueFull, while others still queue', async () => {
    const started: string[] = [];
    const queue = new FairQueue({ limit: 1, maxQueue: 10, maxQueuePerCaller: 2 });
    const results = ['a0', 'a1', 'a2', 'a3'].map((name) => track(queue.run('A', gate(name, started).task)));
    const other = track(queue.run('B', gate('b0', started).task));
    await flush();
    expect(results.map((r) => r.settled)).toEqual([false, false, false, true]);
    expect(results[3]?.error).toBeInstanceOf(QueueFullError);
    expect(results[3]?.error).toMatchObject({ caller: 'A', reason: 'caller' });
    expect(other.settled).toBe(false);
    expect(queue.queuedFor('A')).toBe(2);
    expect(queue.queuedFor('B')).toBe(1);
  });

  it('hands free slots out round-robin across callers, first in first out within one', async () => {
    const started: string[] = [];
    const queue = new FairQueue({ limit: 1, maxQueue: 100, maxQueuePerCaller: 100 });
    const gates = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'c1'].map((name) => gate(name, started));
    for (const g of gates) queue.run(g.name.slice(0, 1), g.task);
    for (let i = 0; i < gates.length; i++) {
      await flush();
      gates.find((g) => g.name === started[i])?.finish();
    }
    await flush();
    // a1 ran at once; then one per caller per round, in the order the callers arrived.
    expect(started).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'b2', 'b3']);
    expect(queue.inFlight).toBe(0);
    expect(queue.queued).toBe(0);
  });

  it("when the whole queue is full, a lighter caller takes the busiest caller's newest place", async () => {
    const started: string[] = [];
    const queue = new FairQueue({ limit: 1, maxQueue: 4, maxQueuePerCaller: 4 });
    track(queue.run('A', gate('a0', started).task));
    const queuedA = ['a1', 'a2', 'a3', 'a4'].map((name) => track(queue.run('A', gate(name, started).task)));
    const b = track(queue.run('B', gate('b1', started).task));
    await flush();
    expect(queuedA.map((r) => r.settled)).toEqual([false, false, false, true]);
    expect(queuedA[3]?.error).toMatchObject({ caller: 'A', reason: 'total' });
    expect(b.settled).toBe(false);
    expect([queue.queuedFor('A'), queue.queuedFor('B')]).toEqual([3, 1]);

    // A's own next call finds no lighter caller to displace: refused.
    const again = track(queue.run('A', gate('a5', started).task));
    await flush();
    expect(again.error).toMatchObject({ caller: 'A', reason: 'total' });
    // Callers holding about as much as each other never evict each other.
    const c1 = track(queue.run('C', gate('c1', started).task));
    await flush();
    expect(c1.settled).toBe(false);
    expect([queue.queuedFor('A'), queue.queuedFor('C')]).toEqual([2, 1]);
    const c2 = track(queue.run('C', gate('c2', started).task));
    await flush();
    expect(c2.error).toMatchObject({ caller: 'C', reason: 'total' });
  });

  it('with no room to wait, refuses every call that finds all slots busy', async () => {
    const started: string[] = [];
    const queue = new FairQueue({ limit: 1, maxQueue: 0, maxQueuePerCaller: 64 });
    const first = gate('first', started);
    const running = track(queue.run('A', first.task));
    const refused = track(queue.run('B', gate('second', started).task));
    await flush();
    expect(refused.error).toMatchObject({ reason: 'caller' });
    first.finish();
    await flush();
    expect(running.value).toBe('first');
    expect(started).toEqual(['first']);
  });

  it('starts nothing during a pause, then resumes by itself', async () => {
    const started: string[] = [];
    const queue = new FairQueue({ limit: 4, maxQueue: 10, maxQueuePerCaller: 10 });
    const pausedAt = performance.now();
    queue.pauseUntil(pausedAt + 150);
    const g = gate('late', started);
    const result = queue.run('A', g.task);
    await flush();
    expect(started).toEqual([]);
    expect(queue.queued).toBe(1);
    g.finish();
    expect(await result).toBe('late');
    expect(performance.now() - pausedAt).toBeGreaterThanOrEqual(145);
  });

  it('a lower limit holds new calls back until enough running calls end; a higher one releases them', async () => {
    const started: string[] = [];
    const queue = new FairQueue({ limit: 3, maxQueue: 10, maxQueuePerCaller: 10 });
    const gates = ['g0', 'g1', 'g2', 'g3', 'g4'].map((name) => gate(name, started));
    for (const g of gates) queue.run('A', g.task);
    await flush();
    expect(started).toEqual(['g0', 'g1', 'g2']);
    queue.setLimit(1);
    gates[0]?.finish();
    gates[1]?.finish();
    await flush();
    // Two ended, one still runs: at limit 1 nothing new starts.
    expect(started).toEqual(['g0', 'g1', 'g2']);
    queue.setLimit(3);
    await flush();
    expect(started).toEqual(['g0', 'g1', 'g2', 'g3', 'g4']);
  });

  it('passes a failing task on and frees its slot', async () => {
    const queue = new FairQueue({ limit: 1, maxQueue: 1, maxQueuePerCaller: 1 });
    await expect(queue.run('A', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(queue.inFlight).toBe(0);
    await expect(queue.run('A', async () => 'next')).resolves.toBe('next');
  });
});
