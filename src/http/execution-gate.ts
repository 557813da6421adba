/**
 * At most `limit` executions at once, the others waiting in arrival order (0: no limit). The
 * gateway's executions over warm data are CPU work on one thread: past a few at once, running
 * more only interleaves them, so every one takes as long as all together, and each one's
 * intermediate objects outlive young-generation collections and fill the old one. Waiting in
 * line instead keeps latency in arrival order and the heap small. Waiters are bounded by the
 * server's connection cap and body limit.
 *
 * Every execution starts from its own turn of the event loop (`setImmediate`), one per turn.
 * Over warm data an execution finishes in promise jobs alone: started in the callback of the
 * socket that brought it, or handed straight to the next waiter, each ran to its end before the
 * loop polled again, so a saturated gateway worked through every request it had read in one
 * turn. libuv accepts one connection per turn: new connections (a client, a readiness probe)
 * waited seconds in the kernel's queue, and timers fired late. One start per turn lets the loop
 * accept, read and write between executions; it costs one turn (microseconds) when idle.
 *
 * A waiter nobody wants any more (`wanted` says false when its turn comes: the caller hung up)
 * is dropped unstarted, with {@link AbandonedError}: under overload, callers that gave up would
 * otherwise be executed anyway, spending the CPU and the ACK calls of those still waiting.
 */
export function createExecutionGate(limit: number, onDrop?: () => void) {
  let running = 0;
  const waiting: Waiter[] = [];
  let scheduled = false;

  const startNext = () => {
    scheduled = false;
    if (running >= limit) return;
    // Dropping costs nothing: the first waiter still wanted starts in this turn.
    let next = waiting.shift();
    while (next?.wanted && !next.wanted()) {
      next.drop(new AbandonedError());
      onDrop?.();
      next = waiting.shift();
    }
    if (!next) return;
    running += 1;
    next.start();
    schedule();
  };
  function schedule() {
    if (scheduled || running >= limit || waiting.length === 0) return;
    scheduled = true;
    setImmediate(startNext);
  }

  return async <T>(work: () => Promise<T>, wanted?: () => boolean): Promise<T> => {
    if (limit <= 0) return work();
    // Even with a slot free: started here, in the callback of the socket that brought it, an
    // execution would run to its end before the loop read the next socket.
    await new Promise<void>((start, drop) => {
      waiting.push({ start, drop, wanted });
      schedule();
    });
    try {
      return await work();
    } finally {
      running -= 1;
      schedule();
    }
  };
}

interface Waiter {
  start: () => void;
  drop: (error: AbandonedError) => void;
  wanted: (() => boolean) | undefined;
}

/** What a waiter dropped unstarted is rejected with. */
export class AbandonedError extends Error {
  constructor() {
    super('Nobody waits for this execution any more.');
    this.name = 'AbandonedError';
  }
}

export type ExecutionGate = ReturnType<typeof createExecutionGate>;
