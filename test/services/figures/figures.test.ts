import { describe, expect, it } from 'vitest';
import { planFigures, readFigure, round } from '../../../src/services/index.js';

describe('figure plans', () => {
  const sample = {
    total: 3,
    byType: { food: 1, 'odd-key': 2, "it's": 4 },
    top: [{ spent: 9 }],
    label: 'not a number',
  };
  Object.defineProperty(sample, 'lazy', { get: () => 5, enumerable: true });

  it('names every numeric data figure, nested ones included, and skips arrays, text and getters', () => {
    expect(planFigures('svc', sample).names).toEqual([
      'svc.total',
      'svc.byType.food',
      'svc.byType.odd-key',
      "svc.byType.it's",
    ]);
  });

  it('reads a later object of the same shape into a row, any key quoted safely', () => {
    const plan = planFigures('svc', sample);
    const row = new Float64Array(plan.names.length);
    plan.read({ ...sample, total: 7, byType: { food: 0.5, 'odd-key': -1, "it's": 8 } }, row);
    expect(Array.from(row)).toEqual([7, 0.5, -1, 8]);
  });

  it('reads 0 for a figure missing or not a number in a later object', () => {
    const plan = planFigures('svc', sample);
    const row = new Float64Array(plan.names.length).fill(99);
    plan.read({ total: 'x', byType: undefined }, row);
    expect(Array.from(row)).toEqual([0, 0, 0, 0]);
  });

  it('reads one figure by its dotted path, and rounds for output', () => {
    expect(readFigure(sample, 'byType.food')).toBe(1);
    expect(readFigure(sample, 'byType.none')).toBeUndefined();
    expect(round(2.345678, 3)).toBe(2.346);
  });
});
