/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** State of a cluster. ACK documents the values of DescribeClusterDetail and DescribeClustersV1 in two overlapping lists; this set is their union. */
export type ClusterState =
  /** `deleted`: The cluster has been deleted. */
  | 'DELETED'
  /** `deleted_failed`: The cluster failed to be deleted (the spelling of older documentation). */
  | 'DELETED_FAILED'
  /** `delete_failed`: The cluster failed to be deleted. */
  | 'DELETE_FAILED'
  /** `deleting`: The cluster is being deleted. */
  | 'DELETING'
  /** `disconnected`: The cluster is disconnected. */
  | 'DISCONNECTED'
  /** `draining`: Nodes of the cluster are being drained. */
  | 'DRAINING'
  /** `failed`: The cluster failed to be created. */
  | 'FAILED'
  /** `inactive`: The cluster is inactive. */
  | 'INACTIVE'
  /** `initial`: The cluster is being created. */
  | 'INITIAL'
  /** `removing`: Nodes are being removed from the cluster. */
  | 'REMOVING'
  /** `running`: The cluster is running. */
  | 'RUNNING'
  /** `scaling`: The cluster is being scaled. */
  | 'SCALING'
  /** `stopped`: The cluster has stopped running. */
  | 'STOPPED'
  /** `unavailable`: The cluster is unavailable. */
  | 'UNAVAILABLE'
  /** A value ACK returned that this gateway does not know yet (ACK adds values over time). Treat it as "other", not as an error. */
  | 'UNKNOWN'
  /** `updating`: The cluster is being updated. */
  | 'UPDATING'
  /** `updating_failed`: The cluster failed to be updated. */
  | 'UPDATING_FAILED'
  /** `upgrading`: The cluster is being upgraded. */
  | 'UPGRADING'
  /** `waiting`: A registered cluster waiting for its external Kubernetes cluster to connect. */
  | 'WAITING';

/** CPU management policy of the nodes (clusters of version 1.12.6 and later). */
export type CpuPolicy =
  /** `none`: Uses the default CPU affinity scheme. */
  | 'NONE'
  /** `static`: Grants Pods with certain resource characteristics enhanced CPU affinity and exclusivity on the node. */
  | 'STATIC'
  /** A value ACK returned that this gateway does not know yet (ACK adds values over time). Treat it as "other", not as an error. */
  | 'UNKNOWN';

/** How a multi-zone scaling group spreads ECS instances across zones. */
export type MultiAzPolicy =
  /** `BALANCE`: Distribute instances evenly across the zones of the scaling group; an imbalance caused by insufficient inventory can be corrected with the ESS RebalanceInstances API. */
  | 'BALANCE'
  /** `COST_OPTIMIZED`: Create instances in ascending order of vCPU unit price, preferring preemptible instances when the scaling configuration allows them (see `compensateWithOnDemand`). Takes effect only with several instance types or preemptible instances. */
  | 'COST_OPTIMIZED'
  /** `PRIORITY`: Scale by the priority of the configured vSwitches: when instances cannot be created in the zone of a higher-priority vSwitch, the next-priority vSwitch is used. */
  | 'PRIORITY'
  /** A value ACK returned that this gateway does not know yet (ACK adds values over time). Treat it as "other", not as an error. */
  | 'UNKNOWN';

/** State of a node pool. */
export type NodePoolState =
  /** `active`: The node pool is active. */
  | 'ACTIVE'
  /** `deleting`: The node pool is being deleted. */
  | 'DELETING'
  /** `removing`: Nodes are being removed from the node pool. */
  | 'REMOVING'
  /** `scaling`: The node pool is scaling. */
  | 'SCALING'
  /** A value ACK returned that this gateway does not know yet (ACK adds values over time). Treat it as "other", not as an error. */
  | 'UNKNOWN'
  /** `updating`: The node pool is being updated. */
  | 'UPDATING';

/** Node pool type. */
export type NodePoolType =
  /** `edge`: Edge node pool. */
  | 'EDGE'
  /** `ess`: Standard node pool, with the managed node pool and auto scaling features. */
  | 'ESS'
  /** `lingjun`: Lingjun node pool. */
  | 'LINGJUN'
  /** A value ACK returned that this gateway does not know yet (ACK adds values over time). Treat it as "other", not as an error. */
  | 'UNKNOWN';

