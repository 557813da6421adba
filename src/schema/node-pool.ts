import type { EnumRef } from '@pothos/core';
import type { AckClusterNodePool } from '../ack/ack-api.js';
import { stalenessOf } from '../ack/ack-cache.js';
import { AckNodePoolSpec, NodePoolStateEnum, NodePoolTypeEnum } from '../ack/model/node-pool.js';
import { ackEnumRef, ackFields } from './ack-types.js';
import { builder } from './builder.js';
import { ClusterRef } from './cluster.js';
import { isNotFound, nullIfNotFound, toGraphQLError } from './errors.js';
import { assertAckId, authorizedClusterId, representationId } from './ids.js';

/** The dataloader key of one node pool: `clusterId/nodePoolId` (ids never contain `/`). */
export const nodePoolKey = (clusterId: string, nodePoolId: string): string => `${clusterId}/${nodePoolId}`;

export interface NodePoolFilter {
  name?: string | null;
  type?: string | null;
  state?: string | null;
  isDefault?: boolean | null;
}

/**
 * Applies list-field filters to a cluster's one cached list: no extra upstream call (sending
 * `name` upstream as `NodepoolName` would cost a second call whenever the same request also
 * asks for the whole list).
 */
export function filterNodePools(
  nodePools: readonly AckClusterNodePool[],
  { name, type, state, isDefault }: NodePoolFilter,
): readonly AckClusterNodePool[] {
  if (name == null && type == null && state == null && isDefault == null) return nodePools;
  return nodePools.filter(
    (pool) =>
      (name == null || pool.name === name) &&
      (type == null || pool.type === type) &&
      (state == null || pool.status?.state === state) &&
      (isDefault == null || pool.is_default === isDefault),
  );
}

type WireEnumRef = EnumRef<typeof builder extends { $inferSchemaTypes: infer T } ? T : never, string, string>;

/** The filter arguments of every node-pool list field (enum arguments carry the wire value). */
export const nodePoolFilterArgs = builder.args((t) => ({
  name: t.string({ description: 'Only the node pool with exactly this name.' }),
  type: t.field({
    type: ackEnumRef(NodePoolTypeEnum) as WireEnumRef,
    description: 'Only node pools of this type.',
  }),
  state: t.field({
    type: ackEnumRef(NodePoolStateEnum) as WireEnumRef,
    description: 'Only node pools in this state.',
  }),
  isDefault: t.boolean({ description: 'Only the default node pool (true) or only the others (false).' }),
}));

/**
 * A pool that does not exist loads as null, and the nullable fields answer null without an error.
 * The plugin's types only name values and errors, hence the cast.
 */
const MISSING = null as unknown as AckClusterNodePool;

/**
 * NodePool is loadable by `clusterId/id`: every access path (`nodePool`, `cluster.nodePool`,
 * later federation references) resolves through the cluster's one node-pool list.
 */
export const NodePoolRef = builder.loadableObjectRef<AckClusterNodePool, string>('NodePool', {
  load: (keys, ctx) =>
    Promise.all(
      keys.map(async (key) => {
        const [clusterId = '', nodePoolId] = key.split('/');
        try {
          const list = await ctx.loaders.nodePools.load(clusterId);
          return list.nodePools.find((pool) => pool.nodepool_id === nodePoolId) ?? MISSING;
        } catch (error) {
          return isNotFound(error) ? MISSING : (toGraphQLError(error) as Error);
        }
      }),
    ),
});

NodePoolRef.implement({
  description: AckNodePoolSpec.description,
  fields: (t) => ({
    ...ackFields(t, AckNodePoolSpec),
    clusterId: t.exposeID('clusterId', {
      nullable: false,
      description: 'ID of the cluster the node pool belongs to.',
    }),
    cluster: t.field({
      type: ClusterRef,
      nullable: false,
      description: 'The cluster the node pool belongs to.',
      resolve: (pool) => ({ id: pool.clusterId }),
    }),
    // Both read the cluster's list from the request's loader, where the pool came from: no call.
    observedAt: t.field({
      type: 'DateTime',
      nullable: false,
      description:
        'When ACK answered the DescribeClusterNodePools call this node pool comes from. Survives any ' +
        'router, unlike `extensions.warnings`.',
      resolve: async (pool, _args, ctx) =>
        new Date((await ctx.loaders.nodePools.load(pool.clusterId)).observedAt),
    }),
    stale: t.boolean({
      nullable: false,
      description:
        'Whether this node pool is served past its TTL because ACK failed (stale-if-error); ' +
        '`observedAt` says how old it is.',
      resolve: async (pool, _args, ctx) =>
        stalenessOf(await ctx.loaders.nodePools.load(pool.clusterId)) !== undefined,
    }),
  }),
});

// The cluster's side of the relation lives here, beside NodePool, so cluster.ts needs nothing
// of this file (no import cycle).
builder.objectFields(ClusterRef, (t) => ({
  nodePools: t.field({
    type: [NodePoolRef],
    nullable: { list: true, items: false },
    description:
      'The node pools of the cluster. Null with an error when ACK could not be asked, ' +
      'so one cluster failing never hides the rest of the answer.',
    args: nodePoolFilterArgs,
    resolve: async (cluster, args, ctx) => {
      const list = await nullIfNotFound(ctx.loaders.nodePools.load(cluster.id));
      return list && filterNodePools(list.nodePools, args);
    },
  }),
  nodePool: t.field({
    type: NodePoolRef,
    description: 'One node pool of the cluster by its id; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'Node pool ID.' }) },
    resolve: (cluster, args) => nodePoolKey(cluster.id, assertAckId(String(args.id), 'id')),
  }),
}));

builder.asEntity(NodePoolRef, {
  key: builder.selection<{ clusterId: string; id: string }>('clusterId id'),
  // async: a malformed id must reject this representation only, not throw for the whole list.
  resolveReference: async (reference, ctx) =>
    NodePoolRef.getDataloader(ctx).load(
      nodePoolKey(
        authorizedClusterId(representationId(reference.clusterId, 'clusterId'), 'clusterId', ctx),
        assertAckId(representationId(reference.id, 'id'), 'id'),
      ),
    ),
});

builder.queryFields((t) => ({
  nodePools: t.field({
    type: [NodePoolRef],
    nullable: { list: true, items: false },
    description:
      "A cluster's node pools (DescribeClusterNodePools). Null when the cluster does not exist; " +
      'null with an error when ACK could not be asked.',
    args: {
      clusterId: t.arg.id({ required: true, description: 'Cluster ID.' }),
      ...nodePoolFilterArgs,
    },
    resolve: async (_root, args, ctx) => {
      const clusterId = authorizedClusterId(String(args.clusterId), 'clusterId', ctx);
      const list = await nullIfNotFound(ctx.loaders.nodePools.load(clusterId));
      return list && filterNodePools(list.nodePools, args);
    },
  }),
  nodePool: t.field({
    type: NodePoolRef,
    description: 'One node pool by cluster id and node pool id; null when either does not exist.',
    args: {
      clusterId: t.arg.id({ required: true, description: 'Cluster ID.' }),
      id: t.arg.id({ required: true, description: 'Node pool ID.' }),
    },
    resolve: (_root, args, ctx) =>
      nodePoolKey(
        authorizedClusterId(String(args.clusterId), 'clusterId', ctx),
        assertAckId(String(args.id), 'id'),
      ),
  }),
}));
