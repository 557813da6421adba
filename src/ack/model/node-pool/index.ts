/**
 * The model table of one ACK node pool, as `DescribeClusterNodePools` returns it (one entry of
 * `nodepools`), assembled from one file per block of the answer. Field keys are the upstream JSON
 * keys; the fields of `nodepool_info` are hoisted into the flat `NodePool` object with `from`.
 *
 * Sources: the DescribeClusterNodePools documentation page and the @alicloud/cs20151215 response
 * models (every JSON key they know, except the SSH logon password: see `scaling-group.ts`).
 */

import { AutoModeSpec } from '../auto-mode.js';
import { boolean, datetime, field, type InferObject, id, int, listOf, object, string } from '../dsl.js';
import { AutoScalingSpec } from './auto-scaling.js';
import { EfloNodeGroupSpec } from './eflo.js';
import { InterconnectModeEnum, NodePoolTypeEnum } from './enums.js';
import { InterconnectConfigSpec, interconnectDeprecated } from './interconnect.js';
import { KubernetesConfigSpec } from './kubernetes-config.js';
import { ManagementSpec } from './management.js';
import { NodeComponentSpec } from './node-components.js';
import { NodeConfigSpec } from './node-config.js';
import { ScalingGroupSpec } from './scaling-group.js';
import { NodePoolStatusSpec } from './status.js';
import { TeeConfigSpec } from './tee-config.js';

export const AckNodePoolSpec = object(
  'NodePool',
  'An ACK node pool, as DescribeClusterNodePools returns it: a group of nodes of a cluster with the same configuration, managed together (scaling, upgrades, repair). The fields of `nodepool_info` are flattened into it.',
  {
    nodepool_id: field(id, 'Node pool ID.', {
      from: ['nodepool_info', 'nodepool_id'],
      graphqlName: 'id',
      required: true,
    }),
    name: field(string, 'Name of the node pool.', { from: ['nodepool_info', 'name'] }),
    type: field(NodePoolTypeEnum, 'Type of the node pool.', { from: ['nodepool_info', 'type'] }),
    is_default: field(
      boolean,
      'Whether this is the default node pool of the cluster; a cluster usually has one.',
      { from: ['nodepool_info', 'is_default'] },
    ),
    resource_group_id: field(string, 'ID of the resource group of the node pool.', {
      from: ['nodepool_info', 'resource_group_id'],
    }),
    region_id: field(string, 'ID of the region of the node pool.', {
      from: ['nodepool_info', 'region_id'],
    }),
    created: field(datetime, 'Time the node pool was created.', {
      from: ['nodepool_info', 'created'],
    }),
    updated: field(datetime, 'Time the node pool was last updated.', {
      from: ['nodepool_info', 'updated'],
    }),
    status: field(NodePoolStatusSpec, 'Status of the node pool and counts of its nodes.'),
    auto_scaling: field(AutoScalingSpec, 'Auto scaling configuration.'),
    management: field(
      ManagementSpec,
      'Managed node pool configuration; takes effect only in ACK Pro clusters.',
    ),
    scaling_group: field(ScalingGroupSpec, 'Scaling group configuration of the node pool.'),
    kubernetes_config: field(
      KubernetesConfigSpec,
      'Kubernetes-side configuration of the nodes: labels, taints, runtime, scripts.',
    ),
    node_config: field(NodeConfigSpec, 'Node configuration: kubelet and operating system.'),
    tee_config: field(TeeConfigSpec, 'Confidential computing configuration.'),
    interconnect_config: field(
      InterconnectConfigSpec,
      'Network configuration of an enhanced edge node pool; meaningful only for edge node pools.',
      { deprecated: interconnectDeprecated },
    ),
    interconnect_mode: field(
      InterconnectModeEnum,
      'Network type of an edge node pool; takes effect only when `type` is `EDGE`.',
    ),
    max_nodes: field(
      int,
      'Maximum number of nodes the edge node pool may hold. 0 means no limit beyond the cluster node quota; ess node pools and default edge node pools report 0.',
    ),
    auto_mode: field(AutoModeSpec, 'Intelligent managed mode configuration.'),
    node_components: field(
      listOf(NodeComponentSpec),
      'Components installed on the nodes, such as the kubelet, with their versions and configuration.',
    ),
    eflo_node_group: field(EfloNodeGroupSpec, 'Lingjun node group of a Lingjun node pool.'),
  },
);

export type AckNodePool = InferObject<typeof AckNodePoolSpec.fields>;

// One import path for every node-pool table, whichever block defines it.
export { AutoModeSpec } from '../auto-mode.js';
export { TagSpec } from '../tag.js';
export * from './auto-scaling.js';
export * from './disks.js';
export * from './eflo.js';
export * from './enums.js';
export * from './instance-patterns.js';
export { InterconnectConfigSpec } from './interconnect.js';
export * from './kubelet-config.js';
export * from './kubernetes-config.js';
export * from './management.js';
export * from './node-components.js';
export * from './node-config.js';
export * from './scaling-group.js';
export * from './status.js';
export * from './tee-config.js';
