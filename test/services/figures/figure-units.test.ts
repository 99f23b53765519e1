import { describe, expect, it } from 'vitest';
import { figureCatalogue, unitOf } from '../../../src/services/index.js';

describe('figure units', () => {
  it('names a unit for every figure of the catalogue', () => {
    const missing = [...figureCatalogue().keys()].filter((name) => unitOf(name) === undefined);
    expect(missing).toEqual([]);
  });

  it.each([
    ['budget.total', 'currency units'],
    ['budget.evolutionPercent', 'percent'],
    ['budget.companiesByState.insolvent', 'companies'],
    ['budget.solvent', 'companies'],
    ['budget.gini', 'ratio'],
    ['transaction.failuresByReason.out_of_stock', 'attempts'],
    ['transaction.window.amountP95', 'currency units'],
    ['transaction.byType.consumable.quantity', 'units'],
    ['event.impact.restock.before', 'units'],
    ['event.impact.inflation.after', 'index'],
    ['performance.phaseSeconds.prices', 'seconds'],
    ['product.priceByType.consumable.mean', 'currency units'],
    ['supplier.outOfStockOffers', 'offers'],
    ['supplier.suppliersWithStock', 'suppliers'],
    ['supplier.stockByType.consumable', 'units'],
  ])('%s is in %s', (figure, unit) => {
    expect(unitOf(figure)).toBe(unit);
  });
});
