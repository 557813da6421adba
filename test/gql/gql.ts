/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n      subscription WatchUserData($clusterId: ID!) {\n        nodePools(clusterId: $clusterId) { nodePools { id kubernetesConfig { userData } } }\n      }\n    ": typeof types.WatchUserDataDocument,
    "query Pools($id: ID!) { nodePools(clusterId: $id) { id name status { totalNodes } } }": typeof types.PoolsDocument,
    "query List($name: String) { clusterList(first: 5, filter: { name: $name }) { totalCount nodes { id } } }": typeof types.ListDocument,
    "\n  query Dashboard($after: String) {\n    clusterList(first: 20, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges { cursor }\n      nodes {\n        id name state currentVersion regionId\n        nodePools { name status { state totalNodes healthyNodes } }\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  query RealisticValues($id: ID!) {\n    cluster(id: $id) {\n      id\n      nodePools {\n        id clusterId name type isDefault created updated\n        status { state totalNodes servingNodes }\n        scalingGroup { instanceTypes dataDisks { category size encrypted } multiAzPolicy spotStrategy }\n        kubernetesConfig { labels { key value } taints { key value effect } cpuPolicy }\n        nodeConfig { kubeletConfiguration { evictionHard maxPods } }\n        nodeComponents { name version config { customConfig } }\n        cluster { id }\n      }\n    }\n  }\n": typeof types.RealisticValuesDocument,
};
const documents: Documents = {
    "\n      subscription WatchUserData($clusterId: ID!) {\n        nodePools(clusterId: $clusterId) { nodePools { id kubernetesConfig { userData } } }\n      }\n    ": types.WatchUserDataDocument,
    "query Pools($id: ID!) { nodePools(clusterId: $id) { id name status { totalNodes } } }": types.PoolsDocument,
    "query List($name: String) { clusterList(first: 5, filter: { name: $name }) { totalCount nodes { id } } }": types.ListDocument,
    "\n  query Dashboard($after: String) {\n    clusterList(first: 20, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges { cursor }\n      nodes {\n        id name state currentVersion regionId\n        nodePools { name status { state totalNodes healthyNodes } }\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  query RealisticValues($id: ID!) {\n    cluster(id: $id) {\n      id\n      nodePools {\n        id clusterId name type isDefault created updated\n        status { state totalNodes servingNodes }\n        scalingGroup { instanceTypes dataDisks { category size encrypted } multiAzPolicy spotStrategy }\n        kubernetesConfig { labels { key value } taints { key value effect } cpuPolicy }\n        nodeConfig { kubeletConfiguration { evictionHard maxPods } }\n        nodeComponents { name version config { customConfig } }\n        cluster { id }\n      }\n    }\n  }\n": types.RealisticValuesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      subscription WatchUserData($clusterId: ID!) {\n        nodePools(clusterId: $clusterId) { nodePools { id kubernetesConfig { userData } } }\n      }\n    "): typeof import('./graphql.js').WatchUserDataDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Pools($id: ID!) { nodePools(clusterId: $id) { id name status { totalNodes } } }"): typeof import('./graphql.js').PoolsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query List($name: String) { clusterList(first: 5, filter: { name: $name }) { totalCount nodes { id } } }"): typeof import('./graphql.js').ListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard($after: String) {\n    clusterList(first: 20, after: $after) {\n      totalCount\n      pageInfo { hasNextPage hasPreviousPage endCursor }\n      edges { cursor }\n      nodes {\n        id name state currentVersion regionId\n        nodePools { name status { state totalNodes healthyNodes } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RealisticValues($id: ID!) {\n    cluster(id: $id) {\n      id\n      nodePools {\n        id clusterId name type isDefault created updated\n        status { state totalNodes servingNodes }\n        scalingGroup { instanceTypes dataDisks { category size encrypted } multiAzPolicy spotStrategy }\n        kubernetesConfig { labels { key value } taints { key value effect } cpuPolicy }\n        nodeConfig { kubeletConfiguration { evictionHard maxPods } }\n        nodeComponents { name version config { customConfig } }\n        cluster { id }\n      }\n    }\n  }\n"): typeof import('./graphql.js').RealisticValuesDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
