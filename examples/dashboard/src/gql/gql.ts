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
    "\n  query DashboardClusters($first: Int!) {\n    clusterList(first: $first) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n        nodePools {\n          id\n          name\n          status {\n            state\n            totalNodes\n            healthyNodes\n          }\n          observedAt\n          stale\n        }\n      }\n    }\n  }\n": typeof types.DashboardClustersDocument,
    "\n  query PoolByName($clusterId: ID!, $name: String!) {\n    nodePools(clusterId: $clusterId, name: $name) {\n      id\n      name\n      type\n      scalingGroup {\n        instanceTypes\n        desiredSize\n      }\n      autoScaling {\n        enable\n        minInstances\n        maxInstances\n      }\n    }\n  }\n": typeof types.PoolByNameDocument,
};
const documents: Documents = {
    "\n  query DashboardClusters($first: Int!) {\n    clusterList(first: $first) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n        nodePools {\n          id\n          name\n          status {\n            state\n            totalNodes\n            healthyNodes\n          }\n          observedAt\n          stale\n        }\n      }\n    }\n  }\n": types.DashboardClustersDocument,
    "\n  query PoolByName($clusterId: ID!, $name: String!) {\n    nodePools(clusterId: $clusterId, name: $name) {\n      id\n      name\n      type\n      scalingGroup {\n        instanceTypes\n        desiredSize\n      }\n      autoScaling {\n        enable\n        minInstances\n        maxInstances\n      }\n    }\n  }\n": types.PoolByNameDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DashboardClusters($first: Int!) {\n    clusterList(first: $first) {\n      totalCount\n      nodes {\n        id\n        name\n        state\n        nodePools {\n          id\n          name\n          status {\n            state\n            totalNodes\n            healthyNodes\n          }\n          observedAt\n          stale\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').DashboardClustersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PoolByName($clusterId: ID!, $name: String!) {\n    nodePools(clusterId: $clusterId, name: $name) {\n      id\n      name\n      type\n      scalingGroup {\n        instanceTypes\n        desiredSize\n      }\n      autoScaling {\n        enable\n        minInstances\n        maxInstances\n      }\n    }\n  }\n"): typeof import('./graphql.js').PoolByNameDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
