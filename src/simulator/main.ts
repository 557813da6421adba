/**
 * Runs the ACK simulator on its own: `tsx src/simulator/main.ts` (`npm run simulator`).
 *
 * SIMULATOR_PORT (default 0: a free port), SIMULATOR_HOST (default 127.0.0.1),
 * SIMULATOR_CLUSTERS, SIMULATOR_NODE_POOLS, SIMULATOR_LATENCY_MS, SIMULATOR_SEED,
 * SIMULATOR_ACCESS_KEY_ID / SIMULATOR_ACCESS_KEY_SECRET (default: the simulator's fixed pair),
 * and the ones the gateway reads for its embedded simulator too:
 * SIMULATOR_FAULTS (`0=throttled,2=server-error`), SIMULATOR_SCALE_EVENTS (`0/1=8@5s`),
 * SIMULATOR_SCALE_STEP_MS, SIMULATOR_SLOW_MS, SIMULATOR_THROTTLE_RETRY_AFTER_MS and
 * SIMULATOR_ADMIN (`0` switches the unsigned admin API off). See docs/simulator.md.
 * Every problem is reported at once (exit 1). Prints the endpoint, the admin URL, the key id
 * (never the secret) and the clusters; serves until SIGTERM or SIGINT.
 */
import {
  type AckSimulator,
  createAckSimulator,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_CLUSTER_COUNT,
  DEFAULT_HOST,
  DEFAULT_NODE_POOLS_PER_CLUSTER,
  DEFAULT_SCALE_STEP_MS,
  DEFAULT_SEED,
  DEFAULT_SLOW_MS,
  DEFAULT_THROTTLE_RETRY_AFTER_MS,
  type Fault,
  parseSimulatorFaults,
  parseSimulatorScaleEvents,
  type SimulatorScaleEvent,
  SimulatorSpecError,
} from './index.js';

const problems: string[] = [];

function integerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    problems.push(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return value;
}

function booleanFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be 1/0 (or true/false), got ${JSON.stringify(process.env[name])}`);
  return fallback;
}

function specFromEnv<T>(name: string, parse: (text: string) => T, fallback: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  try {
    return parse(raw);
  } catch (error) {
    if (!(error instanceof SimulatorSpecError)) throw error;
    problems.push(error.message);
    return fallback;
  }
}

const port = integerFromEnv('SIMULATOR_PORT', 0);
const clusterCount = integerFromEnv('SIMULATOR_CLUSTERS', DEFAULT_CLUSTER_COUNT);
const nodePoolsPerCluster = integerFromEnv('SIMULATOR_NODE_POOLS', DEFAULT_NODE_POOLS_PER_CLUSTER);
const bounds = { clusterCount, nodePoolsPerCluster };
const faults = specFromEnv<Record<string, Fault>>(
  'SIMULATOR_FAULTS',
  (text) => parseSimulatorFaults(text, bounds),
  {},
);
const scaleEvents = specFromEnv<SimulatorScaleEvent[]>(
  'SIMULATOR_SCALE_EVENTS',
  (text) => parseSimulatorScaleEvents(text, bounds),
  [],
);
const options = {
  clusterCount,
  nodePoolsPerCluster,
  latencyMs: integerFromEnv('SIMULATOR_LATENCY_MS', 0),
  slowMs: integerFromEnv('SIMULATOR_SLOW_MS', DEFAULT_SLOW_MS),
  throttleRetryAfterMs: integerFromEnv('SIMULATOR_THROTTLE_RETRY_AFTER_MS', DEFAULT_THROTTLE_RETRY_AFTER_MS),
  scaleStepMs: integerFromEnv('SIMULATOR_SCALE_STEP_MS', DEFAULT_SCALE_STEP_MS),
  seed: integerFromEnv('SIMULATOR_SEED', DEFAULT_SEED),
  faults,
  scaleEvents,
  admin: booleanFromEnv('SIMULATOR_ADMIN', true),
  accessKeyId: process.env.SIMULATOR_ACCESS_KEY_ID || undefined,
  accessKeySecret: process.env.SIMULATOR_ACCESS_KEY_SECRET || undefined,
};

function create(): AckSimulator {
  if (problems.length === 0) {
    try {
      return createAckSimulator(options);
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      problems.push(error.message);
    }
  }
  console.error(`The ACK simulator cannot start:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  process.exit(1);
}

const simulator = create();

const { endpoint, adminUrl } = await simulator.listen(port, process.env.SIMULATOR_HOST || DEFAULT_HOST);

console.log(`ACK simulator listening on ${endpoint} (set ACK_ENDPOINT=${endpoint} ACK_PROTOCOL=http)`);
console.log(
  `access key id: ${simulator.accessKeyId}${simulator.accessKeyId === DEFAULT_ACCESS_KEY_ID ? ' (the default pair; secret: see DEFAULT_ACCESS_KEY_SECRET in src/simulator/server.ts)' : ''}`,
);
if (adminUrl) console.log(`admin API (unsigned): curl ${adminUrl}/state   (see docs/simulator.md)`);
const { faults: faultsById } = simulator.state();
simulator.clusters.forEach((cluster, index) => {
  const fault = faultsById[cluster.id];
  console.log(
    `cluster ${index} ${cluster.id} ${cluster.detail.name} ${cluster.detail.region_id} ${cluster.detail.cluster_type} (${cluster.nodePools.length} node pools)${fault ? ` fault: ${fault}` : ''}`,
  );
});
for (const event of scaleEvents) {
  console.log(
    `scale event: cluster ${event.cluster} pool ${event.nodePool} to ${event.to} nodes after ${event.afterMs ?? 0} ms`,
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
