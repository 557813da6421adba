/**
 * At most `limit` executions at once, the others waiting in arrival order (0: no limit). The
 * gateway's executions over warm data are CPU work on one thread: past a few at once, running
 * more only interleaves them, so every one takes as long as all together, and each one's
 * intermediate objects outlive young-generation collections and fill the old one. Waiting in
 * line instead keeps latency in arrival order and the heap small. Waiters are bounded by the
 * server's connection cap and body limit.
 */
export function createExecutionGate(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (limit <= 0) return work();
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      // The slot passes straight to the next in line; it is freed only when nobody waits.
      if (next) next();
      else running -= 1;
    }
  };
}

export type ExecutionGate = ReturnType<typeof createExecutionGate>;
