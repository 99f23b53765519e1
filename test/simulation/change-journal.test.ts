import { describe, expect, it } from 'vitest';
import { CompanyJournal, OfferJournal } from '../../src/simulation/change-journal.js';

describe('change journals', () => {
  it('grow past their first capacity, keeping the records', () => {
    const journal = new CompanyJournal(2);
    for (let c = 0; c < 5; c++) journal.add(c, 100 * c, -c, 10 * c, c, 1, 500);
    expect(journal.count).toBe(5);
    expect(Array.from(journal.company.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(journal.budgetCents.subarray(0, 5))).toEqual([0, 100, 200, 300, 400]);
    expect(Array.from(journal.purchases.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(journal.initialBudgetCents.subarray(0, 5))).toEqual([500, 500, 500, 500, 500]);
    const offers = new OfferJournal(1);
    offers.add(7, 1, 2, 3, -2);
    offers.add(8, 4, 6, 5, 4);
    expect([offers.count, offers.offer[0], offers.product[0], offers.supplier[0]]).toEqual([2, 7, 1, 2]);
    expect([offers.offer[1], offers.product[1], offers.supplier[1], offers.stock[1], offers.stockChange[1]]).toEqual([
      8, 4, 6, 5, 4,
    ]);
  });
});
