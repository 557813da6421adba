import type { GraphiQLOptions } from 'graphql-yoga';

/** What the example tabs may know of the account behind the gateway. */
export interface GraphiQLExample {
  /** A cluster the caller can read (the simulator's first); else the tabs ask to pick one from the first. */
  clusterId?: string;
  /** A node pool name to look up; ACK names every cluster's first pool `default-nodepool`. */
  nodePoolName?: string;
  /** The header callers authenticate with when an auth mode is on, e.g. `Authorization`. */
  authHeader?: { name: string; placeholder: string };
}

/** Clusters with their pools: works against any account, from its first list page. */
export const CLUSTERS_TAB = /* GraphQL */ `# Your clusters and their node pools: one DescribeClustersV1 call, then one
# DescribeClusterNodePools per cluster. Run with Ctrl-Enter; the docs pane (top left)
# describes every field.
query ClusterPools {
  clusterList(first: 10) {
    totalCount
    nodes {
      id
      name
      state
      currentVersion
      nodePools {
        id
        name
        type
        isDefault
        status { state totalNodes healthyNodes servingNodes }
        autoScaling { enable minInstances maxInstances }
        scalingGroup { instanceTypes desiredSize }
        observedAt
        stale
      }
    }
  }
}
`;

/** One pool by name, in one cluster (pick the id from the first tab). */
export const POOL_BY_NAME_TAB = /* GraphQL */ `# One node pool by name. Put one of your cluster ids (from the first tab) in the
# variables below.
query PoolByName($clusterId: ID!, $name: String!) {
  nodePools(clusterId: $clusterId, name: $name) {
    id
    name
    status { state totalNodes healthyNodes failedNodes }
    kubernetesConfig { runtime runtimeVersion labels { key value } taints { key value effect } }
    management { enable autoRepair autoUpgrade }
    observedAt
  }
}
`;

/** The default node pool's name in ACK. */
export const DEFAULT_NODE_POOL_NAME = 'default-nodepool';

/** GraphiQL's tabs and headers: examples that answer against any account, the auth header prefilled. */
export function graphiqlOptions(example: GraphiQLExample = {}): GraphiQLOptions {
  const headers = example.authHeader
    ? JSON.stringify({ [example.authHeader.name]: example.authHeader.placeholder }, null, 2)
    : undefined;
  const variables = JSON.stringify(
    {
      clusterId: example.clusterId ?? 'paste a cluster id from the first tab',
      name: example.nodePoolName ?? DEFAULT_NODE_POOL_NAME,
    },
    null,
    2,
  );
  return {
    title: 'ACK node-pool gateway',
    defaultQuery: CLUSTERS_TAB,
    defaultTabs: [
      { query: CLUSTERS_TAB, ...(headers ? { headers } : {}) },
      { query: POOL_BY_NAME_TAB, variables, ...(headers ? { headers } : {}) },
    ],
    ...(headers ? { headers, defaultHeaders: headers, defaultEditorToolsVisibility: 'headers' } : {}),
  };
}
