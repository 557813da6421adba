import type { Principal } from '../auth/principal.js';

/** What the GraphQL app found out about one execution, for the HTTP layer's response cache. */
export interface ExecutionOutcome {
  /** A query without errors, warnings or introspection, judged on the parsed operation. */
  cacheable: boolean;
  /** Epoch ms until which every ACK answer it used is fresh (Infinity: it used none). */
  freshUntil: number;
  /** The executed operation's name, from the document (not only the request's `operationName`). */
  operationName?: string;
}

/**
 * What the HTTP layer and the GraphQL app tell each other about one exchange, passed as yoga's
 * server context: nothing travels in headers a caller could forge, and nothing is keyed on the
 * Request object behind either one's back.
 */
export interface Exchange {
  /**
   * The caller as the HTTP layer authenticated it (once per request; the app awaits the same
   * answer). Undefined: the app authenticates.
   */
  caller?: Promise<Principal | undefined>;
  /** A background refresh of a cached answer: every ACK read asks ACK anew. */
  refresh?: boolean;
  /** Filled in by the app when the operation has executed. */
  outcome?: ExecutionOutcome;
}

/** Yoga's server context of this gateway. */
export interface ServerContext {
  exchange?: Exchange;
}

/** One query answered by the HTTP layer's response cache path. */
export interface FrontDoorEvent {
  /** hit: stored bytes; shared: joined an identical execution; miss: executed. */
  result: 'hit' | 'shared' | 'miss';
  requestId: string;
  operationName?: string;
  status: number;
  durationMs: number;
}
