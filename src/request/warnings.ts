import { freshUntilOf, stalenessOf } from '../ack/ack-cache.js';

/** A note the response carries in `extensions.warnings`, e.g. that an answer is stale. */
export interface ResponseWarning {
  code: 'STALE_DATA';
  message: string;
  operation: string;
  clusterId?: string;
  ageMs: number;
  upstream?: { code: string };
}

/**
 * What the request's upstream answers say about the response: warnings (one per operation and
 * cluster) and until when the response may be served again from memory.
 */
export function createWarnings() {
  const warnings = new Map<string, ResponseWarning>();
  let freshUntil = Number.POSITIVE_INFINITY;
  return {
    list: (): ResponseWarning[] => [...warnings.values()],
    /** Epoch ms until which every answer the response used is fresh (Infinity: it used none). */
    freshUntil: () => freshUntil,
    /** Passes `value` through, noting its freshness, and when ACK failed and an older cached answer stands in. */
    noteStale<V>(operation: string, clusterId: string | undefined, value: V): V {
      // An answer of unknown freshness (a stale one, or with the cache off) makes the response uncacheable.
      freshUntil = Math.min(freshUntil, freshUntilOf(value) ?? 0);
      const stale = stalenessOf(value);
      if (stale) {
        warnings.set(`${operation}\0${clusterId ?? ''}`, {
          code: 'STALE_DATA',
          message: `ACK could not be asked (${stale.reason}); this answer is ${Math.round(stale.ageMs / 1000)} s old.`,
          operation,
          ...(clusterId ? { clusterId } : {}),
          ageMs: Math.round(stale.ageMs),
          ...(stale.upstreamCode ? { upstream: { code: stale.upstreamCode } } : {}),
        });
      }
      return value;
    },
  };
}

export type Warnings = ReturnType<typeof createWarnings>;
