import { describe, expect, it } from 'vitest';
import { defineLazyFigures, lazyNamesOf } from '../../../src/services/figures/lazy-figures.js';

describe('lazily computed figures', () => {
  const make = defineLazyFigures(['median']);

  it('computes a lazy figure on its first read only, even on a frozen object', () => {
    let computed = 0;
    const figures = Object.freeze(make({ total: 4 }, { median: () => (computed += 1) * 10 }));
    expect(computed).toBe(0);
    expect(figures.median).toBe(10);
    expect(figures.median).toBe(10);
    expect(computed).toBe(1);
  });

  it('shows lazy figures in JSON but not as own data (spreads, keys, history)', () => {
    const figures = make({ total: 4 }, { median: () => 2 });
    expect(JSON.parse(JSON.stringify(figures))).toEqual({ total: 4, median: 2 });
    expect({ ...figures }).toEqual({ total: 4 });
    expect(Object.keys(figures)).toEqual(['total']);
    expect(lazyNamesOf(figures)).toEqual(['median']);
    expect(lazyNamesOf({ total: 4 })).toEqual([]);
  });

  it('keeps the thunks of each object apart', () => {
    const a = make({}, { median: () => 1 });
    const b = make({}, { median: () => 2 });
    expect([a.median, b.median]).toEqual([1, 2]);
  });
});
