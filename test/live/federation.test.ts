import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { createOwnershipSubgraph, OWNERSHIP_TYPE_DEFS } from '../helpers/ownership-subgraph.js';
import { NODE_POOLS_SUBSCRIPTION, subscribeSse } from './live-client.js';

/**
 * The subscription in a supergraph. It composes (Federation 2 allows a Subscription type in a
 * subgraph), but Apollo Gateway 2, the router the federation tests use, executes no
 * subscriptions: it refuses them. Routers that do (Apollo Router with its subscription
 * support, Hive Gateway) forward them to this subgraph over graphql-ws or SSE; here the
 * subgraph is asked directly, on the URL the supergraph routes to.
 */
let ack: TestGateway;
let ackUrl: string;
let ownership: Server;
let router: ApolloServer;
let routerUrl: string;
let supergraphSdl: string;

beforeAll(async () => {
  ack = await startTestGateway({ env: { WATCH_INTERVAL_MS: '200' } });
  ackUrl = `${await ack.listen()}/graphql`;
  ownership = createServer(createOwnershipSubgraph([]));
  await new Promise<void>((resolve) => ownership.listen(0, '127.0.0.1', resolve));
  const ownershipUrl = `http://127.0.0.1:${(ownership.address() as AddressInfo).port}/graphql`;
  const composed = composeServices([
    { name: 'ack', typeDefs: parse(await readFile('schema/subgraph.graphql', 'utf8')), url: ackUrl },
    { name: 'ownership', typeDefs: OWNERSHIP_TYPE_DEFS, url: ownershipUrl },
  ]);
  expect(composed.errors).toBeUndefined();
  supergraphSdl = composed.supergraphSdl as string;
  router = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  ({ url: routerUrl } = await startStandaloneServer(router, { listen: { port: 0, host: '127.0.0.1' } }));
});

afterAll(async () => {
  await router?.stop();
  ownership?.closeAllConnections();
  await new Promise((resolve) => ownership?.close(resolve));
  await ack?.close();
});

describe('the nodePools subscription in the supergraph', () => {
  it('composes: the supergraph has the Subscription type, routed to the ACK subgraph', () => {
    const schema = parse(supergraphSdl);
    const subscription = schema.definitions.find(
      (definition) => definition.kind === 'ObjectTypeDefinition' && definition.name.value === 'Subscription',
    );
    expect(subscription).toBeDefined();
    expect(supergraphSdl).toMatch(/type NodePoolsUpdate\s+@join__type\(graph: ACK\)/);
  });

  it('Apollo Gateway 2 refuses subscriptions (it executes queries and mutations only)', async () => {
    const response = await fetch(routerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({
        query: NODE_POOLS_SUBSCRIPTION,
        variables: { clusterId: ack.simulator.clusters[0]?.id },
      }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toMatch(/subscription/i);
    expect(ack.gateway.watcher.stats().subscriptions).toBe(0);
  });

  it('the ACK subgraph serves it directly, on the URL the supergraph routes to', async () => {
    const subscription = await subscribeSse(fetch, ackUrl, { clusterId: ack.simulator.clusters[0]?.id });
    try {
      const [first] = await subscription.received.atLeast(1);
      expect(first?.data?.nodePools?.nodePools).toHaveLength(5);
      await ack.simulator.scaleNodePool(0, 0, 3, { stepMs: 0, steps: 1 });
      const [, changed] = await subscription.received.atLeast(2);
      expect(changed?.data?.nodePools?.changed).toEqual([
        ack.simulator.clusters[0]?.nodePools[0]?.nodepool_info.nodepool_id,
      ]);
    } finally {
      await subscription.close();
    }
  });
});
