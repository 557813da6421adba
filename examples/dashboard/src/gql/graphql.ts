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

export type DashboardClustersQueryVariables = Exact<{
  first: number;
}>;


export type DashboardClustersQuery = { clusterList: { totalCount: number, nodes: Array<{ id: string, name: string | null, state: ClusterState | null, nodePools: Array<{ id: string, name: string | null, observedAt: unknown, stale: boolean, status: { state: NodePoolState | null, totalNodes: number | null, healthyNodes: number | null } | null }> | null }> } };

export type PoolByNameQueryVariables = Exact<{
  clusterId: string | number;
  name: string;
}>;


export type PoolByNameQuery = { nodePools: Array<{ id: string, name: string | null, type: NodePoolType | null, scalingGroup: { instanceTypes: Array<string> | null, desiredSize: number | null } | null, autoScaling: { enable: boolean | null, minInstances: number | null, maxInstances: number | null } | null }> | null };

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

export const DashboardClustersDocument = new TypedDocumentString(`
    query DashboardClusters($first: Int!) {
  clusterList(first: $first) {
    totalCount
    nodes {
      id
      name
      state
      nodePools {
        id
        name
        status {
          state
          totalNodes
          healthyNodes
        }
        observedAt
        stale
      }
    }
  }
}
    `, {"hash":"sha256:cf55ea919a9b462cc40d1dc62920f3919f2dada678c28ef7ff66f0922e9adbb8"}) as unknown as TypedDocumentString<DashboardClustersQuery, DashboardClustersQueryVariables>;
export const PoolByNameDocument = new TypedDocumentString(`
    query PoolByName($clusterId: ID!, $name: String!) {
  nodePools(clusterId: $clusterId, name: $name) {
    id
    name
    type
    scalingGroup {
      instanceTypes
      desiredSize
    }
    autoScaling {
      enable
      minInstances
      maxInstances
    }
  }
}
    `, {"hash":"sha256:170cd066dba4f8c9aac2b726aea911f109b33a531b8d494b86eb03ff25b22645"}) as unknown as TypedDocumentString<PoolByNameQuery, PoolByNameQueryVariables>;