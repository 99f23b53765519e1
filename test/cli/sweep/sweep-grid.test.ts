import { describe, expect, it } from 'vitest';
import { formatSeeds, gridOf, parseSeeds, parseSet, partOf } from '../../../src/cli/sweep/sweep-grid.js';

describe('sweep grid', () => {
  it('reads seeds as ranges and lists, each once, in order', () => {
    expect(parseSeeds('1-3')).toEqual([1, 2, 3]);
    expect(parseSeeds('5, 1-2,2,9')).toEqual([5, 1, 2, 9]);
    expect(() => parseSeeds('3-1')).toThrow("--seeds: '3-1' is not a range from low to high");
    expect(() => parseSeeds('a')).toThrow('--seeds: expected N, N-M');
    expect(() => parseSeeds('1-2000000')).toThrow('at most 1,000,000');
    // The scripts' bound (regimes, incidents), counted over the whole list.
    expect(parseSeeds('1-9999,20000', 10_000)).toHaveLength(10_000);
    expect(() => parseSeeds('1-9999,20000-20001', 10_000)).toThrow('--seeds: at most 10,000 seeds');
  });

  it('writes seeds back as --seeds takes them', () => {
    expect(formatSeeds(parseSeeds('1-10'))).toBe('1-10');
    expect(formatSeeds(parseSeeds('5,1-3,9-12,4'))).toBe('5,1-3,9-12,4');
    expect(formatSeeds([7])).toBe('7');
    expect(formatSeeds([])).toBe('');
  });

  it('reads --set values as numbers, booleans or strings', () => {
    expect(parseSet('market.selectionProbability=0.4,0.6')).toEqual({
      key: 'market.selectionProbability',
      values: [0.4, 0.6],
    });
    expect(parseSet('report.transactions=true,false').values).toEqual([true, false]);
    expect(parseSet('name=a,b').values).toEqual(['a', 'b']);
    // Numbers as JSON writes them (and .5); anything else Number() would take is a string, which the run's file check refuses.
    expect(parseSet('companies.count=16,0x10,1e2,.5,Infinity').values).toEqual([16, '0x10', 100, 0.5, 'Infinity']);
    expect(() => parseSet('market.selectionProbability=0.5,0.5')).toThrow('the value 0.5 is given twice');
    expect(() => parseSet('=1')).toThrow('--set: expected KEY=VALUE');
    expect(() => parseSet('a..b=1')).toThrow('--set');
  });

  it('crosses every --set combination with every seed, first flag slowest', () => {
    const grid = gridOf([parseSet('a=1,2'), parseSet('b=x,y')], [7, 8]);
    expect(grid.map((g) => `${String(g.params.a)}${String(g.params.b)}${g.seed}`)).toEqual([
      '1x7',
      '1x8',
      '1y7',
      '1y8',
      '2x7',
      '2x8',
      '2y7',
      '2y8',
    ]);
    expect(gridOf([], [1, 2])).toEqual([
      { params: {}, seed: 1 },
      { params: {}, seed: 2 },
    ]);
  });

  it('refuses a key given in two --set flags: its last values would fill every cell', () => {
    expect(() => gridOf([parseSet('a=1,2'), parseSet('b=3'), parseSet('a=9')], [1])).toThrow(
      '--set: a is given twice; give its values in one flag (a=V1,V2)',
    );
  });

  it('splits runs into even parts that together hold each run once', () => {
    const runs = Array.from({ length: 10 }, (_, i) => i);
    const parts = [0, 1, 2].map((i) => partOf(runs, i, 3));
    expect(parts.map((p) => p.length)).toEqual([4, 3, 3]);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(runs);
  });
});
