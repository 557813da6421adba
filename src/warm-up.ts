import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectSpec, ScalarKind } from './ack/model/dsl.js';
import { AckNodePoolSpec } from './ack/model/node-pool/index.js';
import { fieldsOf, type TypeVisitor, visitType } from './ack/model/walk.js';
import type { App } from './app.js';
import type { Logger } from './logger.js';
import { ackSelection } from './schema/ack-types.js';

/** Clusters and pools per cluster of the synthetic answers the warm-up executes over. */
const WARM_UP_CLUSTERS = 2;
const WARM_UP_POOLS = 3;
/** Rounds of the warm-up query: enough for V8 to optimize the hot resolvers. */
const WARM_UP_ROUNDS = 12;

/** A scalar value of `kind` that every parser rule accepts. */
function sampleScalar(kind: ScalarKind): unknown {
  switch (kind) {
    case 'id':
    case 'string':
      return 'warm-up';
    case 'int':
      return 3;
    case 'float':
      return 0.5;
    case 'boolean':
      return true;
    case 'datetime':
      return '2025-04-15T16:33:29.362888807+08:00';
    case 'json':
      return { warm: 'up' };
  }
}

/** A JSON value of the spec's type, with every nested field present. */
const sampler: TypeVisitor<unknown> = {
  scalar: (type) => sampleScalar(type.kind),
  enum: (type) => Object.keys(type.values)[0],
  list: (type) => [visitType(type.of, sampler), visitType(type.of, sampler)],
  object: (type) => sampleObject(type),
};

function sampleObject(spec: ObjectSpec): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of fieldsOf(spec)) {
    let target = result;
    for (const segment of field.path.slice(0, -1)) {
      target[segment] ??= {};
      target = target[segment] as Record<string, unknown>;
    }
    target[field.path.at(-1) ?? field.key] = visitType(field.type, sampler);
  }
  return result;
}

/**
 * Runs the gateway's whole path (yoga, validation, the loaders, the SDK's signed calls, parsing,
 * every node-pool resolver, serialization) a few dozen times over synthetic answers from a
 * loopback stand-in, in a throwaway app, before the server listens: the first real burst then
 * meets optimized code instead of a cold interpreter. It makes no upstream call. `rehearse`
 * builds the throwaway app, wired like the real one, against the stand-in.
 */
export async function warmUp(
  logger: Logger,
  rehearse: (upstream: {
    endpoint: string;
    credentials: { accessKeyId: string; accessKeySecret: string };
  }) => Promise<App>,
): Promise<void> {
  const started = performance.now();
  const body = JSON.stringify({
    nodepools: Array.from({ length: WARM_UP_POOLS }, (_, index) => {
      const pool = sampleObject(AckNodePoolSpec);
      (pool.nodepool_info as Record<string, unknown>).nodepool_id = `npwarmup${index}`;
      return pool;
    }),
  });
  // A loopback stand-in that answers every call with the synthetic pools: the SDK's request
  // building, signing, transport and our parsing warm up too, and nothing leaves the machine.
  const standIn = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  const app = await rehearse({
    endpoint: `127.0.0.1:${(standIn.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'warm-up', accessKeySecret: randomBytes(16).toString('hex') },
  });
  const ids = Array.from({ length: WARM_UP_CLUSTERS }, (_, index) => `cwarmup${index}`);
  // Every field but the sensitive ones, which need a scope the rehearsal's caller does not hold.
  const selection = ackSelection(AckNodePoolSpec, (field) => !field.sensitive);
  const query = `query WarmUp($ids: [ID!]!) { clusters(ids: $ids) { id nodePools ${selection} } }`;
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    const response = await app.fetch('http://warm-up/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { ids } }),
    });
    await response.arrayBuffer();
  }
  await app.dispose();
  standIn.closeAllConnections();
  await new Promise((resolve) => standIn.close(resolve));
  logger.debug({ ms: Math.round(performance.now() - started) }, 'Warmed up the execution path');
}
