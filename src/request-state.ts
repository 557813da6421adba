import type { Context } from './context.js';

/**
 * What the HTTP front door (`http-handler.ts`) and the GraphQL app tell each other about one
 * request, keyed by the Request object itself, so nothing travels in headers a caller could forge.
 */
const contexts = new WeakMap<Request, Context>();
const refreshes = new WeakSet<Request>();

/** Marks a request the front door makes itself to refresh a cached response: it asks ACK anew. */
export const markRefresh = (request: Request): void => {
  refreshes.add(request);
};

export const isRefresh = (request: Request | undefined): boolean =>
  request !== undefined && refreshes.has(request);

export const rememberContext = (request: Request, context: Context): void => {
  contexts.set(request, context);
};

/** The GraphQL context the app built for `request`, once it has run. */
export const contextOf = (request: Request): Context | undefined => contexts.get(request);
