import { describe, expect, it } from 'vitest';
import { foldEntities, OTHER_LABEL } from '../../../src/monitoring/index.js';
import { appFor, parseExposition, loopFor } from '../fixtures.js';

const TEN_THOUSAND = {
  companies: { count: 10_000 },
  products: { count: 200 },
  suppliers: { count: 200, productsMin: 5, productsMax: 15, stockMin: 500, stockMax: 2_000 },
  market: { selectionProbability: 0.3 },
  report: { transactions: false },
};

describe('per-entity series under a cardinality budget', () => {
  it('keeps the top spenders and folds 10,000 companies into one __other__ series', async () => {
    const loop = loopFor(TEN_THOUSAND, 8, 5);
    const { app } = appFor(loop, { seriesBudget: 50 });
    const samples = parseExposition((await app.inject({ url: '/metrics' })).body);
    for (const family of [
      'tradesim_company_spent',
      'tradesim_company_budget',
      'tradesim_product_units_sold',
      'tradesim_product_current_price',
    ]) {
      const series = samples.filter((s) => s.name === family);
      expect(series.length, family).toBe(50);
      expect(series.filter((s) => s.labels.company === OTHER_LABEL || s.labels.product === OTHER_LABEL)).toHaveLength(
        1,
      );
    }
    const snapshot = loop.latest()!;
    const spent = samples.filter((s) => s.name === 'tradesim_company_spent');
    // Nothing is lost in the fold: the series add up to the total traded.
    expect(spent.reduce((a, s) => a + s.value, 0)).toBeCloseTo(snapshot.transaction.totals.amount, 0);
    const budgets = samples.filter((s) => s.name === 'tradesim_company_budget');
    expect(budgets.reduce((a, s) => a + s.value, 0)).toBeCloseTo(snapshot.budget.total, 0);
    // The kept companies are the biggest spenders, in order.
    const kept = spent.filter((s) => s.labels.company !== OTHER_LABEL).map((s) => s.value);
    expect(kept).toEqual([...kept].sort((a, b) => b - a));
    expect(Math.min(...kept)).toBeGreaterThanOrEqual(snapshot.company.topBySpend[48]!.spent);
  });

  it('folds the mean price of the other products', () => {
    const loop = loopFor('default', 3, 30);
    const s = loop.latest()!;
    const folded = foldEntities(s, 4);
    expect(folded.productPrice).toHaveLength(4);
    const kept = s.product.topBySales.slice(0, 3);
    const restMean =
      (s.product.price.mean * s.product.count - kept.reduce((a, p) => a + p.price, 0)) / (s.product.count - 3);
    expect(folded.productPrice[3]!.value).toBeCloseTo(restMean, 6);
    expect(folded.productUnitsSold.reduce((a, e) => a + e.value, 0)).toBe(s.product.unitsSoldTotal);
  });

  it('exposes no more entities than the services list, whatever the budget: the rest is __other__', async () => {
    const loop = loopFor({ companies: { count: 60 }, services: { topCompanies: 5, topProducts: 3 } }, 2, 5);
    const { app } = appFor(loop, { seriesBudget: 50 });
    const samples = parseExposition((await app.inject({ url: '/metrics' })).body);
    const snapshot = loop.latest()!;
    const spent = samples.filter((s) => s.name === 'tradesim_company_spent');
    expect(spent.map((s) => s.labels.company)).toEqual([...snapshot.company.topBySpend.map((c) => c.id), OTHER_LABEL]);
    expect(spent).toHaveLength(6);
    expect(spent.reduce((a, s) => a + s.value, 0)).toBeCloseTo(snapshot.transaction.totals.amount, 0);
    expect(samples.filter((s) => s.name === 'tradesim_product_units_sold')).toHaveLength(4);
  });
});
