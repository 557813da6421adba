import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import {
  createOwnershipSubgraph,
  OWNERSHIP_TYPE_DEFS,
  type Ownership,
} from '../helpers/ownership-subgraph.js';

let ack: TestGateway;
let ackUrl: string;
let ownershipServer: Server;
let ownershipUrl: string;
let router: ApolloServer;
let routerUrl: string;
let teams: Ownership[];

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`),
    ),
  );

async function routerQuery(query: string, variables?: Record<string, unknown>) {
  const response = await fetch(routerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
}

beforeAll(async () => {
  ack = await startTestGateway({ simulator: { clusterCount: 4 } });
  ackUrl = `${await ack.listen()}/graphql`;
  const [a, b, c, d] = ack.simulator.clusters;
  if (!a || !b || !c || !d) throw new Error('simulator clusters missing');
  teams = [
    {
      team: 'payments',
      slack: '#payments-oncall',
      clusterIds: [a.id, b.id],
      criticalNodePool: { clusterId: c.id, id: c.nodePools[1]?.nodepool_info.nodepool_id ?? '' },
    },
    {
      team: 'search',
      slack: '#search-infra',
      clusterIds: [c.id],
      criticalNodePool: { clusterId: a.id, id: a.nodePools[2]?.nodepool_info.nodepool_id ?? '' },
    },
  ];
  ownershipServer = createServer(createOwnershipSubgraph(teams));
  ownershipUrl = await listen(ownershipServer);

  const { supergraphSdl, errors } = composeServices([
    { name: 'ack', typeDefs: parse(await readFile('schema/subgraph.graphql', 'utf8')), url: ackUrl },
    { name: 'ownership', typeDefs: OWNERSHIP_TYPE_DEFS, url: ownershipUrl },
  ]);
  expect(errors).toBeUndefined();
  router = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: supergraphSdl as string }) });
  ({ url: routerUrl } = await startStandaloneServer(router, { listen: { port: 0, host: '127.0.0.1' } }));
});

afterAll(async () => {
  await router?.stop();
  ownershipServer?.closeAllConnections();
  await new Promise((resolve) => ownershipServer?.close(resolve));
  await ack?.close();
});

beforeEach(() => {
  ack.cache.clear();
  ack.simulator.resetStats();
});

describe('a supergraph with the ACK subgraph and an ownership subgraph, served by Apollo Gateway', () => {
  it('starts in the ACK subgraph and crosses into the ownership subgraph', async () => {
    const [a, , , d] = ack.simulator.clusters;
    const result = await routerQuery(
      `query($a: ID!, $d: ID!) {
        owned: cluster(id: $a) { id team { name slack } nodePools { name } }
        unowned: cluster(id: $d) { id team { name } }
      }`,
      { a: a?.id, d: d?.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.owned).toEqual({
      id: a?.id,
      team: { name: 'payments', slack: '#payments-oncall' },
      nodePools: a?.nodePools.map((pool) => ({ name: pool.nodepool_info.name })),
    });
    expect(result.data?.unowned).toEqual({ id: d?.id, team: null });
    expect(ack.upstreamCalls()).toBe(2);
  });

  it('starts in the ownership subgraph and resolves Cluster and NodePool entities from ACK, one call per cluster', async () => {
    const result = await routerQuery(`{
      teams {
        name
        clusters { id nodePools { id name status { state } } }
        criticalNodePool { id name type clusterId cluster { id } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const [a, b, c] = ack.simulator.clusters;
    const [payments, search] = result.data?.teams ?? [];
    expect(payments.clusters.map((cluster: { id: string }) => cluster.id)).toEqual([a?.id, b?.id]);
    expect(payments.clusters[0].nodePools).toHaveLength(a?.nodePools.length ?? -1);
    expect(payments.criticalNodePool).toEqual({
      id: c?.nodePools[1]?.nodepool_info.nodepool_id,
      name: c?.nodePools[1]?.nodepool_info.name,
      type: expect.stringMatching(/^(ESS|EDGE|LINGJUN)$/),
      clusterId: c?.id,
      cluster: { id: c?.id },
    });
    expect(search.criticalNodePool.id).toBe(a?.nodePools[2]?.nodepool_info.nodepool_id);
    // Three distinct clusters (a, b, c) across every entity representation: three ACK calls.
    expect(ack.simulator.stats().byAction).toEqual({ DescribeClusterNodePools: 3 });
  });
});

