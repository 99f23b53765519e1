import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BudgetBook } from '../../../src/services/domains/budget-book.js';

const COMPANIES = 12;

/** Each company's state index (insolvent, struggling, stable, prosperous), counted. */
function statesOf(
  budgets: readonly number[],
  initial: readonly number[],
  t: { solventMinimum: number; strugglingBelowShare: number; prosperousAboveShare: number },
) {
  const counts = [0, 0, 0, 0];
  budgets.forEach((cents, c) => {
    const state =
      cents < t.solventMinimum * 100
        ? 0
        : cents < initial[c]! * t.strugglingBelowShare
          ? 1
          : cents > initial[c]! * t.prosperousAboveShare
            ? 3
            : 2;
    counts[state]! += 1;
  });
  return counts;
}

const thresholds = fc.record({
  solventMinimum: fc.integer({ min: 0, max: 50 }),
  strugglingBelowShare: fc.double({ min: 0, max: 2, noNaN: true }),
  prosperousAboveShare: fc.double({ min: 0, max: 2, noNaN: true }),
});
describe('budget book', () => {
  it('holds the sum and state counts of every slot, and the extremes of the companies in the market, after every turn', () => {
    fc.assert(
      fc.property(
        thresholds,
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: COMPANIES, maxLength: COMPANIES }),
        fc.array(
          fc.record({
            budgets: fc.array(fc.integer({ min: -4_000, max: 14_000 }), { minLength: COMPANIES, maxLength: COMPANIES }),
            active: fc.array(fc.constantFrom(0, 1), { minLength: COMPANIES, maxLength: COMPANIES }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (t, initial, turns) => {
          const book = new BudgetBook(initial, t);
          for (const { budgets, active } of turns) {
            book.rebuild(budgets, active);
            const inMarket = budgets.filter((_, c) => active[c] === 1);
            expect(book.total).toBe(budgets.reduce((a, b) => a + b, 0));
            expect(book.inMarket).toBe(inMarket.length);
            expect(book.lo).toBe(Math.min(...inMarket));
            expect(book.hi).toBe(Math.max(...inMarket));
            expect(book.inState).toEqual(statesOf(budgets, initial, t));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
