import { describe, expect, it } from 'vitest';
import { eachTurn, total } from './harness.js';

describe('supplier service', () => {
  it('matches the stock held by suppliers in the world', () => {
    let sold = 0;
    let sawEmpty = false;
    eachTurn({ suppliers: { stockMin: 0, stockMax: 15 } }, 9, 60, ({ snapshot, world, report }) => {
      const s = snapshot.supplier;
      expect(s.totalStock).toBe(total(world.offerStock));
      const offers = Array.from(world.offerStock, (stock, o) => ({
        stock,
        product: world.offerProduct[o]!,
        supplier: world.offerSupplier[o]!,
      }));
      expect(s.outOfStockOffers).toBe(offers.filter((o) => o.stock < 1).length);
      const offered = new Set(offers.map((o) => o.product));
      const empty = [...offered].filter((p) => offers.filter((o) => o.product === p).every((o) => o.stock < 1));
      expect(s.outOfStockProducts).toBe(empty.length);
      const withStock = new Set(offers.filter((o) => o.stock >= 1).map((o) => o.supplier));
      expect(s.suppliersWithStock).toBe(withStock.size);
      const byType = { raw_material: 0, consumable: 0, finished_good: 0 };
      for (const o of offers) byType[world.products[o.product]!.type] += o.stock;
      expect(s.stockByType).toEqual(byType);
      // Purchases served at once, and units delivered to orders that waited.
      const units = report.aggregates.quantity + report.backorders.deliveredUnits;
      sold += units;
      expect(s.unitsSold).toBe(units);
      expect(s.unitsSoldTotal).toBe(sold);
      sawEmpty ||= s.outOfStockOffers > 0;
    });
    expect(sawEmpty).toBe(true);
  });

  it('counts suppliers with stock as their last offers empty and as refills stock them again', () => {
    // Few offers a supplier, little stock and no orders: whole suppliers run dry, and refills bring them back.
    const scenario = {
      suppliers: {
        count: 6,
        productsMin: 1,
        productsMax: 2,
        stockMin: 0,
        stockMax: 8,
        capacity: 0,
        capacityMultiple: 0,
      },
      events: {
        interval: 3,
        restock: { probability: 0.3, min: 0, max: 4 },
        supplierRefill: { probability: 0.6, supplierProbability: 0.5, productProbability: 1, min: 1, max: 6 },
      },
    };
    let previous: number | undefined;
    let sawDry = false;
    let sawStockedAgain = false;
    eachTurn(scenario, 4, 120, ({ snapshot, world }) => {
      const withStock = new Set<number>();
      for (let o = 0; o < world.offerStock.length; o++)
        if (world.offerStock[o]! >= 1) withStock.add(world.offerSupplier[o]!);
      const { suppliersWithStock, count } = snapshot.supplier;
      expect(suppliersWithStock).toBe(withStock.size);
      sawDry ||= suppliersWithStock < count;
      sawStockedAgain ||= previous !== undefined && suppliersWithStock > previous;
      previous = suppliersWithStock;
    });
    expect(sawDry).toBe(true);
    expect(sawStockedAgain).toBe(true);
  });
});
