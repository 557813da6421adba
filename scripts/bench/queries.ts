/** The bench's GraphQL documents, and the leaf-field count it prints for W1. */
import { Kind, parse, type SelectionSetNode } from 'graphql';

/**
 * W1, a dashboard: every pool of every cluster with what an operator scans for. One
 * `clusters(ids:)` call so the gateway batches all clusters in one operation.
 */
export const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard($ids: [ID!]!) {
    clusters(ids: $ids) {
      id
      nodePools {
        id
        name
        type
        isDefault
        created
        status {
          state
          totalNodes
          healthyNodes
          failedNodes
          initialNodes
          offlineNodes
          removingNodes
          servingNodes
        }
        autoScaling {
          enable
          minInstances
          maxInstances
          type
        }
        management {
          enable
          autoRepair
          autoUpgrade
          autoVulFix
          autoRepairPolicy {
            restartNode
            approvalRequired
          }
          autoVulFixPolicy {
            restartNode
            vulLevel
          }
          autoUpgradePolicy {
            autoUpgradeKubelet
          }
          upgradeConfig {
            autoUpgrade
            maxUnavailable
            surge
          }
        }
        scalingGroup {
          instanceTypes
          desiredSize
          instanceChargeType
          systemDiskCategory
          dataDisks {
            category
            size
          }
          tags {
            key
            value
          }
        }
        kubernetesConfig {
          runtime
          runtimeVersion
          labels {
            key
            value
          }
          taints {
            key
            value
            effect
          }
        }
      }
    }
  }
`;

/** W2: one pool of one cluster, by name. */
export const ONE_POOL_QUERY = /* GraphQL */ `
  query OnePool($clusterId: ID!, $name: String!) {
    nodePools(clusterId: $clusterId, name: $name) {
      id
      name
      type
      isDefault
      status {
        state
        totalNodes
        healthyNodes
      }
      autoScaling {
        enable
        minInstances
        maxInstances
      }
    }
  }
`;

function countLeaves(selectionSet: SelectionSetNode): number {
  let leaves = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) throw new Error('bench queries use plain fields only');
    leaves += selection.selectionSet ? countLeaves(selection.selectionSet) : 1;
  }
  return leaves;
}

/** Leaf (scalar/enum) fields selected under the first `nodePools` field: the cost per pool. */
export function leafFieldsPerPool(query: string): number {
  const find = (selectionSet: SelectionSetNode): SelectionSetNode | undefined => {
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD || !selection.selectionSet) continue;
      if (selection.name.value === 'nodePools') return selection.selectionSet;
      const nested = find(selection.selectionSet);
      if (nested) return nested;
    }
    return undefined;
  };
  for (const definition of parse(query).definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const pools = find(definition.selectionSet);
    if (pools) return countLeaves(pools);
  }
  throw new Error('no nodePools selection in the query');
}
