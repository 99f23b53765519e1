import { describe, expect, it } from 'vitest';
import { createSortCache } from '../../../src/services/entities/sort-cache.js';

describe('the sort cache of deep entity pages', () => {
  it('sorts a key once per turn, and again on a later turn only once its reuse time is over', () => {
    let now = 0;
    const cache = createSortCache(1_000, 12, () => now);
    let sorts = 0;
    const sort = () => {
      sorts += 1;
      return Uint32Array.of(2, 0, 1);
    };
    expect(cache.order('companies/name/asc', 5, 3, sort)).toMatchObject({ turn: 5 });
    now = 5_000;
    cache.order('companies/name/asc', 5, 3, sort);
    expect(sorts).toBe(1);
    // A later turn: sorted again (the kept one is 5 s old); then, within the reuse time, kept.
    expect(cache.order('companies/name/asc', 6, 3, sort).turn).toBe(6);
    now = 5_500;
    expect(cache.order('companies/name/asc', 7, 3, sort).turn).toBe(6);
    expect(sorts).toBe(2);
    now = 6_000;
    expect(cache.order('companies/name/asc', 8, 3, sort).turn).toBe(8);
    expect(sorts).toBe(3);
    // Another key, or another list size (an entity added), is sorted for itself.
    cache.order('companies/name/desc', 7, 3, sort);
    cache.order('companies/name/asc', 8, 4, () => Uint32Array.of(0, 1, 2, 3));
    expect(sorts).toBe(4);
  });

  it('reuses a slow sort for 20 times as long as it took', () => {
    let now = 0;
    const cache = createSortCache(1_000, 12, () => now);
    let sorts = 0;
    const slowSort = () => {
      sorts += 1;
      now += 200;
      return new Uint32Array(1);
    };
    cache.order('k', 1, 1, slowSort);
    now += 3_500;
    cache.order('k', 2, 1, slowSort);
    expect(sorts).toBe(1);
    now += 1_000;
    cache.order('k', 3, 1, slowSort);
    expect(sorts).toBe(2);
  });

  it('keeps at most maxKeys orders, dropping the least recently sorted', () => {
    const cache = createSortCache(1_000, 2, () => 0);
    let sorts = 0;
    const sort = () => {
      sorts += 1;
      return new Uint32Array(1);
    };
    for (const key of ['a', 'b', 'c', 'a']) cache.order(key, 1, 1, sort);
    expect(sorts).toBe(4);
    cache.order('c', 1, 1, sort);
    expect(sorts).toBe(4);
  });
});
