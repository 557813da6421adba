import { createHash } from 'node:crypto';
import {
  DEFAULT_WATCH_INTERVAL_MS,
  DEFAULT_WATCH_MAX_SUBSCRIPTIONS,
  DEFAULT_WATCH_MAX_SUBSCRIPTIONS_PER_CALLER,
  DEFAULT_WATCH_SLOW_CONSUMER_MS,
  DEFAULT_WATCH_TRANSITION_INTERVAL_MS,
} from '../defaults.js';
import type { Logger } from '../logger.js';
import type { AckApi, AckClusterNodePool, AckNodePoolList } from './ack-api.js';
import { type AckCacheReadOptions, stalenessOf } from './ack-cache.js';
import { AckError } from './errors.js';
import { LocalWatchCoordinator, type WatchCoordinator, type WatchObservation } from './watch-coordinator.js';

export type { WatchCoordinator, WatchObservation };

/** Pool states that end by themselves: while one lasts, the cluster is polled faster. */
export const TRANSITIONAL_STATES: ReadonlySet<string> = new Set([
  'scaling',
  'updating',
  'removing',
  'deleting',
]);

/** The fair-queue share every poll is asked under: one caller, whatever the subscribers. */
export const WATCH_CALLER = 'watch';

export interface ClusterWatcherOptions {
  /**
   * Who ACK is asked as (`AckClient.identity`): a cluster is watched once per upstream identity,
   * and fleet-wide keys carry only a digest of it. @default ''
   */
  identity?: string;
  /** @default DEFAULT_WATCH_INTERVAL_MS */
  intervalMs?: number;
  /** @default DEFAULT_WATCH_TRANSITION_INTERVAL_MS */
  transitionIntervalMs?: number;
  /** @default DEFAULT_WATCH_MAX_SUBSCRIPTIONS */
  maxSubscriptions?: number;
  /** @default DEFAULT_WATCH_MAX_SUBSCRIPTIONS_PER_CALLER */
  maxSubscriptionsPerCaller?: number;
  /** @default DEFAULT_WATCH_SLOW_CONSUMER_MS */
  slowConsumerMs?: number;
  /** Who polls and how observations reach every process. @default this process alone */
  coordinator?: WatchCoordinator;
  logger?: Logger;
}

/** Why a subscription's stream ended. */
export type WatchEndReason =
  /** The subscriber went away (its iterator was returned). */
  | 'closed'
  /** It did not take its events: dropped. */
  | 'slow'
  /** The process is shutting down. */
  | 'shutdown'
  /** Its credential expired. */
  | 'expired';

/** A subscription refused for a limit: `limit` names which. */
export class WatchLimitError extends Error {
  override readonly name = 'WatchLimitError';

  constructor(
    readonly limit: 'caller' | 'process',
    readonly max: number,
  ) {
    super(
      limit === 'caller'
        ? `You hold the most subscriptions a caller may (${max}); end one first.`
        : `This gateway holds the most subscriptions it may (${max}); try again later or another replica.`,
    );
  }
}

/** A subscription asked for after `close()`. */
export class WatchClosedError extends Error {
  override readonly name = 'WatchClosedError';

  constructor() {
    super('The gateway is shutting down; subscribe again (another replica will answer).');
  }
}

/** Canonical JSON: keys sorted, so equal pools give equal digests whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const digests = new WeakMap<AckNodePoolList, ReadonlyMap<string, string>>();

/**
 * Node-pool id -> a digest of the pool's JSON, for one list: computed once per observation,
 * however many subscribers compare against it.
 */
export function poolDigests(list: AckNodePoolList): ReadonlyMap<string, string> {
  let known = digests.get(list);
  if (!known) {
    const map = new Map<string, string>();
    for (const pool of list.nodePools) {
      map.set(pool.nodepool_id, createHash('sha1').update(canonical(pool)).digest('base64url'));
    }
    known = map;
    digests.set(list, known);
  }
  return known;
}

const isTransitional = (pool: AckClusterNodePool): boolean =>
  TRANSITIONAL_STATES.has(String(pool.status?.state ?? ''));

