/**
 * A small seeded pseudo-random generator (mulberry32) and the picks the fixtures need.
 *
 * The fixtures must be reproducible byte for byte from a seed, so nothing here touches
 * `Math.random` or the clock. Every cluster and every node pool gets its own stream, derived
 * from (seed, cluster index, pool index): adding a pool never changes the pools before it.
 */

export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** `count` distinct elements of `items` (all of them when count >= length), in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  /** A copy of `items` in random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** `length` lowercase hex digits. */
  hex(length: number): string;
  /** `length` characters of lowercase letters and digits (the alphabet of ECS resource ids). */
  alnum(length: number): string;
  /** `length` decimal digits, the first one non-zero. */
  digits(length: number): string;
  /** A lowercase RFC 4122 version-4 shaped UUID. */
  uuid(): string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** mulberry32: 32-bit state, good enough statistical quality for fixtures, and tiny. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes several integers into one 32-bit seed (a variant of the murmur3 finalizer). */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h ^= Math.imul((part | 0) ^ 0x85ebca6b, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function createPrng(seed: number): Prng {
  const next = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[int(0, items.length - 1)] as T;
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(0, i);
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy;
  };
  const fromAlphabet = (alphabet: string, length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[int(0, alphabet.length - 1)];
    return out;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    sample: (items, count) => shuffle(items).slice(0, Math.max(0, count)),
    shuffle,
    hex: (length) => fromAlphabet('0123456789abcdef', length),
    alnum: (length) => fromAlphabet(ALNUM, length),
    digits: (length) => String(int(1, 9)) + fromAlphabet('0123456789', length - 1),
    uuid: () => {
      const h = fromAlphabet('0123456789abcdef', 32);
      const variant = '89ab'[int(0, 3)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
