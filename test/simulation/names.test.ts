import { describe, expect, it } from 'vitest';
import { companyName, createUniqueNames, supplierName, type UniqueNameState } from '../../src/simulation/names.js';
import { createRng } from '../../src/simulation/rng.js';

describe('createUniqueNames', () => {
  it('numbers a name from its second time, in the order given', () => {
    const unique = createUniqueNames();
    expect(['Harbor Foods', 'Nova Works', 'Harbor Foods', 'Harbor Foods'].map(unique)).toEqual([
      'Harbor Foods',
      'Nova Works',
      'Harbor Foods 2',
      'Harbor Foods 3',
    ]);
  });

  it('gives every drawn name once, keeping one count per drawn name however many are given', () => {
    const rng = createRng(7);
    const state: UniqueNameState = { numbered: new Map() };
    const unique = createUniqueNames(state);
    const given = new Set<string>();
    for (let i = 0; i < 20_000; i++) given.add(unique(i % 2 === 0 ? companyName(rng) : supplierName(rng)));
    expect(given.size).toBe(20_000);
    // 16 prefixes x (8 company + 4 supplier suffixes): the state is bounded by what can be drawn.
    expect(state.numbered.size).toBeLessThanOrEqual(16 * 12);
  });

  it('continues from a saved state as the maker that saved it would', () => {
    const state: UniqueNameState = { numbered: new Map() };
    const first = createUniqueNames(state);
    first('Atlas Goods');
    first('Atlas Goods');
    const restored = createUniqueNames({ numbered: new Map(state.numbered) });
    expect(restored('Atlas Goods')).toBe(first('Atlas Goods'));
  });

  it('is never given a drawn name that ends in a number (which a numbered name could equal)', () => {
    const rng = createRng(11);
    for (let i = 0; i < 2_000; i++) {
      expect(companyName(rng)).not.toMatch(/\d$/);
      expect(supplierName(rng)).not.toMatch(/\d$/);
    }
  });
});