/** What subscribers could see of an observation: equal fingerprints, nothing to tell anyone. */
function fingerprintOf(observation: WatchObservation): string {
  if (observation.error)
    return `error:${observation.error.kind}:${observation.error.details.upstreamCode ?? ''}`;
  const list = observation.list;
  if (!list) return 'empty';
  const pools = poolDigests(list);
  return `ok:${[...pools].map(([id, digest]) => `${id}=${digest}`).join(',')}`;
}

/**
 * One subscriber's stream of observations. It keeps only the newest one it has not taken, so a
 * subscriber that reads slowly skips to the present instead of queueing the past (and costs no
 * memory growth); one that has not taken an observation for `slowConsumerMs` when a newer one
 * comes is dropped. `return()` ends it at once, even while `next()` waits.
 */
export class WatchStream implements AsyncIterableIterator<WatchObservation> {
  private pending: WatchObservation | undefined;
  private pendingSince = 0;
  private waiter: ((result: IteratorResult<WatchObservation>) => void) | undefined;
  private reason: WatchEndReason | undefined;

  constructor(
    readonly clusterId: string,
    private readonly slowConsumerMs: number,
    private readonly onEnd: (stream: WatchStream) => void,
  ) {}

  /** Why the stream ended; undefined while it is open. */
  get endReason(): WatchEndReason | undefined {
    return this.reason;
  }

