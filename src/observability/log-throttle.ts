/** How long identical log lines are folded into one, with a count. */
export const DEFAULT_LOG_FOLD_MS = 10_000;
/** Distinct kinds of line followed at once; past it the oldest is forgotten (and logs again). */
const MAX_KINDS = 1_000;

/**
 * Folds repeated log lines of one kind: the first is written, the repeats within `windowMs` are
 * only counted, and the next one after the window is written with `repeated` (how many were
 * folded). An outage that refuses thousands of calls a second writes one line per kind per
 * window instead of one per call.
 */
export function createLogFold(windowMs = DEFAULT_LOG_FOLD_MS, now: () => number = Date.now) {
  const kinds = new Map<string, { since: number; folded: number }>();
  return (kind: string, write: (repeated: number) => void): void => {
    const at = now();
    const known = kinds.get(kind);
    if (known && at - known.since < windowMs) {
      known.folded += 1;
      return;
    }
    if (!known && kinds.size >= MAX_KINDS) {
      const oldest = kinds.keys().next().value;
      if (oldest !== undefined) kinds.delete(oldest);
    }
    kinds.delete(kind);
    kinds.set(kind, { since: at, folded: 0 });
    write(known?.folded ?? 0);
  };
}
