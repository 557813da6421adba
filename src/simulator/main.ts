/**
 * Runs the ACK simulator on its own: `tsx src/simulator/main.ts`.
 *
 * SIMULATOR_PORT (default 0: a free port), SIMULATOR_HOST (default 127.0.0.1),
 * SIMULATOR_CLUSTERS, SIMULATOR_NODE_POOLS, SIMULATOR_LATENCY_MS, SIMULATOR_SEED,
 * SIMULATOR_ACCESS_KEY_ID / SIMULATOR_ACCESS_KEY_SECRET (default: the simulator's fixed pair).
 * Prints the endpoint, the key id (never the secret) and the cluster ids; serves until
 * SIGTERM or SIGINT.
 */
import {
  createAckSimulator,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_CLUSTER_COUNT,
  DEFAULT_HOST,
  DEFAULT_NODE_POOLS_PER_CLUSTER,
  DEFAULT_SEED,
} from './index.js';

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return value;
}

const port = integerFromEnv('SIMULATOR_PORT', 0);
const simulator = createAckSimulator({
  clusterCount: integerFromEnv('SIMULATOR_CLUSTERS', DEFAULT_CLUSTER_COUNT),
  nodePoolsPerCluster: integerFromEnv('SIMULATOR_NODE_POOLS', DEFAULT_NODE_POOLS_PER_CLUSTER),
  latencyMs: integerFromEnv('SIMULATOR_LATENCY_MS', 0),
  seed: integerFromEnv('SIMULATOR_SEED', DEFAULT_SEED),
  accessKeyId: process.env.SIMULATOR_ACCESS_KEY_ID || undefined,
  accessKeySecret: process.env.SIMULATOR_ACCESS_KEY_SECRET || undefined,
});
const { endpoint } = await simulator.listen(port, process.env.SIMULATOR_HOST || DEFAULT_HOST);

console.log(`ACK simulator listening on ${endpoint} (set ACK_ENDPOINT=${endpoint} ACK_PROTOCOL=http)`);
console.log(
  `access key id: ${simulator.accessKeyId}${simulator.accessKeyId === DEFAULT_ACCESS_KEY_ID ? ' (the default pair; secret: see DEFAULT_ACCESS_KEY_SECRET in src/simulator/server.ts)' : ''}`,
);
for (const cluster of simulator.clusters) {
  console.log(
    `cluster ${cluster.id} ${cluster.detail.name} ${cluster.detail.region_id} ${cluster.detail.cluster_type} (${cluster.nodePools.length} node pools)`,
  );
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the ACK simulator`);
  simulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
