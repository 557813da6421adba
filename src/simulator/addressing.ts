/**
 * How options, the compact text forms and the admin API name a cluster or a node pool: by id,
 * or by index in the generated list (a key of decimal digits only, `0` for the first), so a
 * person can say "cluster 0" without copying a 33-character id.
 */
import type { SimulatedCluster, WireNodePool } from './wire-types.js';

/** `0`, `1`, `12`: an index. `01` is neither an index nor (as an ACK id) likely; it is refused. */
const INDEX = /^(0|[1-9]\d*)$/;
const DIGITS = /^\d+$/;

/** A cluster or pool that is not there (an admin answer of 404). */
export class SimulatorNotFoundError extends RangeError {
  override readonly name = 'SimulatorNotFoundError';
}

/** The index a key names, undefined when it is an id; throws on digits with a leading zero. */
export function indexOfKey(key: string | number, what: string): number | undefined {
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key) || key < 0) {
      throw new RangeError(`${what} index must be a non-negative integer, got ${key}`);
    }
    return key;
  }
  if (INDEX.test(key)) return Number(key);
  if (DIGITS.test(key)) throw new RangeError(`${what} index ${JSON.stringify(key)} has a leading zero`);
  return undefined;
}

function range(count: number): string {
  return count === 0 ? 'none' : count === 1 ? 'index 0' : `indices 0..${count - 1}`;
}

export function resolveCluster(
  clusters: readonly SimulatedCluster[],
  key: string | number,
): { cluster: SimulatedCluster; index: number } {
  const index = indexOfKey(key, 'cluster');
  if (index !== undefined) {
    const cluster = clusters[index];
    if (!cluster) {
      throw new SimulatorNotFoundError(
        `no cluster at index ${index}: the simulator serves ${clusters.length} clusters (${range(clusters.length)})`,
      );
    }
    return { cluster, index };
  }
  const found = clusters.findIndex((cluster) => cluster.id === key);
  if (found === -1) {
    throw new SimulatorNotFoundError(
      `unknown cluster ${JSON.stringify(key)}: not one of the ${clusters.length} simulated clusters (${range(clusters.length)})`,
    );
  }
  return { cluster: clusters[found]!, index: found };
}

export function resolveNodePool(
  cluster: SimulatedCluster,
  pools: readonly WireNodePool[],
  key: string | number,
): { pool: WireNodePool; index: number } {
  const index = indexOfKey(key, 'node pool');
  if (index !== undefined) {
    const pool = pools[index];
    if (!pool) {
      throw new SimulatorNotFoundError(
        `no node pool at index ${index} in cluster ${cluster.id}: it has ${pools.length} (${range(pools.length)})`,
      );
    }
    return { pool, index };
  }
  const found = pools.findIndex((pool) => pool.nodepool_info.nodepool_id === key);
  if (found === -1) {
    throw new SimulatorNotFoundError(
      `unknown node pool ${JSON.stringify(key)} in cluster ${cluster.id} (${pools.length} pools, ${range(pools.length)})`,
    );
  }
  return { pool: pools[found]!, index: found };
}
