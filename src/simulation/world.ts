import type { CompanyJournal, OfferJournal } from './change-journal.js';
import type { Continent, ProductType, Strategy } from './types.js';

/** A product's fixed attributes. Prices and state live in the world's arrays. */
export interface ProductInfo {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly type: ProductType;
  /** Index of `type` in PRODUCT_TYPES. */
  readonly typeIndex: number;
  /** Base price, currency units. */
  readonly basePrice: number;
}

/** A supplier's fixed attributes and the offers (stocked products) it holds. */
export interface SupplierInfo {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly continent: Continent;
  /** Indices into the world's offer arrays. */
  readonly offers: readonly number[];
}

/** A company's fixed attributes. Its budget and stock live in the world's arrays. */
export interface CompanyInfo {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly continent: Continent;
  readonly strategy: Strategy;
  /** Indices into PRODUCT_TYPES, one or two. */
  readonly preferredTypes: readonly number[];
  /** Initial budget, integer cents. */
  readonly initialBudgetCents: number;
}

/** Inflation phases, as stored in `World.inflationPhase`. */
export const INFLATION_NONE = 0;
export const INFLATION_HOLD = 1;
export const INFLATION_DECLINE = 2;

/** Running totals the conservation laws are stated in. */
export interface WorldTotals {
  initialBudgetCents: number;
  refilledCents: number;
  spentCents: number;
  initialGoods: number;
  restockedGoods: number;
  refilledGoods: number;
}

/**
 * The whole mutable state of a market: fixed entity records plus flat typed arrays for what
 * changes each turn (allocation-free to update). Only the simulation layer writes it; others
 * see it through a WorldView. Money is integer cents; quantities are whole units.
 */
export interface World {
  turn: number;
  readonly products: readonly ProductInfo[];
  readonly suppliers: readonly SupplierInfo[];
  readonly companies: readonly CompanyInfo[];

  /** Current price per product, currency units. */
  readonly price: Float64Array;
  /** 1 when the product can be bought. */
  readonly active: Uint8Array;
  readonly inflationPhase: Uint8Array;
  /** Turn the current inflation was applied. */
  readonly inflatedAt: Float64Array;
  /** Price right after the current inflation. */
  readonly peakPrice: Float64Array;
  /** Where the decline settles: base price + finalPercent. */
  readonly targetPrice: Float64Array;
  /** Active product indices per product type; the first `activeCount[t]` entries are valid. */
  readonly activeByType: readonly Int32Array[];
  readonly activeCount: Int32Array;

  /** One offer = one product stocked by one supplier. */
  readonly offerSupplier: Int32Array;
  readonly offerProduct: Int32Array;
  readonly offerStock: Float64Array;
  /** Fixed markup of the offer, in [1 - priceNoise, 1 + priceNoise]. */
  readonly offerMarkup: Float64Array;
  /** Cached unit price of each offer, integer cents; kept current by the pricing functions. */
  readonly offerPriceCents: Float64Array;
  /** Continent index of each offer's supplier. */
  readonly offerContinent: Uint8Array;
  /** Offer indices per product. */
  readonly productOffers: readonly Int32Array[];

  readonly budgetCents: Float64Array;
  /** Each company's initial budget, cents (fixed). */
  readonly initialBudgetCents: Float64Array;
  /** Company stock, companies x products, row-major. */
  readonly companyStock: Float64Array;
  /** Cumulative spend per company, cents. */
  readonly spentCents: Float64Array;
  /** Cumulative successful purchases per company. */
  readonly purchaseCount: Float64Array;
  /** Cumulative units sold per product. */
  readonly unitsSold: Float64Array;
  /** Strategy per company, as an index into STRATEGIES. */
  readonly companyStrategy: Uint8Array;
  /**
   * Product types a company may buy, as a bit mask over PRODUCT_TYPES: every type for
   * `cheapest`, its preferred types for `by_type`.
   */
  readonly companyTypeMask: Uint8Array;
  /** Continent index per company and per supplier, for the hot path. */
  readonly companyContinent: Uint8Array;
  readonly supplierContinent: Uint8Array;

  readonly totals: WorldTotals;
  /** This turn's changes to companies' budgets, spend and purchase counts, in order. */
  readonly companyChanges: CompanyJournal;
  /** This turn's changes to offers' stock, in order. */
  readonly offerChanges: OfferJournal;
}

/** Rebuilds the per-type active product lists after availability changed. */
export function rebuildActiveLists(world: World): void {
  world.activeCount.fill(0);
  for (const product of world.products) {
    if (world.active[product.index] !== 1) continue;
    const t = product.typeIndex;
    const n = world.activeCount[t]!;
    world.activeByType[t]![n] = product.index;
    world.activeCount[t] = n + 1;
  }
}
