import { DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST } from '../defaults.js';
import { limitExceeded } from '../limit-error.js';

export const upstreamBudgetExceeded = (max: number, wanted?: number) =>
  limitExceeded(
    wanted === undefined
      ? `This request reached its budget of ${max} upstream calls; ask for fewer clusters per request.`
      : `This request could cost ${wanted} upstream calls; the budget is ${max} per request. Ask for fewer clusters per request.`,
    'upstreamCalls',
    { max, ...(wanted === undefined ? {} : { wanted }) },
  );

/**
 * The calls one request's loaders make, counted against its budget: the estimate before
 * execution sees the document, this sees what really runs.
 */
export function createCallBudget(max = DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST) {
  let spent = 0;
  return {
    /** Takes one call from the budget, or throws the limit error once it is spent. */
    spend(): void {
      if (spent >= max) throw upstreamBudgetExceeded(max);
      spent += 1;
    },
    spent: () => spent,
  };
}

export type CallBudget = ReturnType<typeof createCallBudget>;
