import { GraphQLError } from 'graphql';
import { stalenessOf } from '../ack/ack-cache.js';
import {
  AckClusterDetailSpec,
  type AckClusterListEntry,
  AckClusterListEntrySpec,
} from '../ack/model/cluster.js';
import type { Context } from '../context.js';
import { ackFields } from './ack-types.js';
import { builder } from './builder.js';
import { badUserInput, nullIfNotFound } from './errors.js';
import { authorizedClusterId, representationId } from './ids.js';

/**
 * A cluster as the graph knows it before anything is loaded: its id, and the entry of the
 * cluster list when it came from one (its fields then cost no DescribeClusterDetail call).
 */
export interface ClusterShape {
  id: string;
  listEntry?: AckClusterListEntry;
  /** When the list entry was observed, and whether it is served stale. */
  observed?: Observation;
}

/** When ACK gave an answer (epoch ms) and whether it is served past its TTL because ACK failed. */
export interface Observation {
  at: number;
  stale: boolean;
}

/** The freshness of the answer a cluster's detail fields come from (the list entry, else the detail). */
async function observationOf(cluster: ClusterShape, ctx: Context): Promise<Observation> {
  if (cluster.observed) return cluster.observed;
  const detail = await nullIfNotFound(ctx.loaders.clusterDetails.load(cluster.id));
  if (!detail)
    throw new GraphQLError('ACK knows no detail of this cluster.', { extensions: { code: 'NOT_FOUND' } });
  return { at: detail.observedAt, stale: stalenessOf(detail) !== undefined };
}

const LIST_ENTRY_KEYS = new Set(Object.keys(AckClusterListEntrySpec.fields));

/** Where a detail field is read: the list entry when it carried the key, else the detail loader. */
function clusterSource(cluster: ClusterShape, key: string, ctx: Context) {
  if (cluster.listEntry && LIST_ENTRY_KEYS.has(key)) return cluster.listEntry;
  return nullIfNotFound(ctx.loaders.clusterDetails.load(cluster.id));
}

/** The most ids one `clusters(ids:)` call may ask for. */
export const MAX_CLUSTER_IDS = 100;

export const ClusterRef = builder.objectRef<ClusterShape>('Cluster');

ClusterRef.implement({
  description:
    'An ACK (Container Service for Kubernetes) cluster. Its node pools come from one ' +
    '`DescribeClusterNodePools` call per request, however many fields ask for them; its other ' +
    'fields from one `DescribeClusterDetail` call, made only when one of them is asked for (or ' +
    'from the cluster list, when the cluster came from `clusterList`).',
  fields: (t) => ({
    ...ackFields<ClusterShape, Context>(t, AckClusterDetailSpec, {
      omit: ['cluster_id'],
      source: clusterSource,
    }),
    id: t.exposeID('id', { nullable: false, description: 'Cluster ID.' }),
    observedAt: t.field({
      type: 'DateTime',
      description:
        "When ACK gave the answer this cluster's detail fields come from (the cluster list's page " +
        'when the cluster came from `clusterList`, else DescribeClusterDetail). Survives any router, ' +
        'unlike `extensions.warnings`.',
      resolve: async (cluster, _args, ctx) => new Date((await observationOf(cluster, ctx)).at),
    }),
    stale: t.boolean({
      description:
        "Whether this cluster's detail fields are served past their TTL because ACK failed " +
        '(stale-if-error); `observedAt` says how old they are.',
      resolve: async (cluster, _args, ctx) => (await observationOf(cluster, ctx)).stale,
    }),
    // nodePools and nodePool are defined in node-pool.ts, beside the type they return.
  }),
});

/** How much a representation costs to resolve: the same loader call as `cluster(id)`. */
async function loadCluster(id: string, ctx: Context): Promise<ClusterShape | null> {
  const list = await nullIfNotFound(ctx.loaders.nodePools.load(id));
  return list && { id };
}

// Other subgraphs extend Cluster (owners, costs, alerts): `_entities` resolves it through the
// per-request loader and the shared cache, like every other access path.
builder.asEntity(ClusterRef, {
  key: builder.selection<{ id: string }>('id'),
  // async: a malformed id must reject this representation only, not throw for the whole list.
  resolveReference: async (reference, ctx) =>
    loadCluster(authorizedClusterId(representationId(reference.id, 'id'), 'id', ctx), ctx),
});

builder.queryFields((t) => ({
  cluster: t.field({
    type: ClusterRef,
    description: 'A cluster by its id; null when ACK answers ErrorClusterNotFound.',
    args: { id: t.arg.id({ required: true, description: 'Cluster ID.' }) },
    resolve: (_root, args, ctx) => loadCluster(authorizedClusterId(String(args.id), 'id', ctx), ctx),
  }),
  clusters: t.field({
    type: [ClusterRef],
    nullable: { list: false, items: true },
    description:
      'Clusters by id, in the order asked; null where a cluster does not exist, and null with an ' +
      `error where its id is malformed or ACK failed for it. At most ${MAX_CLUSTER_IDS} ids.`,
    args: { ids: t.arg.idList({ required: true, description: 'Cluster IDs.' }) },
    resolve: (_root, args, ctx) => {
      if (args.ids.length > MAX_CLUSTER_IDS) {
        throw badUserInput(`At most ${MAX_CLUSTER_IDS} ids per call; got ${args.ids.length}.`, 'ids');
      }
      // One promise per id: a malformed id or a failing cluster nulls only its own entry.
      return args.ids.map(async (rawId, index) =>
        loadCluster(authorizedClusterId(String(rawId), `ids[${index}]`, ctx), ctx),
      );
    },
  }),
}));
