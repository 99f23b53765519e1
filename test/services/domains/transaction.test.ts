import { describe, expect, it } from 'vitest';
import { mean, pearson, quantile } from '../../../src/services/index.js';
import { eachTurn } from './harness.js';

describe('transaction service', () => {
  it('matches the transaction list of each turn and the window statistics of the run', () => {
    const amounts: number[] = [];
    const budgets: number[] = [];
    let attempts = 0;
    let sawAbsent = false;
    eachTurn('default', 21, 80, ({ snapshot, report, world }) => {
      const t = snapshot.transaction;
      const list = report.transactions ?? [];
      const ok = list.filter((x) => x.success);
      expect(t.attempts).toBe(list.length);
      expect(t.successes).toBe(ok.length);
      expect(t.failures).toBe(list.length - ok.length);
      for (const reason of ['no_supplier', 'out_of_stock', 'insufficient_budget', 'inactive_product'] as const) {
        expect(t.failuresByReason[reason]).toBe(list.filter((x) => x.reason === reason).length);
      }
      expect(t.successRate).toBe(list.length ? ok.length / list.length : 0);
      const amount = ok.reduce((s, x) => s + x.amountCents, 0) / 100;
      expect(t.amount).toBeCloseTo(amount, 9);
      expect(t.quantity).toBe(ok.reduce((s, x) => s + x.quantity, 0));
      expect(t.intercontinental).toBe(ok.filter((x) => x.intercontinental).length);
      expect(t.byType.consumable.purchases).toBe(
        ok.filter((x) => world.products[x.product]!.type === 'consumable').length,
      );
      attempts += list.length;
      expect(t.totals.attempts).toBe(attempts);
      amounts.push(amount);
      budgets.push(snapshot.budget.total);
      expect(t.window.amountMean).toBeCloseTo(mean(amounts.slice(-20)), 9);
      expect(t.window.amountP95).toBeCloseTo(quantile(amounts.slice(-20), 0.95), 9);
      const correlation = pearson(budgets.slice(-20), amounts.slice(-20));
      // Absent where the correlation is (one turn, or a series that does not move).
      if (Number.isNaN(correlation)) expect(t.window.budgetVolumeCorrelation).toBeNaN();
      else expect(t.window.budgetVolumeCorrelation).toBeCloseTo(correlation, 9);
      sawAbsent ||= Number.isNaN(correlation);
    });
    // The first turn's correlation is absent, and turns after it are measured.
    expect(sawAbsent).toBe(true);
    expect(Number.isNaN(pearson(budgets.slice(-20), amounts.slice(-20)))).toBe(false);
  });
});
