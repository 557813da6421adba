import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const requestIds = new WeakMap<Request, string>();

/** An incoming `x-request-id` when it is well formed (1-128 of `A-Za-z0-9._:-`), else undefined. */
export const acceptedRequestId = (value: string | null | undefined): string | undefined =>
  typeof value === 'string' && REQUEST_ID_PATTERN.test(value) ? value : undefined;

/**
 * The request's id: a well-formed incoming `x-request-id`, else a new UUID. The same for every
 * asker of one request (context, logs, traces, the echoed header).
 */
export function requestIdOf(request?: Request): string {
  const known = request && requestIds.get(request);
  if (known) return known;
  const requestId = acceptedRequestId(request?.headers.get('x-request-id')) ?? randomUUID();
  if (request) requestIds.set(request, requestId);
  const scope = exchangeScope.getStore();
  if (scope) scope.requestId = requestId;
  return requestId;
}

/** What is known of the HTTP exchange whose work is running now, wherever the code is. */
export interface ExchangeScope {
  requestId?: string;
}

/**
 * Entered by the HTTP layer around each exchange, so that work with no request in hand (an
 * unhandled rejection, a log line deep in a library callback) can still name its request.
 */
export const exchangeScope = new AsyncLocalStorage<ExchangeScope>();

/** The id of the request whose work is running now, when there is one. */
export const currentRequestId = (): string | undefined => exchangeScope.getStore()?.requestId;
