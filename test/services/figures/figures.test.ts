import { describe, expect, it } from 'vitest';
import { planFigures, readFigure, readFigureAt, round } from '../../../src/services/index.js';
import { figureReader, recordFrom, recordOf } from '../../../src/services/figures/figures.js';

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

  it('compiles a figure reader that answers what readFigureAt answers', () => {
    class Lazy {
      get later(): number {
        return 11;
      }
    }
    const root = { ...sample, lazy: new Lazy(), text: 'abc', top: [{ spent: 9 }], none: null };
    const paths = [
      ['total'],
      ['byType', 'odd-key'],
      ['byType', "it's"],
      ['byType', 'none'],
      ['lazy', 'later'],
      ['top', '0', 'spent'],
      ['label'],
      ['text', 'length'],
      ['none', 'x'],
      ['missing', 'deeper', 'still'],
      [],
    ];
    for (const keys of paths) expect(figureReader(keys)(root), keys.join('.')).toBe(readFigureAt(root, keys));
    expect(figureReader(['lazy', 'later'])(root)).toBe(11);
    expect(figureReader(['text', 'length'])(root)).toBeUndefined();
  });
});

describe('records of figures by key', () => {
  it('has one member per key, in key order, each from the callback with its index', () => {
    const keys = ['b', 'a', "it's", 'odd-key'] as const;
    const record = recordOf(keys, (key, i) => `${key}${i}`);
    expect(Object.keys(record)).toEqual(keys);
    expect(record).toEqual({ b: 'b0', a: 'a1', "it's": "it's2", 'odd-key': 'odd-key3' });
    // Made again from the same key list: a new object with the new values.
    const again = recordOf(keys, (_, i) => i);
    expect(again).not.toBe(record);
    expect(Object.values(again)).toEqual([0, 1, 2, 3]);
  });

  it('takes the values of a list or typed array, in key order', () => {
    const keys = ['5m', '1h', "it's"] as const;
    expect(recordFrom(keys, new Float64Array([0.5, Number.NaN, 2]))).toEqual({
      '5m': 0.5,
      '1h': Number.NaN,
      "it's": 2,
    });
    expect(Object.keys(recordFrom(keys, ['a', 'b', 'c']))).toEqual(keys);
  });

  it('treats a __proto__ key as a plain store of it does (a number is ignored), never as a literal would', () => {
    const record = recordOf(['x', '__proto__'], () => 1);
    expect(record).toEqual({ x: 1 });
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')).toBeUndefined();
  });
});
