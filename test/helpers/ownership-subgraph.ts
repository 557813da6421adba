import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/**
 * A second, small subgraph as another team would write it: it owns teams, extends `Cluster`
 * with ownership fields and points at `NodePool`s it does not resolve itself.
 */
export const OWNERSHIP_TYPE_DEFS = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    teams: [Team!]!
  }

  type Team {
    name: String!
    slack: String!
    clusters: [Cluster!]!
    criticalNodePool: NodePool
  }

  type Cluster @key(fields: "id") {
    id: ID!
    team: Team
  }

  type NodePool @key(fields: "clusterId id", resolvable: false) {
    clusterId: ID!
    id: ID!
  }
`);

export interface Ownership {
  team: string;
  slack: string;
  clusterIds: string[];
  criticalNodePool?: { clusterId: string; id: string };
}

export function createOwnershipSubgraph(teams: Ownership[]) {
  const teamOf = (clusterId: string) => teams.find((team) => team.clusterIds.includes(clusterId));
  const asTeam = (team: Ownership) => ({
    name: team.team,
    slack: team.slack,
    clusters: team.clusterIds.map((id) => ({ id })),
    criticalNodePool: team.criticalNodePool ?? null,
  });
  const schema = buildSubgraphSchema({
    typeDefs: OWNERSHIP_TYPE_DEFS,
    resolvers: {
      Query: { teams: () => teams.map(asTeam) },
      Cluster: {
        __resolveReference: (reference: { id: string }) => reference,
        team: (cluster: { id: string }) => {
          const team = teamOf(cluster.id);
          return team ? asTeam(team) : null;
        },
      },
    },
  });
  return createYoga({ schema, graphqlEndpoint: '/graphql', graphiql: false, logging: false });
}
