import { describe, expect, it } from 'vitest';
import { eachTurn } from './harness.js';

describe('supplier service: the suppliers that sold most', () => {
  it('lists them by units sold since the start, with what they hold, as recomputed from the world', () => {
    eachTurn(
      { name: 'tops', suppliers: { count: 40 }, services: { topSuppliers: 5 } },
      3,
      120,
      ({ snapshot, world }) => {
        const expected = world.suppliers
          .map((s) => ({
            id: s.id,
            name: s.name,
            continent: s.continent,
            unitsSold: world.supplierUnitsSold[s.index]!,
            stock: s.offers.reduce((n, o) => n + world.offerStock[o]!, 0),
            index: s.index,
          }))
          .filter((s) => s.unitsSold > 0)
          .sort((a, b) => b.unitsSold - a.unitsSold || a.index - b.index)
          .slice(0, 5)
          .map(({ index: _index, ...rest }) => rest);
        expect(snapshot.supplier.topBySales).toEqual(expected);
      },
    );
  });

  it('counts every unit bought against its supplier', () => {
    eachTurn('default', 2, 200, ({ snapshot, world }) => {
      let sold = 0;
      for (let s = 0; s < world.suppliers.length; s++) sold += world.supplierUnitsSold[s]!;
      expect(sold).toBe(snapshot.supplier.unitsSoldTotal);
    });
  });
});
