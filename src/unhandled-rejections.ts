import type { Logger } from './logger.js';
import { currentRequestId } from './request-id.js';

/**
 * What the process does with a promise rejection nobody handled: it logs it (with the id of the
 * request whose work it came from, when known) and counts it, and keeps serving. Node's default
 * is to exit, which turns one request's bug into an outage for every caller; the requests in
 * flight have their own error handling, so a stray rejection has no answer left to spoil.
 * Returns the function that removes the handler.
 */
export function keepServingOnUnhandledRejection(logger: Logger, count?: () => void): () => void {
  const onRejection = (reason: unknown) => {
    count?.();
    const err = reason instanceof Error ? reason : new Error(`Non-error rejection: ${String(reason)}`);
    logger.error(
      { err, requestId: currentRequestId() },
      'Unhandled promise rejection (a bug): logged and counted, the process keeps serving',
    );
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
