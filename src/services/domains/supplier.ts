import { type OfferChanges, PRODUCT_TYPES, type ProductType, type WorldView } from '../../simulation/index.js';
import { recordOf } from '../figures.js';
import type { ServiceDefinition } from '../metrics-service.js';
import { createTurnFollower } from '../turn-follower.js';

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

/**
 * Stock per product, supplier and product type, with the counts of empty offers, empty
 * products and suppliers with stock, kept current from the engine's record of each turn's
 * stock changes rather than by a scan of every offer. Stock is whole units, so the sums
 * stay exact.
 */
class StockBook {
  private readonly productStock: Float64Array;
  private readonly supplierStock: Float64Array;
  /** Product type of each product, as an index into PRODUCT_TYPES (fixed for the run). */
  private readonly productType: Uint8Array;
  readonly byType: Float64Array;
  total = 0;
  emptyOffers = 0;
  emptyProducts = 0;
  suppliersWithStock = 0;

  constructor(world: WorldView) {
    this.productStock = new Float64Array(world.products.length);
    this.supplierStock = new Float64Array(world.suppliers.length);
    this.productType = Uint8Array.from(world.products, (p) => p.typeIndex);
    this.byType = new Float64Array(PRODUCT_TYPES.length);
    const offers = world.offerStock.length;
    const productOffered = new Uint8Array(world.products.length);
    for (let o = 0; o < offers; o++) productOffered[world.offerProduct[o]!] = 1;
    // Every offer starts empty in the book: adding each offer's stock counts everything.
    this.emptyOffers = offers;
    for (let p = 0; p < productOffered.length; p++) this.emptyProducts += productOffered[p]!;
    // As if each offer's whole stock had just arrived.
    const { offerProduct, offerSupplier, offerStock } = world;
    this.update({ count: offers, offer: [], product: offerProduct, supplier: offerSupplier, stock: offerStock, stockChange: offerStock });
  }

  /**
   * Applies a turn's stock changes, in order. The records name each offer's product and
   * supplier: a lookup per record into the offers' arrays would miss the caches. The sums
   * are kept in locals through the loop (fields would be reloaded and stored per record).
   */
  update(changes: OfferChanges): void {
    const { product, supplier, stock, stockChange } = changes;
    const { productStock, supplierStock, productType, byType } = this;
    let { total, emptyOffers, emptyProducts, suppliersWithStock } = this;
    for (let i = 0; i < changes.count; i++) {
      const change = stockChange[i]!;
      if (change === 0) continue;
      const after = stock[i]!;
      const p = product[i]!;
      const s = supplier[i]!;
      total += change;
      emptyOffers += Number(after < 1) - Number(after - change < 1);
      byType[productType[p]!]! += change;
      const productBefore = productStock[p]!;
      productStock[p] = productBefore + change;
      emptyProducts += Number(productBefore + change < 1) - Number(productBefore < 1);
      const supplierBefore = supplierStock[s]!;
      supplierStock[s] = supplierBefore + change;
      suppliersWithStock += Number(supplierBefore + change >= 1) - Number(supplierBefore >= 1);
    }
    this.total = total;
    this.emptyOffers = emptyOffers;
    this.emptyProducts = emptyProducts;
    this.suppliersWithStock = suppliersWithStock;
  }
}

/** The supplier service: stock levels, shortages and units sold. */
export function supplierService(): ServiceDefinition<SupplierFigures> {
  let unitsSoldTotal = 0;
  let book: StockBook | undefined;
  const followsLastTurn = createTurnFollower();
  return {
    name: 'supplier',
    compute({ report, world }) {
      const follows = followsLastTurn(report.turn);
      if (!book || !follows) {
        // First turn seen, or turns were played unseen: take every offer.
        book = new StockBook(world);
        unitsSoldTotal = 0;
        for (let p = 0; p < world.products.length; p++) unitsSoldTotal += world.unitsSold[p]!;
      } else {
        book.update(world.offerChanges());
        unitsSoldTotal += report.aggregates.quantity;
      }
      const stock = book;
      return {
        count: world.suppliers.length,
        totalStock: book.total,
        stockByType: recordOf(PRODUCT_TYPES, (_, i) => stock.byType[i]!),
        outOfStockOffers: book.emptyOffers,
        outOfStockProducts: book.emptyProducts,
        suppliersWithStock: book.suppliersWithStock,
        unitsSold: report.aggregates.quantity,
        unitsSoldTotal,
      };
    },
  };
}
