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

/** Creates a cache holding at most `max` entries (default 2,000). */
export function createStatsCache(max = 2_000): StatsCache {
  const cache = new LRUCache<string, { value: object | number }>({ max });
  let hits = 0;
  let misses = 0;
  return {
    get<T extends object | number>(key: string, compute: () => T): T {
      const entry = cache.get(key);
      if (entry !== undefined) {
        hits += 1;
        return entry.value as T;
      }
      misses += 1;
      const value = compute();
      cache.set(key, { value });
      return value;
    },
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get size() {
      return cache.size;
    },
    max,
    hitRatio: () => (hits + misses === 0 ? 0 : hits / (hits + misses)),
  };
}

/** The cache key of one figure of one service over one window at one history version. */
export const statsKey = (service: string, figure: string, window: number, version: number): string =>
  `${service}|${figure}|${window}|${version}`;
