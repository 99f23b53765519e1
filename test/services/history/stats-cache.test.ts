import { describe, expect, it } from 'vitest';
import { createStatsCache } from '../../../src/services/index.js';

describe('createStatsCache', () => {
  it('computes a figure once for any number of reads at one version', () => {
    const cache = createStatsCache(100);
    let computed = 0;
    const read = (version: number) => cache.get(`budget|total|20|${version}`, () => ++computed);
    expect([read(1), read(1), read(1)]).toEqual([1, 1, 1]);
    expect(computed).toBe(1);
    expect([cache.hits, cache.misses]).toEqual([2, 1]);
    expect(cache.hitRatio()).toBeCloseTo(2 / 3, 12);
  });

  it('recomputes at the next version', () => {
    const cache = createStatsCache(100);
    let computed = 0;
    cache.get('k|1', () => ++computed);
    cache.get('k|2', () => ++computed);
    expect(computed).toBe(2);
  });

  it('never holds more than its size', () => {
    const cache = createStatsCache(16);
    for (let i = 0; i < 1_000; i++) cache.get(`k|${i}`, () => i);
    expect(cache.size).toBe(16);
    expect(cache.max).toBe(16);
  });

  it('has no hit ratio before any lookup: nothing to measure', () => {
    expect(createStatsCache().hitRatio()).toBeNaN();
  });
});
