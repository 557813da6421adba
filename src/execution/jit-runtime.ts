import { createRequire } from 'node:module';
import { inspect } from 'graphql/jsutils/inspect.js';

/**
 * The one place graphql-jit's runtime is corrected. A list item that is a promise is completed
 * by `jitRuntime.handleListItemResult`; when that promise rejects, the code graphql-jit
 * generates for the list (`compileListType`) runs `resultArray.push(null)`, which puts the null
 * at the end of the array instead of at the item's index: a failing cluster of `clusters(ids:)`
 * or a failing representation of `_entities` moved its null (and the healthy items after it)
 * or added one past the end, depending on which settled first. graphql-js completes a rejected
 * item like an item that is an Error: an error at the item's path, null at its index. Here a
 * rejection is handed to the item's success path as that Error, which graphql-jit's generated
 * code then places at the item's index, exactly as graphql-js does, in the same microtask.
 */

interface JitRuntime {
  isPromise(value: unknown): boolean;
  handleListItemResult(
    ctx: unknown,
    item: unknown,
    onSuccess: (value: unknown) => void,
    onError: (error: unknown) => void,
  ): void;
}

// graphql-jit's ESM entry re-exports its CommonJS build, so this is the runtime object the
// compiled queries call (`__context.rt`).
const { jitRuntime } = createRequire(import.meta.url)('graphql-jit/dist/runtime.js') as {
  jitRuntime: JitRuntime;
};

/** What graphql-js' locatedError makes of a rejection that is not an Error. */
const asError = (reason: unknown): Error =>
  reason instanceof Error ? reason : new Error(`Unexpected error value: ${inspect(reason)}`);

let corrected = false;

export function placeRejectedListItemsAtTheirIndex(): void {
  if (corrected) return;
  corrected = true;
  const handle = jitRuntime.handleListItemResult;
  jitRuntime.handleListItemResult = function handleListItemResult(ctx, item, onSuccess, onError) {
    if (!this.isPromise(item)) return handle.call(this, ctx, item, onSuccess, onError);
    return handle.call(this, ctx, item, onSuccess, (error) => onSuccess(asError(error)));
  };
}