  /** Hands an observation over (the watcher calls this); false when the stream is (now) ended. */
  offer(observation: WatchObservation, now = Date.now()): boolean {
    if (this.reason) return false;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter({ value: observation, done: false });
      return true;
    }
    if (this.pending === undefined) this.pendingSince = now;
    else if (now - this.pendingSince >= this.slowConsumerMs) {
      this.end('slow');
      return false;
    }
    this.pending = observation;
    return true;
  }

  /** Ends the stream: a waiting `next()` resolves done, and the watcher forgets it. */
  end(reason: WatchEndReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.pending = undefined;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ value: undefined, done: true });
    this.onEnd(this);
  }

  next(): Promise<IteratorResult<WatchObservation>> {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      return Promise.resolve({ value: pending, done: false });
    }
    if (this.reason) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<WatchObservation>> {
    this.end('closed');
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** One watched cluster: its subscribers in this process, its timer, what was seen last. */
interface ClusterWatch {
  readonly key: string;
  readonly clusterId: string;
  readonly streams: Set<WatchStream>;
  latest?: WatchObservation;
  /** What subscribers were last told (the fingerprint of `latest` when it was fanned out). */
  fingerprint?: string;
  /** The fingerprint of this process's last poll, and when a poll last saw a change (epoch ms). */
  polled?: string;
  changedAt?: number;
  timer?: NodeJS.Timeout;
  leading: boolean;
  stopListening: () => void;
}

/**
 * Watches clusters' node pools for the `nodePools` subscription: one poll per watched cluster
 * per interval, however many subscribers (refcounted: the timer stops with the last one), faster
 * while a pool is in a transitional state. Polls go through `AckApi.nodePools` with a forced
 * refresh under the `watch` caller, so each answer refreshes the shared cache and meets the same
 * breakers and fair queue as every other call. An ACK failure is an observation too (with its
 * error), never the end of a stream.
 *
 * Who polls is the coordinator's: in one process, this one; with a fleet-wide coordinator, the
 * replica holding the cluster's lease, whose observations reach every replica's subscribers.
 */
export class ClusterWatcher {
  private readonly watches = new Map<string, ClusterWatch>();
  private readonly perCaller = new Map<string, number>();
  private readonly coordinator: WatchCoordinator;
  private readonly ownsCoordinator: boolean;
  private readonly identityDigest: string;
  readonly intervalMs: number;
  readonly transitionIntervalMs: number;
  private readonly maxSubscriptions: number;
  private readonly maxPerCaller: number;
  private readonly slowConsumerMs: number;
  private readonly leaseMs: number;
  private readonly logger: Logger | undefined;
  private subscriptions = 0;
  private polls = 0;
  private closed = false;

  constructor(
    private readonly ack: AckApi,
    options: ClusterWatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
    this.transitionIntervalMs = Math.min(
      this.intervalMs,
      options.transitionIntervalMs ?? DEFAULT_WATCH_TRANSITION_INTERVAL_MS,
    );
    this.maxSubscriptions = options.maxSubscriptions ?? DEFAULT_WATCH_MAX_SUBSCRIPTIONS;
    this.maxPerCaller = options.maxSubscriptionsPerCaller ?? DEFAULT_WATCH_MAX_SUBSCRIPTIONS_PER_CALLER;
    this.slowConsumerMs = options.slowConsumerMs ?? DEFAULT_WATCH_SLOW_CONSUMER_MS;
    // Outlives a slow poll and a missed tick; a crashed leader delays the others this much at most.
    this.leaseMs = 3 * this.intervalMs;
    this.ownsCoordinator = options.coordinator === undefined;
    this.coordinator = options.coordinator ?? new LocalWatchCoordinator();
    this.identityDigest = createHash('sha256')
      .update(options.identity ?? '')
      .digest('hex')
      .slice(0, 16);
    this.logger = options.logger;
  }

  /**
   * A stream of `clusterId`'s observations: the latest known at once (the cluster's last poll,
   * else the cache when fresh, else one call), then every poll whose answer differs from the
   * previous one. `read.caller` is the subscriber (its limit, its queue share for that first
   * read). Throws `WatchLimitError` past a limit, `WatchClosedError` after `close()`.
   */
  subscribe(clusterId: string, read: AckCacheReadOptions = {}): WatchStream {
    if (this.closed) throw new WatchClosedError();
    const caller = read.caller ?? 'anonymous';
    const held = this.perCaller.get(caller) ?? 0;
    if (held >= this.maxPerCaller) throw new WatchLimitError('caller', this.maxPerCaller);
    if (this.subscriptions >= this.maxSubscriptions)
      throw new WatchLimitError('process', this.maxSubscriptions);
    this.perCaller.set(caller, held + 1);
    this.subscriptions += 1;

    let watch = this.watches.get(clusterId);
    const starting = !watch;
    if (!watch) watch = this.start(clusterId);
    const current = watch;
    const stream = new WatchStream(clusterId, this.slowConsumerMs, (ended) =>
      this.leave(current, ended, caller),
    );
    current.streams.add(stream);
    if (current.latest) stream.offer(current.latest);
    else if (starting) {
      void this.observe(clusterId, { caller: read.caller }).then((observation) =>
        this.receive(current, observation),
      );
    }
    return stream;
  }

  /** What is watched now, and how many polls this process has made since it started. */
  stats(): { clusters: number; subscriptions: number; polls: number; leading: number } {
    let leading = 0;
    for (const watch of this.watches.values()) if (watch.leading) leading += 1;
    return { clusters: this.watches.size, subscriptions: this.subscriptions, polls: this.polls, leading };
  }

  /** Ends every stream (each completes) and stops every timer; later subscriptions are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const watch of [...this.watches.values()]) {
      for (const stream of [...watch.streams]) stream.end('shutdown');
    }
    if (this.ownsCoordinator) await this.coordinator.close();
  }

  /** The key of a cluster across replicas: a digest of who ACK is asked as, and the id. */
  private keyOf(clusterId: string): string {
    return `${this.identityDigest}:${clusterId}`;
  }

  private start(clusterId: string): ClusterWatch {
    const key = this.keyOf(clusterId);
    const watch: ClusterWatch = {
      key,
      clusterId,
      streams: new Set(),
      leading: false,
      stopListening: () => {},
    };
    watch.stopListening = this.coordinator.subscribe(key, (observation) => this.receive(watch, observation));
    this.watches.set(clusterId, watch);
    this.schedule(watch, this.intervalMs);
    return watch;
  }

  private leave(watch: ClusterWatch, stream: WatchStream, caller: string): void {
    if (!watch.streams.delete(stream)) return;
    this.subscriptions -= 1;
    const held = (this.perCaller.get(caller) ?? 1) - 1;
    if (held > 0) this.perCaller.set(caller, held);
    else this.perCaller.delete(caller);
    if (watch.streams.size > 0) return;
    // The last subscriber left: no more polls, and another replica may lead.
    clearTimeout(watch.timer);
    watch.stopListening();
    if (this.watches.get(watch.clusterId) === watch) this.watches.delete(watch.clusterId);
    if (watch.leading) {
      watch.leading = false;
      this.coordinator.release(watch.key).catch((error: unknown) => {
        this.logger?.warn({ err: error, clusterId: watch.clusterId }, 'Watch lease not released');
      });
    }
  }

  private isWatched(watch: ClusterWatch): boolean {
    return this.watches.get(watch.clusterId) === watch && watch.streams.size > 0;
  }

  private schedule(watch: ClusterWatch, delayMs: number): void {
    clearTimeout(watch.timer);
    watch.timer = setTimeout(() => void this.tick(watch), delayMs);
    watch.timer.unref();
  }

  private async tick(watch: ClusterWatch): Promise<void> {
    watch.timer = undefined;
    if (!this.isWatched(watch)) return;
    let delay = this.intervalMs;
    try {
      watch.leading = await this.coordinator.tryLead(watch.key, this.leaseMs);
      if (watch.leading && this.isWatched(watch)) {
        this.polls += 1;
        const observation = await this.observe(watch.clusterId, { forceRefresh: true, caller: WATCH_CALLER });
        const fingerprint = fingerprintOf(observation);
        const previous = watch.polled ?? watch.fingerprint;
        if (previous !== undefined && previous !== fingerprint) watch.changedAt = Date.now();
        watch.polled = fingerprint;
        delay = this.nextDelay(watch, observation);
        try {
          await this.coordinator.publish(watch.key, observation);
        } catch (error) {
          // This process's own subscribers still hear it.
          this.logger?.warn({ err: error, clusterId: watch.clusterId }, 'Watch observation not published');
          this.receive(watch, observation);
        }
      }
    } catch (error) {
      this.logger?.warn({ err: error, clusterId: watch.clusterId }, 'Watch poll failed');
    }
    if (this.isWatched(watch)) this.schedule(watch, delay);
  }

  /**
   * The normal interval; the faster one while a pool is transitional and the cluster is moving
   * (a poll saw a change within the last normal interval: a pool stuck in `updating` for days
   * costs no more than a quiet one); after a failure, the normal interval or ACK's retry-after,
   * whichever is longer.
   */
  private nextDelay(watch: ClusterWatch, observation: WatchObservation): number {
    if (observation.error) return Math.max(this.intervalMs, observation.error.details.retryAfterMs ?? 0);
    const moving = watch.changedAt !== undefined && Date.now() - watch.changedAt < this.intervalMs;
    return moving && observation.list?.nodePools.some(isTransitional)
      ? this.transitionIntervalMs
      : this.intervalMs;
  }

  /** The cluster's node pools as an observation; never throws. */
  private async observe(clusterId: string, read: AckCacheReadOptions): Promise<WatchObservation> {
    try {
      const list = await this.ack.nodePools(clusterId, read);
      const stale = stalenessOf(list);
      // A stale answer is ACK failing: a live view says so rather than repeat the past.
      if (stale) {
        return {
          clusterId,
          at: Date.now(),
          error: new AckError(
            stale.kind,
            stale.reason,
            stale.upstreamCode ? { upstreamCode: stale.upstreamCode } : {},
          ),
        };
      }
      return { clusterId, at: list.observedAt, list };
    } catch (error) {
      if (error instanceof AckError) return { clusterId, at: Date.now(), error };
      this.logger?.error({ err: error, clusterId }, 'Watch read failed unexpectedly');
      return {
        clusterId,
        at: Date.now(),
        error: new AckError('UNAVAILABLE', 'The node pools could not be read.'),
      };
    }
  }

  /** An observation of a watched cluster (this process's poll, or a leader's): told to every stream if it differs. */
  private receive(watch: ClusterWatch, observation: WatchObservation): void {
    if (!this.isWatched(watch)) return;
    if (watch.latest && observation.at < watch.latest.at) return;
    watch.latest = observation;
    const fingerprint = fingerprintOf(observation);
    if (fingerprint === watch.fingerprint) return;
    watch.fingerprint = fingerprint;
    const now = Date.now();
    for (const stream of [...watch.streams]) stream.offer(observation, now);
  }
}
