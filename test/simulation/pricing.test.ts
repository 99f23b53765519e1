import { describe, expect, it } from 'vitest';
import { stockFactor } from '../../src/simulation/index.js';

describe('stockFactor', () => {
  it('is 1 at the reference stock, cheaper above it and dearer below it', () => {
    expect(stockFactor(100, 100, 0.3)).toBe(1);
    expect(stockFactor(150, 100, 0.3)).toBeCloseTo(0.85, 12);
    expect(stockFactor(50, 100, 0.3)).toBeCloseTo(1.15, 12);
  });

  it('stays within [1 - e, 1 + e]', () => {
    expect(stockFactor(0, 100, 0.3)).toBeCloseTo(1.3, 12);
    expect(stockFactor(10_000, 100, 0.3)).toBeCloseTo(0.7, 12);
    expect(stockFactor(10_000, 100, 0)).toBe(1);
  });
});
