import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/simulation/index.js';

const draw = (seed: number, n: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.nextUint32());
};

describe('createRng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    expect(draw(7, 100)).toEqual(draw(7, 100));
    expect(draw(7, 100)).not.toEqual(draw(8, 100));
    // Seeds 2^32 apart share their low word; both halves must count.
    expect(draw(5, 20)).not.toEqual(draw(5 + 2 ** 32, 20));
  });

  it('pins the first outputs of seed 42, so a change of generator is seen', () => {
    expect(draw(42, 4)).toMatchInlineSnapshot(`
      [
        660444221,
        3652823732,
        77672526,
        910233633,
      ]
    `);
  });

  it('keeps every draw in its range and covers the range', () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const n = rng.int(-3, 3);
      expect(Number.isInteger(n) && n >= -3 && n <= 3).toBe(true);
      seen.add(n);
      const r = rng.range(2, 5);
      expect(r >= 2 && r < 5).toBe(true);
    }
    expect([...seen].sort()).toEqual([-1, -2, -3, 0, 1, 2, 3]);
  });

  it('draws Bernoulli trials near their probability', () => {
    const rng = createRng(3);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (rng.bernoulli(0.25)) hits++;
    expect(hits / 20_000).toBeGreaterThan(0.23);
    expect(hits / 20_000).toBeLessThan(0.27);
    expect(rng.bernoulli(0)).toBe(false);
    expect(rng.bernoulli(1)).toBe(true);
  });

  it('picks from a list and samples without replacement', () => {
    const rng = createRng(4);
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(items).toContain(rng.pick(items));
    const sample = rng.sample(items, 3);
    expect(sample).toHaveLength(3);
    expect(new Set(sample).size).toBe(3);
    expect(rng.sample(items, 10).sort()).toEqual(items);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('resumes the exact sequence from an exported state', () => {
    const rng = createRng(9);
    for (let i = 0; i < 10; i++) rng.nextUint32();
    const state = rng.getState();
    const expected = Array.from({ length: 5 }, () => rng.nextUint32());
    const other = createRng(123);
    other.setState(state);
    expect(Array.from({ length: 5 }, () => other.nextUint32())).toEqual(expected);
  });

  it('refuses bad seeds, states and ranges with their codes', () => {
    for (const seed of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => createRng(seed)).toThrow(expect.objectContaining({ code: 'TRADESIM_ERR_SEED_INVALID' }));
    }
    const rng = createRng(1);
    expect(() => rng.setState([0, 0, 0, 0])).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_RNG_STATE_INVALID' }),
    );
    expect(() => rng.int(5, 1)).toThrow(expect.objectContaining({ code: 'TRADESIM_ERR_RNG_RANGE_INVALID' }));
    expect(() => rng.pick([])).toThrow(expect.objectContaining({ code: 'TRADESIM_ERR_RNG_RANGE_INVALID' }));
  });
});
