import type { AckErrorKind } from './errors.js';

/** One logical upstream call, as it starts (before it waits for a slot or is retried). */
export interface AckCallStart {
  /** ACK's action name, e.g. `DescribeClusterNodePools`. */
  action: string;
  /** The cluster the call is about, when its path names one. */
  clusterId?: string;
}

/** How one attempt of an upstream call ended. */
export interface AckAttemptEnd {
  /**
   * 1 for the first attempt, 2 for the first retry, ... 0 when the call was refused before any
   * attempt (circuit open, queue full): then no request went out.
   */
  attempt: number;
  outcome: 'ok' | AckErrorKind;
  /** ACK's HTTP status, when an answer arrived. */
  statusCode?: number;
  /** Wall time of the attempt (or of the wait that ended in a refusal). */
  ms: number;
  /** ACK's error code, or `CircuitOpen` / `QueueFull` for a refusal. */
  upstreamCode?: string;
  /** ACK's request id, when it sent one. */
  requestId?: string;
}

/**
 * What the process-wide cache did with one read: answered it from memory (`hit`), remembered
 * ACK's not-found (`not_found_hit`), joined a call already in flight (`shared`) or asked ACK
 * (`miss`); exactly one of these per read. Besides: `refresh_ahead` when a hit near its expiry
 * also refreshes the entry in the background (an upstream call no read waits for), and
 * `stale_served` when a refresh failed and an older entry answered instead.
 */
export type AckCacheEvent = 'hit' | 'miss' | 'shared' | 'not_found_hit' | 'refresh_ahead' | 'stale_served';

/**
 * Hooks the upstream layer calls so metrics, traces and logs can watch it without it knowing
 * them. Every hook is optional; a hook must not throw.
 */
export interface AckObserver {
  /** A logical call starts; the function returned (if any) hears how each of its attempts ended. */
  onCallStart?(call: AckCallStart): ((attempt: AckAttemptEnd) => void) | undefined;
  /** The cache answered a read. */
  onCache?(event: AckCacheEvent): void;
}
