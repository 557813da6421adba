/**
 * The V8 side of test/upstream/fast-properties.test.ts, run with `node --allow-natives-syntax
 * --import tsx`: parses a simulator's clusters and node pools as the gateway does (and as a
 * replica reads them back from the shared tier), and prints, as one JSON line, every object
 * found in dictionary mode and every object whose hidden class differs from the same object,
 * with the same keys, of the first node pool.
 */

import { AckClusterDetailSpec, AckClusterListEntrySpec } from '../../src/ack/model/cluster.js';
import type { ObjectSpec, ParsedObject } from '../../src/ack/model/dsl.js';
import { AckNodePoolSpec } from '../../src/ack/model/node-pool/index.js';
import { parseObject } from '../../src/ack/model/parse.js';
import { decodeValue, encodeValue } from '../../src/ack/shared-codec.js';
import { createAckSimulator } from '../../src/simulator/index.js';

// V8's own checks, which only --allow-natives-syntax lets a script name.
const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (
  object: object,
) => boolean;
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const simulator = createAckSimulator({
  accessKeyId: 'LTAIfastproperties00001',
  accessKeySecret: 'fast-properties-secret-01',
  clusterCount: 3,
  nodePoolsPerCluster: 4,
});

const parse = (spec: ObjectSpec, source: unknown): ParsedObject => {
  const parsed = parseObject(spec, JSON.parse(JSON.stringify(source)) as Record<string, unknown>, '', []);
  if (!parsed) throw new Error(`${spec.name} did not parse`);
  return parsed;
};

/** Every object under `value`, by path (list items as `[]`: items of one list share one table). */
function objectsOf(value: unknown, path: string, into: [string, object][] = []): [string, object][] {
  if (Array.isArray(value)) {
    for (const item of value) objectsOf(item, `${path}[]`, into);
  } else if (value && typeof value === 'object') {
    into.push([path, value]);
    for (const [key, child] of Object.entries(value)) objectsOf(child, `${path}.${key}`, into);
  }
  return into;
}

const dictionaries: string[] = [];
const differentClasses: string[] = [];
let objects = 0;
const check = (label: string, root: unknown, reference?: Map<string, object>) => {
  for (const [path, object] of objectsOf(root, label)) {
    objects += 1;
    if (!hasFastProperties(object)) dictionaries.push(path);
    // Free-form maps (JSON fields such as a component's custom_config) differ in their keys.
    const same = reference?.get(path.slice(path.indexOf('.')));
    const sameKeys = same && Object.keys(same).join() === Object.keys(object).join();
    if (same && sameKeys && !haveSameMap(same, object)) differentClasses.push(path);
  }
};

const firstPool = new Map<string, object>();
for (const cluster of simulator.clusters) {
  check(`detail(${cluster.id})`, parse(AckClusterDetailSpec, cluster.detail));
  check(`listEntry(${cluster.id})`, parse(AckClusterListEntrySpec, cluster.listEntry));
  for (const raw of simulator.nodePools(cluster.id) ?? []) {
    const pool = parse(AckNodePoolSpec, raw);
    if (firstPool.size === 0) for (const [path, object] of objectsOf(pool, '')) firstPool.set(path, object);
    check(`pool`, pool, firstPool);
    check(`shared(pool)`, decodeValue(JSON.parse(JSON.stringify(encodeValue(pool)))), firstPool);
  }
}
console.log(JSON.stringify({ objects, dictionaries, differentClasses }));
