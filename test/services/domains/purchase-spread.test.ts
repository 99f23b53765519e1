import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOW_COUNTS, PurchaseSpread } from '../../../src/services/domains/purchase-spread.js';
import { type ChangeRecord, journalOf } from './company-changes.js';

/** Checks the spread against the counts, and the candidates against the journal. */
function check(spread: PurchaseSpread, counts: readonly number[], spentAfter: readonly number[], floor: number) {
  expect(spread.total).toBe(counts.reduce((a, b) => a + b, 0));
  expect(spread.lo).toBe(Math.min(...counts));
  expect(spread.hi).toBe(Math.max(...counts));
  const expected = spentAfter.flatMap((spent, i) => (spent >= floor ? [i] : []));
  const { candidates } = spread;
  expect(Array.from(candidates.record.subarray(0, candidates.count))).toEqual(expected);
  expect(Array.from(candidates.value.subarray(0, candidates.count))).toEqual(expected.map((i) => spentAfter[i]));
}

describe('purchase spread', () => {
  it('holds the sum and extremes of the counts, and the records at or above the floor', () => {
    const record = fc.record({
      company: fc.nat({ max: 9 }),
      budgetChangeCents: fc.constant(0),
      spentCents: fc.nat({ max: 500 }),
      purchased: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 2 * LOW_COUNTS }), { minLength: 10, maxLength: 10 }),
        fc.array(fc.tuple(fc.array(record, { maxLength: 40 }), fc.nat({ max: 3_000 })), {
          minLength: 1,
          maxLength: 30,
        }),
        (start, turns) => {
          const state = { budgets: start.map(() => 0), spent: start.map(() => 0), counts: [...start], initial: start };
          const spread = new PurchaseSpread();
          spread.rebuild(state.counts);
          for (const [records, floor] of turns) {
            const journal = journalOf(records, state);
            spread.update(journal, state.counts, floor);
            check(spread, state.counts, Array.from(journal.spentCents), floor);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('follows the lowest count past the counts it keeps, when every company buys every turn', () => {
    const state = { budgets: [0, 0, 0], spent: [0, 0, 0], counts: [0, 0, 0], initial: [0, 0, 0] };
    const spread = new PurchaseSpread();
    spread.rebuild(state.counts);
    for (let turn = 0; turn < 3 * LOW_COUNTS; turn++) {
      const records: ChangeRecord[] = [0, 1, 2].map((company) => ({
        company,
        budgetChangeCents: 0,
        spentCents: 1,
        purchased: true,
      }));
      const journal = journalOf(records, state);
      spread.update(journal, state.counts, 1);
      check(spread, state.counts, Array.from(journal.spentCents), 1);
    }
    expect(spread.lo).toBe(3 * LOW_COUNTS);
  });

  it('follows a company from the last count it keeps until it is the lowest', () => {
    // Company 1 moves to lo + LOW_COUNTS - 1; company 0 then climbs past it.
    const state = { budgets: [0, 0], spent: [0, 0], counts: [0, LOW_COUNTS - 2], initial: [0, 0] };
    const spread = new PurchaseSpread();
    spread.rebuild(state.counts);
    const buy = (company: number): ChangeRecord => ({ company, budgetChangeCents: 0, spentCents: 1, purchased: true });
    const records = [[buy(1)], ...Array.from({ length: LOW_COUNTS }, () => [buy(0)])];
    for (const turn of records) {
      const journal = journalOf(turn, state);
      spread.update(journal, state.counts, 1);
      check(spread, state.counts, Array.from(journal.spentCents), 1);
    }
    expect(state.counts).toEqual([LOW_COUNTS, LOW_COUNTS - 1]);
  });
});