/** Preemptible (spot) instance bidding strategy. */
export type SpotStrategy =
  /** `NoSpot`: Regular (non-preemptible) instances. */
  | 'NO_SPOT'
  /** `SpotAsPriceGo`: Preemptible instances whose bid automatically follows the current market price. */
  | 'SPOT_AS_PRICE_GO'
  /** `SpotWithPriceLimit`: Preemptible instances with a maximum price (see `spotPriceLimit`). */
  | 'SPOT_WITH_PRICE_LIMIT'
  /** A value ACK returned that this gateway does not know yet (ACK adds values over time). Treat it as "other", not as an error. */
  | 'UNKNOWN';

export type WatchUserDataSubscriptionVariables = Exact<{
  clusterId: string | number;
}>;


export type WatchUserDataSubscription = { nodePools: { nodePools: Array<{ id: string, kubernetesConfig: { userData: string | null } | null }> | null } };

export type PoolsQueryVariables = Exact<{
  id: string | number;
}>;


export type PoolsQuery = { nodePools: Array<{ id: string, name: string | null, status: { totalNodes: number | null } | null }> | null };

export type ListQueryVariables = Exact<{
  name?: string | null | undefined;
}>;


export type ListQuery = { clusterList: { totalCount: number, nodes: Array<{ id: string }> } };

export type DashboardQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type DashboardQuery = { clusterList: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string }>, nodes: Array<{ id: string, name: string | null, state: ClusterState | null, currentVersion: string | null, regionId: string | null, nodePools: Array<{ name: string | null, status: { state: NodePoolState | null, totalNodes: number | null, healthyNodes: number | null } | null }> | null }> } };

export type RealisticValuesQueryVariables = Exact<{
  id: string | number;
}>;


export type RealisticValuesQuery = { cluster: { id: string, nodePools: Array<{ id: string, clusterId: string, name: string | null, type: NodePoolType | null, isDefault: boolean | null, created: unknown, updated: unknown, status: { state: NodePoolState | null, totalNodes: number | null, servingNodes: number | null } | null, scalingGroup: { instanceTypes: Array<string> | null, multiAzPolicy: MultiAzPolicy | null, spotStrategy: SpotStrategy | null, dataDisks: Array<{ category: string | null, size: number | null, encrypted: boolean | null }> | null } | null, kubernetesConfig: { cpuPolicy: CpuPolicy | null, labels: Array<{ key: string | null, value: string | null }> | null, taints: Array<{ key: string | null, value: string | null, effect: string | null }> | null } | null, nodeConfig: { kubeletConfiguration: { evictionHard: unknown, maxPods: number | null } | null } | null, nodeComponents: Array<{ name: string | null, version: string | null, config: { customConfig: unknown } | null }> | null, cluster: { id: string } }> | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const WatchUserDataDocument = new TypedDocumentString(`
    subscription WatchUserData($clusterId: ID!) {
  nodePools(clusterId: $clusterId) {
    nodePools {
      id
      kubernetesConfig {
        userData
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WatchUserDataSubscription, WatchUserDataSubscriptionVariables>;
export const PoolsDocument = new TypedDocumentString(`
    query Pools($id: ID!) {
  nodePools(clusterId: $id) {
    id
    name
    status {
      totalNodes
    }
  }
}
    `) as unknown as TypedDocumentString<PoolsQuery, PoolsQueryVariables>;
export const ListDocument = new TypedDocumentString(`
    query List($name: String) {
  clusterList(first: 5, filter: {name: $name}) {
    totalCount
    nodes {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<ListQuery, ListQueryVariables>;
export const DashboardDocument = new TypedDocumentString(`
    query Dashboard($after: String) {
  clusterList(first: 20, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      endCursor
    }
    edges {
      cursor
    }
    nodes {
      id
      name
      state
      currentVersion
      regionId
      nodePools {
        name
        status {
          state
          totalNodes
          healthyNodes
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardQuery, DashboardQueryVariables>;
export const RealisticValuesDocument = new TypedDocumentString(`
    query RealisticValues($id: ID!) {
  cluster(id: $id) {
    id
    nodePools {
      id
      clusterId
      name
      type
      isDefault
      created
      updated
      status {
        state
        totalNodes
        servingNodes
      }
      scalingGroup {
        instanceTypes
        dataDisks {
          category
          size
          encrypted
        }
        multiAzPolicy
        spotStrategy
      }
      kubernetesConfig {
        labels {
          key
          value
        }
        taints {
          key
          value
          effect
        }
        cpuPolicy
      }
      nodeConfig {
        kubeletConfiguration {
          evictionHard
          maxPods
        }
      }
      nodeComponents {
        name
        version
        config {
          customConfig
        }
      }
      cluster {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RealisticValuesQuery, RealisticValuesQueryVariables>;