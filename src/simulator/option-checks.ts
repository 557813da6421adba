/** Checks of the simulator's options and of ACK's list query, apart from the server they guard. */
import { resolveCluster } from './addressing.js';
import { allowedFaultKinds, DATA_FAULTS, FAULT_ALIASES, type Fault, isFault } from './faults.js';
import { MAX_SCALE_NODES, MAX_SCALE_STEPS } from './pool-scaling.js';
import { type ClusterListQuery, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './response-store.js';
import type { SimulatedCluster } from './wire-types.js';

export function checkNonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

/** The faults by cluster id: index keys resolved, kinds checked (aliases accepted). */
export function checkFaults(
  faults: Readonly<Record<string, Fault>>,
  clusters: readonly SimulatedCluster[],
  clusterIds: ReadonlySet<string>,
): Record<string, Fault> {
  const checked: Record<string, Fault> = {};
  for (const [key, given] of Object.entries(faults)) {
    const fault: unknown =
      typeof given === 'string' && Object.hasOwn(FAULT_ALIASES, given) ? FAULT_ALIASES[given] : given;
    if (!isFault(fault)) {
      throw new TypeError(
        `unknown fault ${JSON.stringify(given)} for cluster ${key}; allowed: ${allowedFaultKinds()}`,
      );
    }
    // Digits only: an index (out of range throws). Anything else is an id, simulated or not.
    const clusterId = /^\d+$/.test(key) ? resolveCluster(clusters, key).cluster.id : key;
    if (DATA_FAULTS.includes(fault) && !clusterIds.has(clusterId)) {
      throw new RangeError(`fault '${fault}' needs an existing cluster; ${clusterId} is not one`);
    }
    const earlier = checked[clusterId];
    if (earlier !== undefined && earlier !== fault) {
      throw new RangeError(`cluster ${clusterId} is given two faults, '${earlier}' and '${fault}'`);
    }
    checked[clusterId] = fault;
  }
  return checked;
}

export function checkScaleSize(to: number): number {
  if (!Number.isInteger(to) || to < 0 || to > MAX_SCALE_NODES) {
    throw new RangeError(`a node pool's size must be an integer from 0 to ${MAX_SCALE_NODES}, got ${to}`);
  }
  return to;
}

export function checkSteps(steps: number): number {
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_SCALE_STEPS) {
    throw new RangeError(`steps must be an integer from 1 to ${MAX_SCALE_STEPS}, got ${steps}`);
  }
  return steps;
}

export function parseClusterListQuery(params: URLSearchParams): ClusterListQuery | string {
  const integer = (name: string, fallback: number, max: number): number | string => {
    const raw = params.get(name);
    if (raw === null || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > max) {
      return `${name} must be an integer between 1 and ${max}, got ${JSON.stringify(raw)}.`;
    }
    return value;
  };
  const pageNumber = integer('page_number', 1, Number.MAX_SAFE_INTEGER);
  if (typeof pageNumber === 'string') return pageNumber;
  const pageSize = integer('page_size', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (typeof pageSize === 'string') return pageSize;
  const text = (name: string) => params.get(name) || undefined;
  return {
    pageNumber,
    pageSize,
    name: text('name'),
    clusterType: text('cluster_type'),
    regionId: text('region_id'),
    clusterId: text('cluster_id'),
    profile: text('profile'),
    clusterSpec: text('cluster_spec'),
  };
}
