/**
 * The simulator's data: a deterministic set of clusters and node pools from a seed.
 *
 * Same options, same bytes: nothing depends on the clock or `Math.random`. Cluster i depends
 * only on (seed, i, its pool count) and pool j of it only on (seed, i, j), so tests can
 * regenerate any expectation with the same call the simulator makes.
 */
import { generateCluster } from './cluster-fixture.js';
import type { SimulatedCluster } from './wire-types.js';

export const DEFAULT_SEED = 20250415;
export const DEFAULT_CLUSTER_COUNT = 3;
export const DEFAULT_NODE_POOLS_PER_CLUSTER = 5;
/** Far above ACK's default quota of 20 per cluster, so benchmarks can ask for large answers. */
export const MAX_NODE_POOLS_PER_CLUSTER = 500;
export const MAX_CLUSTER_COUNT = 1000;

/** A pool count for every cluster, a list by cluster index, or a function of the index. */
export type NodePoolsPerCluster = number | readonly number[] | ((clusterIndex: number) => number);

export interface FixtureOptions {
  /** @default DEFAULT_SEED */
  seed?: number;
  /** @default DEFAULT_CLUSTER_COUNT (3) */
  clusterCount?: number;
  /**
   * Node pools per cluster; a list shorter than the cluster count falls back to the default.
   * @default DEFAULT_NODE_POOLS_PER_CLUSTER (5)
   */
  nodePoolsPerCluster?: NodePoolsPerCluster;
}

function checkCount(what: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what} must be an integer in [0, ${max}], got ${value}`);
  }
  return value;
}

export function nodePoolCountFor(perCluster: NodePoolsPerCluster | undefined, clusterIndex: number): number {
  const count =
    perCluster === undefined
      ? DEFAULT_NODE_POOLS_PER_CLUSTER
      : typeof perCluster === 'number'
        ? perCluster
        : typeof perCluster === 'function'
          ? perCluster(clusterIndex)
          : (perCluster[clusterIndex] ?? DEFAULT_NODE_POOLS_PER_CLUSTER);
  return checkCount(`nodePoolsPerCluster for cluster ${clusterIndex}`, count, MAX_NODE_POOLS_PER_CLUSTER);
}

/** Generates the clusters (each with its node pools) that a simulator with these options serves. */
export function generateClusters(options: FixtureOptions = {}): SimulatedCluster[] {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const clusterCount = checkCount(
    'clusterCount',
    options.clusterCount ?? DEFAULT_CLUSTER_COUNT,
    MAX_CLUSTER_COUNT,
  );
  return Array.from({ length: clusterCount }, (_, index) =>
    generateCluster(seed, index, nodePoolCountFor(options.nodePoolsPerCluster, index)),
  );
}
