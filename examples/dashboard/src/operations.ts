import { graphql } from './gql/index.js';

/** The dashboard's first screen: every cluster of the first page with its pools' health. */
export const DashboardClusters = graphql(`
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
`);

/** One pool by name, for the pool page. */
export const PoolByName = graphql(`
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
`);