describe('_entities on the ACK subgraph', () => {
  const ENTITIES = `query($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Cluster { id nodePools { id } }
      ... on NodePool { id clusterId name }
    }
  }`;

  it('resolves N representations over K clusters with K calls, in order, null where missing', async () => {
    const [a, b] = ack.simulator.clusters;
    const pool = (cluster: typeof a, index: number) => cluster?.nodePools[index]?.nodepool_info;
    const representations = [
      { __typename: 'NodePool', clusterId: a?.id, id: pool(a, 0)?.nodepool_id },
      { __typename: 'Cluster', id: b?.id },
      { __typename: 'NodePool', clusterId: b?.id, id: pool(b, 3)?.nodepool_id },
      { __typename: 'Cluster', id: 'c00000000000000000000000000000000' },
      { __typename: 'NodePool', clusterId: a?.id, id: 'np-does-not-exist' },
      { __typename: 'Cluster', id: a?.id },
      { __typename: 'NodePool', clusterId: a?.id, id: pool(a, 4)?.nodepool_id },
    ];
    const result = await ack.query(ENTITIES, { representations });
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { __typename: 'NodePool', id: pool(a, 0)?.nodepool_id, clusterId: a?.id, name: pool(a, 0)?.name },
      {
        __typename: 'Cluster',
        id: b?.id,
        nodePools: b?.nodePools.map((p) => ({ id: p.nodepool_info.nodepool_id })),
      },
      { __typename: 'NodePool', id: pool(b, 3)?.nodepool_id, clusterId: b?.id, name: pool(b, 3)?.name },
      null,
      null,
      {
        __typename: 'Cluster',
        id: a?.id,
        nodePools: a?.nodePools.map((p) => ({ id: p.nodepool_info.nodepool_id })),
      },
      { __typename: 'NodePool', id: pool(a, 4)?.nodepool_id, clusterId: a?.id, name: pool(a, 4)?.name },
    ]);
    // a, b and the unknown cluster: three calls for seven representations.
    expect(ack.upstreamCalls()).toBe(3);
  });

  it('answers an upstream failure or a malformed id as an error for that entity only', async () => {
    const [a, b] = ack.simulator.clusters;
    ack.simulator.setFault(b?.id ?? '', 'throttled');
    try {
      const result = await ack.query(ENTITIES, {
        representations: [
          { __typename: 'Cluster', id: a?.id },
          { __typename: 'Cluster', id: b?.id },
          { __typename: 'NodePool', clusterId: b?.id, id: b?.nodePools[0]?.nodepool_info.nodepool_id },
          { __typename: 'NodePool', clusterId: '../etc', id: 'np1' },
        ],
      });
      expect(result.data?._entities).toEqual([
        { __typename: 'Cluster', id: a?.id, nodePools: expect.any(Array) },
        null,
        null,
        null,
      ]);
      expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions?.code]).sort()).toEqual([
        ['_entities.1', 'UPSTREAM_THROTTLED'],
        ['_entities.2', 'UPSTREAM_THROTTLED'],
        ['_entities.3', 'BAD_USER_INPUT'],
      ]);
    } finally {
      ack.simulator.setFault(b?.id ?? '', undefined);
    }
  });

  it('publishes a Federation 2 SDL that imports only the directives it uses', async () => {
    const result = await ack.query<{ _service: { sdl: string } }>('{ _service { sdl } }');
    const sdl = result.data?._service.sdl ?? '';
    expect(sdl).toContain(
      '@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable"])',
    );
    // PageInfo is the one type other subgraphs define too.
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
    expect(sdl).toMatch(/type Cluster\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type NodePool\s+@key\(fields: "clusterId id"\)/);
    expect(sdl).toBe(await readFile('schema/subgraph.graphql', 'utf8').then((committed) => committed));
  });
});

describe('freshness through the router', () => {
  it('shows stale: true with the old observedAt while the cluster fails and its cached answer is served', async () => {
    const short = await startTestGateway({ simulator: { clusterCount: 1 }, cacheTtlMs: 200 });
    const url = `${await short.listen()}/graphql`;
    const { supergraphSdl } = composeServices([
      { name: 'ack', typeDefs: parse(await readFile('schema/subgraph.graphql', 'utf8')), url },
    ]);
    const shortRouter = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: supergraphSdl as string }),
    });
    const { url: shortRouterUrl } = await startStandaloneServer(shortRouter, {
      listen: { port: 0, host: '127.0.0.1' },
    });
    try {
      const [cluster] = short.simulator.clusters;
      const ask = async () => {
        const response = await fetch(shortRouterUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
          body: JSON.stringify({
            query: 'query($id: ID!) { nodePools(clusterId: $id) { id observedAt stale } }',
            variables: { id: cluster?.id },
          }),
        });
        return (await response.json()) as {
          data: { nodePools: { id: string; observedAt: string; stale: boolean }[] };
          extensions?: unknown;
        };
      };
      const fresh = await ask();
      const [first] = fresh.data.nodePools;
      expect(first?.stale).toBe(false);
      expect(Date.now() - Date.parse(first?.observedAt ?? '')).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      short.simulator.setFault(cluster?.id ?? '', 'server-error');
      const stale = await ask();
      expect(stale.data.nodePools.map((pool) => pool.stale)).toEqual(fresh.data.nodePools.map(() => true));
      expect(stale.data.nodePools[0]?.observedAt).toBe(first?.observedAt);
      // What a direct caller reads in extensions.warnings does not pass the router: the data does.
      expect(JSON.stringify(stale.extensions ?? {})).not.toContain('STALE_DATA');
    } finally {
      await shortRouter.stop();
      await short.close();
    }
  });
});
