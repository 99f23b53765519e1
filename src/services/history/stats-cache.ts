import { LRUCache } from 'lru-cache';

/**
 * A bounded cache of computed statistics. Keys name the service, figure, window and the
 * history version, so a figure is computed once per turn however many readers ask, and
 * entries of older versions are simply never asked for again (the LRU bound drops them).
 */
export interface StatsCache {
  /** The cached value for `key`, computing and storing it on a miss. */
  get<T extends object | number>(key: string, compute: () => T): T;
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
  readonly max: number;
  /** hits / (hits + misses); 0 before any lookup. */
  hitRatio(): number;
}

/** The cache (a class: V8 keeps an object literal with getters in slow dictionary mode). */
class LruStatsCache implements StatsCache {
  readonly #cache: LRUCache<string, { value: object | number }>;
  #hitCount = 0;
  #missCount = 0;

  constructor(readonly max: number) {
    this.#cache = new LRUCache<string, { value: object | number }>({ max });
  }

  get<T extends object | number>(key: string, compute: () => T): T {
    const entry = this.#cache.get(key);
    if (entry !== undefined) {
      this.#hitCount += 1;
      return entry.value as T;
    }
    this.#missCount += 1;
    const value = compute();
    this.#cache.set(key, { value });
    return value;
  }

  get hits(): number {
    return this.#hitCount;
  }

  get misses(): number {
    return this.#missCount;
  }

  get size(): number {
    return this.#cache.size;
  }

  hitRatio(): number {
    const lookups = this.#hitCount + this.#missCount;
    return lookups === 0 ? Number.NaN : this.#hitCount / lookups;
  }
}

/** Creates a cache holding at most `max` entries (default 2,000). */
export function createStatsCache(max = 2_000): StatsCache {
  return new LruStatsCache(max);
}

/** The cache key of one figure of one service over one window at one history version. */
export const statsKey = (service: string, figure: string, window: number, version: number): string =>
  `${service}|${figure}|${window}|${version}`;
