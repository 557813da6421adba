import { GraphQLError } from 'graphql';
import type { AckClusterNodePool, AckNodePoolList } from '../ack/ack-api.js';
import {
  type ClusterWatcher,
  poolDigests,
  WatchClosedError,
  WatchLimitError,
  type WatchObservation,
  type WatchStream,
} from '../ack/watcher.js';
import { hasExpired } from '../auth/principal.js';
import type { Context } from '../context.js';
import { limitExceeded } from '../limit-error.js';
import { builder } from './builder.js';
import { toGraphQLError } from './errors.js';
import { authorizedClusterId } from './ids.js';
import { filterNodePools, type NodePoolFilter, NodePoolRef, nodePoolFilterArgs } from './node-pool.js';

/** What the app gives every context for subscriptions (src/app.ts). */
export interface LiveUpdates {
  watcher: ClusterWatcher;
  /**
   * Gives a subscription's context fresh request state (loaders, deadline, call budget,
   * warnings, Pothos' per-request caches) for one event: each event is answered like a request
   * of its own, by the same caller.
   */
  renew: (context: Context) => void;
}

declare module '../context.js' {
  interface Context {
    /** The watcher behind subscriptions; set by the app. */
    live?: LiveUpdates;
  }
}

/** One event of the `nodePools` subscription, as its fields resolve it. */
export interface NodePoolsUpdate {
  clusterId: string;
  /** The filtered pools; null with `error` when ACK failed. */
  nodePools: readonly AckClusterNodePool[] | null;
  /** The whole list the pools come from, primed into the event's loader. */
  list?: AckNodePoolList;
  error?: GraphQLError;
  changed: string[];
  removed: string[];
  observedAt: number;
}

/** The last event of a stream that ends with an error (policy, expiry, a slow reader). */
interface StreamEnd {
  end: GraphQLError;
}

type LiveEvent = NodePoolsUpdate | StreamEnd;

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };
/** setTimeout's longest delay (about 24.8 days); a later expiry is checked per event only. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const unauthenticated = () =>
  new GraphQLError('Your credential has expired; subscribe again with a fresh one.', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
const forbidden = () =>
  new GraphQLError('You may not read this cluster.', { extensions: { code: 'FORBIDDEN' } });
const slowConsumer = () =>
  new GraphQLError('This subscription was dropped: its events were not read in time. Subscribe again.', {
    extensions: { code: 'SLOW_CONSUMER' },
  });

/**
 * One subscriber's events over the cluster's observations: the filtered list, diffed against
 * what this subscriber last received (pool ids with a digest of each pool), told only when
 * something it can see was added, changed or removed, or when an error appears, changes or
 * clears. Authentication and policy are checked again before every event; a failure ends the
 * stream with that error as its last event.
 */
class NodePoolUpdates implements AsyncIterableIterator<LiveEvent> {
  private previous: ReadonlyMap<string, string> | undefined;
  private errorCode: string | undefined;
  private started = false;
  private finished = false;
  private readonly expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: WatchStream,
    private readonly clusterId: string,
    private readonly filter: NodePoolFilter,
    private readonly ctx: Context,
  ) {
    const { expiresAt } = ctx.caller;
    // A quiet cluster sends nothing: the credential's end must not wait for an event.
    if (expiresAt !== undefined && expiresAt - Date.now() < MAX_TIMER_MS) {
      this.expiry = setTimeout(() => stream.end('expired'), Math.max(0, expiresAt - Date.now()));
      this.expiry.unref();
    }
  }

  async next(): Promise<IteratorResult<LiveEvent>> {
    while (!this.finished) {
      const next = await this.stream.next();
      if (next.done) {
        const reason = this.stream.endReason;
        return this.finish(
          reason === 'slow' ? slowConsumer() : reason === 'expired' ? unauthenticated() : undefined,
        );
      }
      const denied = hasExpired(this.ctx.caller)
        ? unauthenticated()
        : this.ctx.policy.isAllowed(this.ctx.caller, this.clusterId)
          ? undefined
          : forbidden();
      if (denied) return this.finish(denied);
      const update = this.updateFrom(next.value);
      if (update) return { value: update, done: false };
    }
    return DONE;
  }

  return(): Promise<IteratorResult<LiveEvent>> {
    this.finish();
    return Promise.resolve(DONE);
  }

  throw(error?: unknown): Promise<IteratorResult<LiveEvent>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the stream; with `end`, that error is the last event. */
  private finish(end?: GraphQLError): IteratorResult<LiveEvent> {
    clearTimeout(this.expiry);
    this.finished = true;
    this.stream.end('closed');
    return end ? { value: { end }, done: false } : DONE;
  }

  private updateFrom(observation: WatchObservation): NodePoolsUpdate | undefined {
    const { clusterId } = this;
    if (observation.error || !observation.list) {
      const error = toGraphQLError(
        observation.error ?? new Error('An observation without a list or an error.'),
      ) as GraphQLError;
      const code = String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
      if (this.started && code === this.errorCode) return undefined;
      this.started = true;
      this.errorCode = code;
      return { clusterId, nodePools: null, error, changed: [], removed: [], observedAt: observation.at };
    }
    const { list } = observation;
    const digests = poolDigests(list);
    const pools = filterNodePools(list.nodePools, this.filter);
    const previous = this.previous;
    const current = new Map<string, string>();
    const changed: string[] = [];
    for (const pool of pools) {
      const digest = digests.get(pool.nodepool_id) ?? '';
      current.set(pool.nodepool_id, digest);
      if (previous?.get(pool.nodepool_id) !== digest) changed.push(pool.nodepool_id);
    }
    const removed = previous ? [...previous.keys()].filter((id) => !current.has(id)) : [];
    const recovered = this.errorCode !== undefined;
    if (this.started && !recovered && changed.length === 0 && removed.length === 0) return undefined;
    this.started = true;
    this.errorCode = undefined;
    this.previous = current;
    return { clusterId, nodePools: pools, list, changed, removed, observedAt: list.observedAt };
  }
}

