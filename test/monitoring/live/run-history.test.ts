import { describe, expect, it } from 'vitest';
import type { TurnSnapshot } from '../../../src/services/index.js';
import { createRunHistory } from '../../../src/monitoring/live/run-history.js';

const snapshot = (turn: number) =>
  ({ turn, budget: { total: turn * 10 }, market: { fillRate: 1 / turn } }) as unknown as TurnSnapshot;

describe('the whole run in a bounded number of points', () => {
  it('keeps every turn until full, then every other one, doubling the stride', () => {
    const history = createRunHistory(['budget.total', 'market.fillRate'], 8);
    for (let t = 1; t <= 7; t++) history.record(snapshot(t));
    expect(history.points()).toEqual({
      turns: [1, 2, 3, 4, 5, 6, 7],
      values: [
        [10, 20, 30, 40, 50, 60, 70],
        [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7],
      ],
      stride: 1,
    });
    history.record(snapshot(8));
    expect(history.points().turns).toEqual([2, 4, 6, 8]);
    expect(history.points().stride).toBe(2);
  });

  it('holds at most its capacity however long the run, evenly spaced, each point the figure at its turn', () => {
    const history = createRunHistory(['budget.total'], 100);
    for (let t = 1; t <= 1_000_000; t++) history.record(snapshot(t));
    const { turns, values, stride } = history.points();
    expect(turns.length).toBeLessThanOrEqual(100);
    expect(turns.length).toBeGreaterThanOrEqual(50);
    expect(turns.every((t, i) => i === 0 || t - turns[i - 1]! === stride)).toBe(true);
    expect(turns.at(-1)! + stride).toBeGreaterThan(1_000_000);
    expect(values[0]).toEqual(turns.map((t) => t * 10));
  });

  it('reads a missing figure as NaN and refuses an odd capacity', () => {
    const history = createRunHistory(['budget.nope'], 4);
    history.record(snapshot(1));
    expect(history.points().values).toEqual([[Number.NaN]]);
    expect(() => createRunHistory(['budget.total'], 7)).toThrow(RangeError);
  });
});
