import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentBudgets } from '../../../src/services/domains/recent-budgets.js';

describe('recent budgets', () => {
  it("gives each kept turn its companies' budgets in order until `size` later turns were kept", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.array(fc.record({ cents: fc.nat({ max: 1_000_000 }), active: fc.constantFrom(0, 1) }), {
            minLength: 1,
            maxLength: 8,
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (size, turns) => {
          const recent = new RecentBudgets(size);
          const slots: number[] = [];
          const inMarket = (turn: (typeof turns)[number]) => turn.filter((s) => s.active === 1).map((s) => s.cents);
          turns.forEach((slotsOfTurn, i) => {
            const cents = slotsOfTurn.map((s) => s.cents);
            const active = slotsOfTurn.map((s) => s.active);
            slots.push(recent.keep(i + 1, cents, active));
            for (let turn = 1; turn <= i + 1; turn++) {
              const order = recent.inOrder(turn, slots[turn - 1]!);
              if (turn > i + 1 - size) {
                expect(Array.from(order!)).toEqual(inMarket(turns[turn - 1]!).sort((a, b) => a - b));
              } else expect(order).toBeUndefined();
            }
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
