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

function countAtLeastOne(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! >= 1) n += 1;
  return n;
}

/** The supplier service: stock levels, shortages and units sold. */
export function supplierService(): ServiceDefinition<SupplierFigures> {
  let unitsSoldTotal = 0;
  // Scratch arrays sized on the first turn and reused: typed arrays are costly to allocate
  // every turn. Which products some supplier offers never changes.
  let productStock = new Float64Array(0);
  let supplierStock = new Float64Array(0);
  let productOffered = new Uint8Array(0);
  return {
    name: 'supplier',
    compute({ report, world }) {
      const stockByType = PRODUCT_TYPES.map(() => 0);
      if (productStock.length !== world.products.length || supplierStock.length !== world.suppliers.length) {
        productStock = new Float64Array(world.products.length);
        supplierStock = new Float64Array(world.suppliers.length);
        productOffered = new Uint8Array(world.products.length);
        for (let o = 0; o < world.offerProduct.length; o++) productOffered[world.offerProduct[o]!] = 1;
      }
      productStock.fill(0);
      supplierStock.fill(0);
      let total = 0;
      let emptyOffers = 0;
      const { offerStock, offerProduct, offerSupplier, offerTypeIndex } = world;
      for (let o = 0; o < offerStock.length; o++) {
        const stock = offerStock[o]!;
        const product = offerProduct[o]!;
        total += stock;
        if (stock < 1) emptyOffers += 1;
        productStock[product]! += stock;
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
        suppliersWithStock: countAtLeastOne(supplierStock),
        unitsSold: report.aggregates.quantity,
        unitsSoldTotal,
      };
    },
  };
}
