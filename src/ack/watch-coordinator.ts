import type { AckNodePoolList } from './ack-api.js';
import { AckError, type AckErrorDetails, type AckErrorKind, isAckErrorKind } from './errors.js';

/**
 * One look at a watched cluster's node pools: the list ACK answered, or why it could not be
 * had. Plain data, so it can travel between replicas (`encodeObservation`).
 */
export interface WatchObservation {
  readonly clusterId: string;
  /** When it was observed (epoch ms): ACK's answer, or the failure. */
  readonly at: number;
  /** The node pools, when ACK answered. */
  readonly list?: AckNodePoolList;
  /** Why there is no list: ACK failed, refused, or the cluster does not exist. */
  readonly error?: AckError;
}

/**
 * Who polls a watched cluster, and how its observations reach every process whose clients
 * watch it. The in-process implementation below leads every cluster and delivers in process;
 * a fleet-wide one (Redis: a lease with `SET NX PX`, pub/sub for the observations) lets one
 * replica poll a cluster for every replica.
 *
 * Keys are opaque (`ClusterWatcher` builds them from the upstream identity and the cluster id,
 * as a digest: no credential is ever part of one).
 */
export interface WatchCoordinator {
  /**
   * Takes the lease on `key` for `ttlMs`, or renews it when this process already holds it.
   * True: this process polls the cluster now. A coordinator that cannot tell (Redis down) should
   * answer true: a few duplicate polls beat a cluster nobody polls.
   */
  tryLead(key: string, ttlMs: number): Promise<boolean>;
  /** Gives up the lease on `key` if this process holds it (its last subscriber left). */
  release(key: string): Promise<void>;
  /** Sends an observation to every process that listens on `key`, this one included. */
  publish(key: string, observation: WatchObservation): Promise<void>;
  /** Hears every observation published on `key` from now on; returns the way to stop. */
  subscribe(key: string, listener: (observation: WatchObservation) => void): () => void;
  /** Stops listening and drops the leases it holds. */
  close(): Promise<void>;
}

/** One process alone: it leads every cluster and delivers what it publishes to itself. */
export class LocalWatchCoordinator implements WatchCoordinator {
  private readonly listeners = new Map<string, Set<(observation: WatchObservation) => void>>();

  async tryLead(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}

  async publish(key: string, observation: WatchObservation): Promise<void> {
    for (const listener of [...(this.listeners.get(key) ?? [])]) listener(observation);
  }

  subscribe(key: string, listener: (observation: WatchObservation) => void): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/** The wire form of an observation (JSON), for coordinators that carry it between processes. */
interface EncodedObservation {
  clusterId: string;
  at: number;
  list?: AckNodePoolList;
  error?: { kind: AckErrorKind; message: string; details: AckErrorDetails };
}

/**
 * An observation as JSON. Fields that did not parse (answered with an error in one process) are
 * plain nulls in the others: the invalid-field marks are not data.
 */
export function encodeObservation(observation: WatchObservation): string {
  const { clusterId, at, list, error } = observation;
  const encoded: EncodedObservation = {
    clusterId,
    at,
    ...(list ? { list } : {}),
    ...(error ? { error: { kind: error.kind, message: error.message, details: error.details } } : {}),
  };
  return JSON.stringify(encoded);
}

/** The observation a message carries, or undefined when it is not one (a message is data, not trusted shape). */
export function decodeObservation(text: string): WatchObservation | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { clusterId, at, list, error } = value as Partial<EncodedObservation>;
  if (typeof clusterId !== 'string' || typeof at !== 'number') return undefined;
  if (error !== undefined) {
    if (typeof error !== 'object' || error === null || !isAckErrorKind(error.kind)) return undefined;
    return {
      clusterId,
      at,
      error: new AckError(error.kind, String(error.message), {
        ...(typeof error.details === 'object' && error.details !== null ? error.details : {}),
      }),
    };
  }
  if (
    typeof list !== 'object' ||
    list === null ||
    list.clusterId !== clusterId ||
    !Array.isArray(list.nodePools) ||
    typeof list.observedAt !== 'number'
  )
    return undefined;
  return { clusterId, at, list };
}
