import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AckApi } from './ack/ack-api.js';
import { AckCache } from './ack/ack-cache.js';
import { AckClient } from './ack/ack-client.js';
import type { FieldSpec, ObjectSpec, TypeSpec } from './ack/model/dsl.js';
import { AckNodePoolSpec } from './ack/model/node-pool.js';
import { createApp } from './app.js';
import type { Logger } from './logger.js';
import { camelCase } from './schema/ack-types.js';

/** Clusters and pools per cluster of the synthetic answers the warm-up executes over. */
const WARM_UP_CLUSTERS = 2;
const WARM_UP_POOLS = 3;
/** Rounds of the warm-up query: enough for V8 to optimize the hot resolvers. */
const WARM_UP_ROUNDS = 12;

/** A JSON value of the spec's type, with every nested field present. */
function sample(type: TypeSpec): unknown {
  switch (type.kind) {
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
    case 'enum':
      return Object.keys(type.values)[0];
    case 'list':
      return [sample(type.of), sample(type.of)];
    case 'object':
      return sampleObject(type);
  }
}

function sampleObject(spec: ObjectSpec): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(spec.fields as Record<string, FieldSpec>)) {
    let target = result;
    const path = field.from ?? [key];
    for (const segment of path.slice(0, -1)) {
      target[segment] ??= {};
      target = target[segment] as Record<string, unknown>;
    }
    target[path.at(-1) ?? key] = sample(field.type);
  }
  return result;
}

/** Every field of the spec, as a selection set (sensitive fields left out: they need a scope). */
function selectionOf(spec: ObjectSpec): string {
  const fields = Object.entries(spec.fields as Record<string, FieldSpec>)
    .filter(([, field]) => !field.sensitive)
    .map(([key, field]) => {
      const name = field.graphqlName ?? camelCase(key);
      const inner = field.type.kind === 'list' ? field.type.of : field.type;
      return inner.kind === 'object' ? `${name} ${selectionOf(inner)}` : name;
    });
  return `{ ${fields.join(' ')} }`;
}

/**
 * Runs the gateway's whole path (yoga, validation, the loaders, the SDK's signed calls, parsing,
 * every node-pool resolver, serialization) a few dozen times over synthetic answers from a
 * loopback stand-in, in a throwaway app, before the server listens: the first real burst then
 * meets optimized code instead of a cold interpreter. It makes no upstream call.
 */
export async function warmUp(logger: Logger): Promise<void> {
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
  const client = new AckClient({
    endpoint: `127.0.0.1:${(standIn.address() as AddressInfo).port}`,
    protocol: 'http',
    credentials: { accessKeyId: 'warm-up', accessKeySecret: randomBytes(16).toString('hex') },
  });
  // The rehearsal's requests and calls are not the service's: they are not logged.
  const quiet = logger.child({ phase: 'warm-up' }, { level: 'silent' });
  const app = createApp({
    ack: new AckApi(client, new AckCache({ ttlMs: 0 }), quiet),
    logger: quiet,
    graphiql: false,
    csrfPrevention: false,
  });
  const ids = Array.from({ length: WARM_UP_CLUSTERS }, (_, index) => `cwarmup${index}`);
  const query = `query WarmUp($ids: [ID!]!) { clusters(ids: $ids) { id nodePools ${selectionOf(AckNodePoolSpec)} } }`;
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
