/**
 * The shared tier under the process-wide ACK cache: a store every replica of the gateway reads
 * and writes (Redis, `redis-tier.ts`), so that N replicas cost ACK what one costs. `AckCache`
 * drives it (`shared-flight.ts`); this interface is what it needs and no more, so a test can
 * put an in-memory store in its place.
 *
 * Keys here are the cache's own keys (endpoint and credential identity, operation, arguments);
 * an implementation hashes them before they leave the process. Records are opaque strings that
 * begin with `{"at":<epoch ms>` (`shared-codec.ts`): an implementation may read that number to
 * keep the newer of two records, and nothing else.
 */

/** Whether the shared tier is usable now, and why not. */
export interface SharedTierStatus {
  /** `up`: used; `connecting`: not yet; `down`: skipped until it answers again. */
  state: 'connecting' | 'up' | 'down';
  /** Why it is down (`unreachable`, `timeout`, `full`, `error`); never a secret. */
  reason?: string;
  /** Where it is (host, port, database), for logs and metrics; never a password. */
  target: string;
}

/** A lease on one key: whoever holds it asks ACK for every replica. */
export interface SharedLease {
  readonly key: string;
  readonly token: string;
}

/**
 * What a claim found: a record young enough to use (no lease taken), the lease (the caller asks
 * ACK), or another replica's lease and how long it still runs (the caller waits).
 */
export type SharedClaim =
  | { kind: 'record'; record: string }
  | { kind: 'lease'; lease: SharedLease; previous?: string }
  | { kind: 'held'; heldForMs: number; previous?: string };

/** How a lease ends: what is written under the key, and what the waiters are told. */
export interface SharedSettlement {
  /** Write `record` for `ttlMs` unless a newer one is there (`at`), delete the key, or leave it. */
  store?: { record: string; at: number; ttlMs: number } | 'delete';
  /** Told to every replica waiting for this key (`SharedNotice`, encoded). */
  notice: string;
}

/** Hears a replica waiting for another one's message about one key. */
export interface SharedWaiter {
  /**
   * The next notice about the key since the waiter was made (a notice that came before this
   * call counts), or undefined after `ms` or as soon as the tier goes down.
   */
  next(ms: number): Promise<string | undefined>;
  close(): void;
}

export interface SharedTier {
  /** Largest record (bytes) the tier takes; larger answers are not shared. */
  readonly maxValueBytes: number;
  status(): SharedTierStatus;
  /**
   * In one atomic step: the record under `key` if its `at` is at least `minAt`; else the lease
   * for `leaseMs` if nobody holds it; else how long the holder's lease still runs. Rejects when
   * the tier fails (the caller then asks ACK itself).
   */
  claim(key: string, leaseMs: number, minAt: number): Promise<SharedClaim>;
  /** Extends a lease still held; false when it was lost (expired and taken). */
  renew(lease: SharedLease, leaseMs: number): Promise<boolean>;
  /** Stores (or deletes) the answer, releases the lease if still held, and tells the waiters. */
  settle(lease: SharedLease, settlement: SharedSettlement): Promise<void>;
  /** Starts listening for notices about `key` (before a claim, so none is missed). */
  waiter(key: string): SharedWaiter;
  /** Drops the record under `key` (access withdrawn). */
  drop(key: string): Promise<void>;
  /** Closes the connections; later calls reject. */
  close(): Promise<void>;
}

/**
 * What the shared tier did for one read that the first tier could not answer: `hit` (a record
 * another replica or an earlier call wrote), `miss` (nothing usable: this replica took the lease
 * and asked ACK), `lease_wait` (another replica was asking: waited for its answer),
 * `lease_expired` (a holder's lease ran out without an answer: it died), `fallback` (the tier was
 * down, failed or too slow: asked ACK directly), `not_shared` (the answer is larger than the tier
 * takes, or was, so each replica asks for itself).
 */
export type SharedTierEvent = 'hit' | 'miss' | 'lease_wait' | 'lease_expired' | 'fallback' | 'not_shared';

/** Hears the shared tier's events; a hook must not throw. */
export interface SharedTierObserver {
  onSharedTier?(event: SharedTierEvent): void;
}
