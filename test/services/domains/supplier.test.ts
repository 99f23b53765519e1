import { describe, expect, it } from 'vitest';
import { eachTurn, total } from './harness.js';

describe('supplier service', () => {
  it('matches the stock held by suppliers in the world', () => {
    let sold = 0;
    let sawEmpty = false;
    eachTurn({ suppliers: { stockMin: 0, stockMax: 15 } }, 9, 60, ({ snapshot, world, report }) => {
      const s = snapshot.supplier;
      expect(s.totalStock).toBe(total(world.offerStock));
      const offers = Array.from(world.offerStock, (stock, o) => ({ stock, product: world.offerProduct[o]!, supplier: world.offerSupplier[o]! }));
      expect(s.outOfStockOffers).toBe(offers.filter((o) => o.stock < 1).length);
      const offered = new Set(offers.map((o) => o.product));
      const empty = [...offered].filter((p) => offers.filter((o) => o.product === p).every((o) => o.stock < 1));
      expect(s.outOfStockProducts).toBe(empty.length);
      const withStock = new Set(offers.filter((o) => o.stock >= 1).map((o) => o.supplier));
      expect(s.suppliersWithStock).toBe(withStock.size);
      const byType = { raw_material: 0, consumable: 0, finished_good: 0 };
      for (const o of offers) byType[world.products[o.product]!.type] += o.stock;
      expect(s.stockByType).toEqual(byType);
      sold += report.aggregates.quantity;
      expect(s.unitsSold).toBe(report.aggregates.quantity);
      expect(s.unitsSoldTotal).toBe(sold);
      sawEmpty ||= s.outOfStockOffers > 0;
    });
    expect(sawEmpty).toBe(true);
  });
});