function subscribeNodePools(
  args: { clusterId: string } & NodePoolFilter,
  ctx: Context,
): AsyncIterable<LiveEvent> {
  const live = ctx.live;
  if (!live) {
    throw new GraphQLError('Live updates are not served by this app.', {
      extensions: { code: 'NOT_SUPPORTED' },
    });
  }
  const clusterId = authorizedClusterId(String(args.clusterId), 'clusterId', ctx);
  // A WebSocket authenticated at connect time may outlive its token.
  if (hasExpired(ctx.caller)) throw unauthenticated();
  let stream: WatchStream;
  try {
    stream = live.watcher.subscribe(clusterId, ctx.read);
  } catch (error) {
    if (error instanceof WatchLimitError) {
      throw limitExceeded(error.message, 'subscriptions', { max: error.max, scope: error.limit });
    }
    if (error instanceof WatchClosedError) {
      throw new GraphQLError(error.message, { extensions: { code: 'SHUTTING_DOWN' } });
    }
    throw error;
  }
  const { name, type, state, isDefault } = args;
  return new NodePoolUpdates(stream, clusterId, { name, type, state, isDefault }, ctx);
}

export const NodePoolsUpdateRef = builder.objectRef<NodePoolsUpdate>('NodePoolsUpdate').implement({
  description:
    "One event of the `nodePools` subscription: the cluster's node pools as observed, and what " +
    "changed since this subscriber's previous event.",
  fields: (t) => ({
    clusterId: t.exposeID('clusterId', { nullable: false, description: 'The watched cluster.' }),
    nodePools: t.field({
      type: [NodePoolRef],
      nullable: { list: true, items: false },
      description:
        "The node pools as observed, filtered by the subscription's arguments. Null with a coded error " +
        'when ACK failed; the stream stays open and the next good poll recovers.',
      resolve: (update) => {
        if (update.error) throw update.error;
        return update.nodePools;
      },
    }),
    changed: t.exposeIDList('changed', {
      nullable: { list: false, items: false },
      description:
        "Node pools added or changed since this subscriber's previous event (every pool in the first event).",
    }),
    removed: t.exposeIDList('removed', {
      nullable: { list: false, items: false },
      description:
        "Node pools gone since this subscriber's previous event (or no longer matching its filter).",
    }),
    observedAt: t.field({
      type: 'DateTime',
      nullable: false,
      description: 'When ACK answered (or, for an error event, when the failure was observed).',
      resolve: (update) => new Date(update.observedAt),
    }),
  }),
});

builder.subscriptionType({
  description:
    'Live updates over GraphQL over SSE (`Accept: text/event-stream`) or GraphQL over WebSocket ' +
    '(`graphql-transport-ws`), both on /graphql.',
});

builder.subscriptionField('nodePools', (t) =>
  t.field({
    type: NodePoolsUpdateRef,
    nullable: false,
    description:
      "The cluster's node pools now, then again each time one of them changes. The gateway asks ACK " +
      'once per cluster per interval, however many subscribers.',
    args: {
      clusterId: t.arg.id({ required: true, description: 'Cluster ID.' }),
      ...nodePoolFilterArgs,
    },
    subscribe: (_root, args, ctx) => subscribeNodePools(args, ctx),
    resolve: (event: LiveEvent, _args, ctx) => {
      if ('end' in event) throw event.end;
      // Each event is answered like a request of its own, from the list it carries.
      ctx.live?.renew(ctx);
      if (event.list) ctx.loaders.nodePools.clear(event.clusterId).prime(event.clusterId, event.list);
      return event;
    },
  }),
);
