/**
 * The ACK simulator as its own process, for the bench. Same environment as
 * `src/simulator/main.ts` (SIMULATOR_PORT, SIMULATOR_CLUSTERS, SIMULATOR_NODE_POOLS,
 * SIMULATOR_LATENCY_MS, SIMULATOR_ACCESS_KEY_ID / _SECRET), plus an IPC channel: the CLI prints
 * no request counts, and the bench needs exact upstream calls per workload without a counting
 * proxy that would add a hop (and CPU) between gateway and simulator.
 */
import {
  createAckSimulator,
  DEFAULT_CLUSTER_COUNT,
  DEFAULT_HOST,
  DEFAULT_NODE_POOLS_PER_CLUSTER,
} from '../../src/simulator/index.js';
import { isSimulatorRequest, type ReadySimulator, type Reply } from './protocol.js';

const send = process.send?.bind(process);
if (!send) {
  console.error(
    'simulator-process.ts must be forked with an IPC channel (it is started by scripts/bench.ts)',
  );
  process.exit(1);
}

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

const simulator = createAckSimulator({
  clusterCount: integerFromEnv('SIMULATOR_CLUSTERS', DEFAULT_CLUSTER_COUNT),
  nodePoolsPerCluster: integerFromEnv('SIMULATOR_NODE_POOLS', DEFAULT_NODE_POOLS_PER_CLUSTER),
  latencyMs: integerFromEnv('SIMULATOR_LATENCY_MS', 0),
  accessKeyId: process.env.SIMULATOR_ACCESS_KEY_ID || undefined,
  accessKeySecret: process.env.SIMULATOR_ACCESS_KEY_SECRET || undefined,
});
const { endpoint } = await simulator.listen(integerFromEnv('SIMULATOR_PORT', 0), DEFAULT_HOST);

process.on('message', (message: unknown) => {
  if (!isSimulatorRequest(message)) return;
  const reply: Reply = { type: 'reply', id: message.id };
  if (message.op === 'stats') reply.stats = simulator.stats();
  else if (message.op === 'resetStats') simulator.resetStats();
  else simulator.setOptions({ latencyMs: message.latencyMs });
  send(reply);
});

// The bench owns this process: when it goes away (even killed), the channel closes and so do we.
process.on('disconnect', () => {
  void simulator.close().finally(() => process.exit(0));
});
process.on('SIGTERM', () => {
  void simulator.close().finally(() => process.exit(0));
});

const ready: ReadySimulator = {
  type: 'ready',
  endpoint,
  clusters: simulator.clusters.map((cluster) => ({
    id: cluster.id,
    nodePoolNames: cluster.nodePools.map((pool) => pool.nodepool_info.name),
  })),
};
send(ready);
