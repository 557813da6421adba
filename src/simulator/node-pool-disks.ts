import type { Prng } from './prng.js';

export const DISK_CATEGORIES = ['cloud_essd', 'cloud_auto', 'cloud_efficiency', 'cloud_essd_entry'] as const;
const PERFORMANCE_LEVELS = ['PL0', 'PL1', 'PL2', 'PL3'] as const;
/** The smallest ESSD size (GiB) that allows each performance level. */
const MIN_SIZE_FOR_LEVEL: Record<string, number> = { PL0: 40, PL1: 20, PL2: 461, PL3: 1261 };

interface DiskSpec {
  category: string;
  size: number;
  performanceLevel: string;
  burstingEnabled: boolean;
  provisionedIops: number;
}

/** A disk's category-consistent size, performance level and burst settings. */
export function diskSpec(rng: Prng, category: string, systemDisk = false): DiskSpec {
  if (category === 'cloud_essd') {
    // A system disk stays small (40..200 GiB), which allows PL0 and PL1 only.
    const level = systemDisk ? rng.pick(['PL0', 'PL1'] as const) : rng.pick(PERFORMANCE_LEVELS);
    const size = Math.max(MIN_SIZE_FOR_LEVEL[level] ?? 40, rng.pick([40, 100, 120, 200]));
    return { category, size, performanceLevel: level, burstingEnabled: false, provisionedIops: 0 };
  }
  if (category === 'cloud_auto') {
    const bursting = rng.chance(0.6);
    return {
      category,
      size: rng.pick([40, 100, 200, 500]),
      performanceLevel: '',
      burstingEnabled: bursting,
      provisionedIops: bursting ? rng.pick([1000, 5000, 10000]) : 0,
    };
  }
  return {
    category,
    size: rng.pick([40, 80, 120, 200]),
    performanceLevel: '',
    burstingEnabled: false,
    provisionedIops: 0,
  };
}
