/**
 * The embedded ACK simulator: an independent stand-in for ACK's OpenAPI (signed HTTP, real
 * routes, deterministic data, switchable faults, scale events, an unsigned admin API on its own
 * port). It imports nothing from the gateway.
 */

export { SimulatorNotFoundError } from './addressing.js';
export {
  type AckSimulatorState,
  ADMIN_MAX_BODY_BYTES,
  ADMIN_PREFIX,
  type AdminNodePoolState,
  MAX_ADMIN_LATENCY_MS,
  type ScaleStarted,
} from './admin.js';
export {
  MAX_EVENT_DELAY_MS,
  type ParseOptions,
  parseDuration,
  parseSimulatorFaults,
  parseSimulatorScaleEvents,
  type SimulatorScaleEvent,
  SimulatorSpecError,
  type SpecBounds,
} from './compact-specs.js';

export {
  BAD_GATEWAY_HTML,
  DEFAULT_SLOW_MS,
  DEFAULT_THROTTLE_RETRY_AFTER_MS,
  FAULT_ALIASES,
  FAULT_KINDS,
  type Fault,
  faultedPoolIndex,
  faultFromText,
  futurizeNodePools,
  MALFORMED_EXTRA_POOL_NAME,
  malformNodePools,
  THROTTLING_STATUS,
} from './faults.js';
export {
  DEFAULT_CLUSTER_COUNT,
  DEFAULT_NODE_POOLS_PER_CLUSTER,
  DEFAULT_SEED,
  type FixtureOptions,
  generateClusters,
  MAX_CLUSTER_COUNT,
  MAX_NODE_POOLS_PER_CLUSTER,
  type NodePoolsPerCluster,
} from './fixtures.js';
export { DEFAULT_NODE_POOL_NAME, MASKED_LOGIN_PASSWORD } from './node-pool-fixture.js';
export { DEFAULT_MAX_REMEMBERED_NONCES } from './nonce-cache.js';
export {
  DEFAULT_SCALE_STEP_MS,
  DEFAULT_SCALE_STEPS,
  MAX_SCALE_NODES,
  MAX_SCALE_STEP_MS,
  MAX_SCALE_STEPS,
  type ScaleOptions,
  type ScaleProgress,
  scalePlan,
} from './pool-scaling.js';
export type { AckSimulatorStats } from './request-stats.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './response-store.js';
export { ACK_API_VERSION } from './routes.js';
export {
  type AckSimulator,
  type AckSimulatorAddress,
  type AckSimulatorOptions,
  type AckSimulatorRuntimeOptions,
  createAckSimulator,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_HOST,
} from './server.js';
export { DEFAULT_MAX_CLOCK_SKEW_MS, SIGNATURE_ALGORITHM } from './signature.js';
export type {
  SimulatedCluster,
  WireClusterDetail,
  WireClusterListEntry,
  WireNodePool,
} from './wire-types.js';
