import { PRODUCT_TYPES, type ProductType } from '../../simulation/index.js';
import type { ServiceDefinition } from '../metrics-service.js';

/** Supplier figures for one turn; stock in units. */
export interface SupplierFigures {
  readonly count: number;
  readonly totalStock: number;
  readonly stockByType: Readonly<Record<ProductType, number>>;
  /** Offers (a product at a supplier) with no stock left. */
  readonly outOfStockOffers: number;
  /** Products stocked by some supplier but with no unit left anywhere. */
  readonly outOfStockProducts: number;
  /** Suppliers with at least one unit of something. */
  readonly suppliersWithStock: number;
  /** Units sold this turn and since the start. */
  readonly unitsSold: number;
  readonly unitsSoldTotal: number;
}

/** The supplier service: stock levels, shortages and units sold. */
export function supplierService(): ServiceDefinition<SupplierFigures> {
  let unitsSoldTotal = 0;
  return {
    name: 'supplier',
    compute({ report, world }) {
      const stockByType = PRODUCT_TYPES.map(() => 0);
      const productStock = new Float64Array(world.products.length);
      const productOffered = new Uint8Array(world.products.length);
      const supplierStock = new Float64Array(world.suppliers.length);
      let total = 0;
      let emptyOffers = 0;
      const { offerStock, offerProduct, offerSupplier, offerTypeIndex } = world;
      for (let o = 0; o < offerStock.length; o++) {
        const stock = offerStock[o]!;
        const product = offerProduct[o]!;
        total += stock;
        if (stock < 1) emptyOffers += 1;
        productStock[product]! += stock;
        productOffered[product] = 1;
        supplierStock[offerSupplier[o]!]! += stock;
        stockByType[offerTypeIndex[o]!]! += stock;
      }
      let emptyProducts = 0;
      for (let p = 0; p < productStock.length; p++) {
        if (productOffered[p] === 1 && productStock[p]! < 1) emptyProducts += 1;
      }
      unitsSoldTotal += report.aggregates.quantity;
      return {
        count: world.suppliers.length,
        totalStock: total,
        stockByType: Object.fromEntries(PRODUCT_TYPES.map((t, i) => [t, stockByType[i]!])) as Record<
          ProductType,
          number
        >,
        outOfStockOffers: emptyOffers,
        outOfStockProducts: emptyProducts,
        suppliersWithStock: supplierStock.filter((s) => s >= 1).length,
        unitsSold: report.aggregates.quantity,
        unitsSoldTotal,
      };
    },
  };
}
