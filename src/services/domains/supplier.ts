import {
  type Continent,
  type OfferChanges,
  PRODUCT_TYPES,
  type ProductType,
  type WorldView,
} from '../../simulation/index.js';
import { recordOf } from '../figures/figures.js';
import type { ServiceDefinition } from '../figure-service.js';
import { createTurnFollower } from './turn-follower.js';

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
  /** The suppliers that sold most units since the start, most first (at most `topN`). */
  readonly topBySales: readonly TopSupplier[];
}

/** One supplier in the top-by-units-sold list. */
export interface TopSupplier {
  readonly id: string;
  readonly name: string;
  readonly continent: Continent;
  /** Units sold since the start. */
  readonly unitsSold: number;
  /** Units it holds now, all its offers together. */
  readonly stock: number;
}

/**
 * The `topN` suppliers by units sold (ties: lower index first), most first: one pass, insertion
 * into a short list. Index loops and a shift in place, not for-of and splice: this runs every
 * turn, and their iterator results and arrays were a large part of a turn's garbage.
 */
function topSuppliers(world: WorldView, topN: number): TopSupplier[] {
  const sold = world.supplierUnitsSold;
  const top: number[] = [];
  if (topN <= 0) return [];
  for (let s = 0; s < sold.length; s++) {
    const units = sold[s]!;
    if (units <= 0 || (top.length === topN && units <= sold[top[topN - 1]!]!)) continue;
    let at = top.length < topN ? top.length : topN - 1;
    if (top.length < topN) top.push(s);
    while (at > 0 && sold[top[at - 1]!]! < units) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = s;
  }
  const out: TopSupplier[] = new Array<TopSupplier>(top.length);
  for (let i = 0; i < top.length; i++) {
    const s = top[i]!;
    const info = world.suppliers[s]!;
    const { offers } = info;
    let stock = 0;
    for (let k = 0; k < offers.length; k++) stock += world.offerStock[offers[k]!]!;
    out[i] = { id: info.id, name: info.name, continent: info.continent, unitsSold: sold[s]!, stock };
  }
  return out;
}

/**
 * Stock per product, and offers with stock per supplier, kept current from the engine's
 * record of each turn's stock changes rather than by a scan of every offer, with the count
 * of empty offers. The figures over products and suppliers (stock by type, empty products,
 * suppliers with stock) are then counted from those 700-odd numbers: cheaper than keeping
 * them per record, of which there are thousands a turn. Stock is whole units, so the sums
 * stay exact, and a supplier has stock when one of its offers holds a unit.
 */
class StockBook {
  private readonly productStock: Float64Array;
  /** Offers of each supplier holding at least one unit. */
  private readonly stockedOffers: Int32Array;
  /** Product type of each product, as an index into PRODUCT_TYPES (fixed for the run). */
  private readonly productType: Uint8Array;
  /** 1 for a product some supplier offers (fixed for the run). */
  private readonly productOffered: Uint8Array;
  readonly byType: Float64Array;
  total = 0;
  emptyOffers = 0;
  emptyProducts = 0;
  suppliersWithStock = 0;

  constructor(world: WorldView) {
    this.productStock = new Float64Array(world.products.length);
    this.stockedOffers = new Int32Array(world.suppliers.length);
    this.productType = Uint8Array.from(world.products, (p) => p.typeIndex);
    this.productOffered = new Uint8Array(world.products.length);
    this.byType = new Float64Array(PRODUCT_TYPES.length);
    const { offerProduct, offerSupplier, offerStock } = world;
    for (let o = 0; o < offerStock.length; o++) {
      const stock = offerStock[o]!;
      this.productOffered[offerProduct[o]!] = 1;
      this.productStock[offerProduct[o]!]! += stock;
      if (stock < 1) this.emptyOffers += 1;
      else this.stockedOffers[offerSupplier[o]!]! += 1;
    }
    this.recount();
  }

  /**
   * Applies a turn's stock changes, in order. The records name each offer's product and
   * supplier: a lookup per record into the offers' arrays would miss the caches. An offer
   * that empties or is stocked again is rare, so the supplier's count is touched only then
   * (a per-supplier sum per change cost more). No early `continue` for a change of 0: the
   * branch costs more than the work it spares.
   */
  update(changes: OfferChanges): void {
    const { product, supplier, stock, stockChange } = changes;
    const { productStock, stockedOffers } = this;
    let emptyOffers = this.emptyOffers;
    for (let i = 0; i < changes.count; i++) {
      const change = stockChange[i]!;
      const after = stock[i]!;
      productStock[product[i]!]! += change;
      const emptyNow = after < 1;
      if (emptyNow !== after - change < 1) {
        const emptied = emptyNow ? 1 : -1;
        emptyOffers += emptied;
        stockedOffers[supplier[i]!]! -= emptied;
      }
    }
    this.emptyOffers = emptyOffers;
    this.recount();
  }

  /** Counts the figures over products and suppliers. */
  private recount(): void {
    const { productStock, stockedOffers, productType, productOffered, byType } = this;
    byType.fill(0);
    let emptyProducts = 0;
    for (let p = 0; p < productStock.length; p++) {
      const units = productStock[p]!;
      byType[productType[p]!]! += units;
      emptyProducts += productOffered[p]! & Number(units < 1);
    }
    let total = 0;
    for (let t = 0; t < byType.length; t++) total += byType[t]!;
    let suppliersWithStock = 0;
    for (let s = 0; s < stockedOffers.length; s++) suppliersWithStock += Number(stockedOffers[s]! > 0);
    this.total = total;
    this.emptyProducts = emptyProducts;
    this.suppliersWithStock = suppliersWithStock;
  }
}

/** The supplier service: stock levels, shortages, units sold and the suppliers that sold most. */
export function supplierService(topN: number): ServiceDefinition<SupplierFigures> {
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
        unitsSoldTotal += report.aggregates.quantity + report.backorders.deliveredUnits;
      }
      const stock = book;
      return {
        count: world.suppliers.length,
        totalStock: book.total,
        stockByType: recordOf(PRODUCT_TYPES, (_, i) => stock.byType[i]!),
        outOfStockOffers: book.emptyOffers,
        outOfStockProducts: book.emptyProducts,
        suppliersWithStock: book.suppliersWithStock,
        // The turn's purchases and the units delivered to orders that waited.
        unitsSold: report.aggregates.quantity + report.backorders.deliveredUnits,
        unitsSoldTotal,
        topBySales: topSuppliers(world, topN),
      };
    },
  };
}
