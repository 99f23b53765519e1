import { PRODUCT_TYPES, type ProductType, type WorldView } from '../../simulation/index.js';
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
 * Stock per offer, product, supplier and product type, with the counts of empty offers,
 * empty products and suppliers with stock, kept current from the offers that changed each
 * turn rather than by a scan of every offer. Stock is whole units, so the sums stay exact.
 */
class StockBook {
  private readonly offerStock: Float64Array;
  private readonly productStock: Float64Array;
  private readonly supplierStock: Float64Array;
  /** 1 for a product some supplier offers (fixed for the run). */
  private readonly productOffered: Uint8Array;
  readonly byType: number[];
  total = 0;
  emptyOffers = 0;
  emptyProducts = 0;
  suppliersWithStock = 0;

  constructor(private readonly world: WorldView) {
    this.offerStock = new Float64Array(world.offerStock.length);
    this.productStock = new Float64Array(world.products.length);
    this.supplierStock = new Float64Array(world.suppliers.length);
    this.productOffered = new Uint8Array(world.products.length);
    this.byType = PRODUCT_TYPES.map(() => 0);
    for (let o = 0; o < world.offerProduct.length; o++) this.productOffered[world.offerProduct[o]!] = 1;
    // Every offer starts empty in the book: adding each offer's stock counts everything.
    this.emptyOffers = this.offerStock.length;
    for (let p = 0; p < this.productOffered.length; p++) this.emptyProducts += this.productOffered[p]!;
    for (let o = 0; o < this.offerStock.length; o++) this.take(o);
  }

  /** Takes one offer's current stock into every sum. */
  private take(o: number): void {
    const stock = this.world.offerStock[o]!;
    const before = this.offerStock[o]!;
    if (stock === before) return;
    const change = stock - before;
    this.offerStock[o] = stock;
    this.total += change;
    this.byType[this.world.offerTypeIndex[o]!]! += change;
    this.emptyOffers += Number(stock < 1) - Number(before < 1);
    const p = this.world.offerProduct[o]!;
    const productBefore = this.productStock[p]!;
    this.productStock[p] = productBefore + change;
    this.emptyProducts += Number(productBefore + change < 1) - Number(productBefore < 1);
    const s = this.world.offerSupplier[o]!;
    const supplierBefore = this.supplierStock[s]!;
    this.supplierStock[s] = supplierBefore + change;
    this.suppliersWithStock += Number(supplierBefore + change >= 1) - Number(supplierBefore >= 1);
  }

  /** Takes the stock of the `changed` offers. */
  update(changed: ArrayLike<number>): void {
    for (let i = 0; i < changed.length; i++) this.take(changed[i]!);
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
        book.update(world.changedOffers());
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
