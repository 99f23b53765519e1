import { SimulationErrors } from './errors.js';

/** The exported state of an {@link Rng}: four 32-bit words, enough to resume the exact sequence. */
export type RngState = readonly [number, number, number, number];

/**
 * The only source of randomness in the simulation layer: a seeded xoshiro128** generator.
 * The same seed always yields the same sequence, on any machine.
 */
export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform float in [0, 1). */
  float(): number;
  /** A uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** A uniform float in [min, max). */
  range(min: number, max: number): number;
  /** true with probability p. */
  bernoulli(p: number): boolean;
  /** One element chosen uniformly; the list must not be empty. */
  pick<T>(items: readonly T[]): T;
  /** k distinct elements in random order (partial Fisher-Yates); k is capped at the list's length. */
  sample<T>(items: readonly T[], k: number): T[];
  /** Shuffles the first `length` entries of an integer array in place. */
  shuffleInPlace(items: Int32Array, length: number): void;
  /** The state, to checkpoint the sequence. */
  getState(): RngState;
  /** Resumes a sequence from {@link getState}'s result. */
  setState(state: RngState): void;
}

const TWO_POW_32 = 4294967296;

function splitmix32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** Checks a seed: an integer from 0 to Number.MAX_SAFE_INTEGER. */
export function isValidSeed(seed: unknown): seed is number {
  return typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0;
}

/**
 * xoshiro128** over four 32-bit words. A class, so every generator shares one set of
 * methods: the engine's call sites then see one target and the compiler inlines them, and
 * float() hands its number on without allocating one per call (an allocation per draw was
 * most of a large turn's garbage).
 */
class Xoshiro128 implements Rng {
  declare private readonly s: Uint32Array;

  constructor(s: Uint32Array) {
    this.s = s;
  }

  nextUint32(): number {
    const s = this.s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]!;
    const s3 = s[3]!;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = (n3 << 11) | (n3 >>> 21);
    return result;
  }

  float(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  int(min: number, max: number): number {
    if (!(max >= min)) {
      throw new SimulationErrors.TRADESIM_ERR_RNG_RANGE_INVALID(`int(${min}, ${max}): max < min`);
    }
    return min + Math.floor(this.float() * (max - min + 1));
  }

  range(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new SimulationErrors.TRADESIM_ERR_RNG_RANGE_INVALID('pick from an empty list');
    }
    return items[Math.floor(this.float() * items.length)]!;
  }

  sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const n = Math.min(Math.max(0, Math.floor(k)), pool.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.float() * (pool.length - i));
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
    }
    return pool.slice(0, n);
  }

  shuffleInPlace(items: Int32Array, length: number): void {
    for (let i = length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
  }

  getState(): RngState {
    const s = this.s;
    return [s[0]!, s[1]!, s[2]!, s[3]!] as const;
  }

  setState(state: RngState): void {
    const ok =
      Array.isArray(state) &&
      state.length === 4 &&
      state.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32) &&
      state.some((w) => w !== 0);
    if (!ok) throw new SimulationErrors.TRADESIM_ERR_RNG_STATE_INVALID();
    this.s.set(state);
  }
}

/** Creates the generator for a seed (an integer from 0 to Number.MAX_SAFE_INTEGER). */
export function createRng(seed: number): Rng {
  if (!isValidSeed(seed)) throw new SimulationErrors.TRADESIM_ERR_SEED_INVALID(seed);
  // Both halves of a 53-bit seed feed the state, so seeds 2^32 apart differ.
  const low = seed % TWO_POW_32;
  const high = Math.floor(seed / TWO_POW_32);
  const mix = splitmix32(low ^ Math.imul(high, 0x85ebca6b));
  const s = new Uint32Array([mix(), mix(), mix(), mix()]);
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  return new Xoshiro128(s);
}
