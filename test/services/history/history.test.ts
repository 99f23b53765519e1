import { describe, expect, it } from 'vitest';
import { createHistory } from '../../../src/services/index.js';

describe('createHistory', () => {
  it('keeps every figure aligned with the turns, capped', () => {
    const history = createHistory(3);
    const names = ['a', 'b'];
    for (let turn = 1; turn <= 5; turn++) history.append(turn, names, [turn, turn * 10]);
    expect(Array.from(history.turns())).toEqual([3, 4, 5]);
    expect(Array.from(history.series('a'))).toEqual([3, 4, 5]);
    expect(Array.from(history.series('b', 2))).toEqual([40, 50]);
    expect(history.version).toBe(5);
  });

  it('back-fills a figure first seen late, and fills a missing one with 0', () => {
    const history = createHistory(5);
    history.append(1, ['a'], [1]);
    history.append(2, ['a', 'b'], [2, 20]);
    history.append(3, ['b'], [30]);
    expect(Array.from(history.series('a'))).toEqual([1, 2, 0]);
    expect(Array.from(history.series('b'))).toEqual([0, 20, 30]);
    expect(history.figureNames().sort()).toEqual(['a', 'b']);
  });

  it('keeps a names array that covered every column right after another one adds columns', () => {
    const history = createHistory(4);
    const first = ['a', 'b'];
    history.append(1, first, [1, 10]);
    history.append(2, ['c'], [200]);
    history.append(3, first, [3, 30]);
    expect(Array.from(history.series('a'))).toEqual([1, 0, 3]);
    expect(Array.from(history.series('c'))).toEqual([0, 200, 0]);
    expect(history.column('b')?.last()).toBe(30);
    expect(history.column('b')?.at(0)).toBe(10);
  });

  it('names an unknown figure in its error', () => {
    expect(() => createHistory().series('nope')).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_FIGURE_UNKNOWN' }),
    );
  });
});
