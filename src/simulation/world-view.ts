import type { CompanyChanges, OfferChanges } from './change-journal.js';
import {
  type CompanyInfo,
  INFLATION_DECLINE,
  INFLATION_HOLD,
  type ProductInfo,
  type SupplierInfo,
  type World,
  type WorldTotals,
} from './world.js';

/** Where a product is on its inflation curve. */
export interface InflationState {
  readonly phase: 'none' | 'hold' | 'decline';
  /** Turn of the last inflation (0 if never inflated). */
  readonly inflatedAt: number;
  readonly peakPrice: number;
  readonly targetPrice: number;
}

/**
 * A read-only window on the live world, for the services layer. Arrays are indexed by the
 * entity's `index`; they are live (they change with each step), so copy what must be kept.
 * Money is integer cents; prices are currency units.
 */
export interface WorldView {
  readonly turn: number;
  readonly products: readonly ProductInfo[];
  readonly suppliers: readonly SupplierInfo[];
  readonly companies: readonly CompanyInfo[];
  /** Current price per product, currency units. */
  readonly prices: ArrayLike<number>;
  /** 1 = active, 0 = withdrawn, per product. */
  readonly active: ArrayLike<number>;
  readonly budgetsCents: ArrayLike<number>;
  /** Initial budget per company, cents. */
  readonly initialBudgetsCents: ArrayLike<number>;
  /** Cumulative spend per company, cents. */
  readonly spentCents: ArrayLike<number>;
  /** Cumulative successful purchases per company. */
  readonly purchaseCounts: ArrayLike<number>;
  /** Cumulative units sold per product, and per supplier. */
  readonly unitsSold: ArrayLike<number>;
  readonly supplierUnitsSold: ArrayLike<number>;
  /** Offers: supplier, product and current stock of each. */
  readonly offerSupplier: ArrayLike<number>;
  readonly offerProduct: ArrayLike<number>;
  readonly offerStock: ArrayLike<number>;
  /** Units each company holds, bought and not yet sold to households. */
  readonly inventory: ArrayLike<number>;
  /** 1 while the company is in the market, 0 while its slot is empty. */
  readonly companyActive: ArrayLike<number>;
  /** What households paid each company since it entered, cents. */
  readonly salesCents: ArrayLike<number>;
  /** Each company's margin over its unit cost, percent. */
  readonly margins: ArrayLike<number>;
  /** Each company's customers: its weight in households' spending (they move to cheaper or stocked competitors). */
  readonly customers: ArrayLike<number>;
  /** 1 while the supplier is in the market. */
  readonly supplierActive: ArrayLike<number>;
  /** Units in transit per offer. */
  readonly inTransit: ArrayLike<number>;
  /** Price drift per product (the listed price is the curve's price times this). */
  readonly drift: ArrayLike<number>;
  /** Orders waiting per product (its backorder queue's length). */
  readonly ordersWaiting: ArrayLike<number>;
  inflation(product: number): InflationState;
  /** The product's inflation phase alone, without building an object (for per-turn scans). */
  inflationPhase(product: number): InflationState['phase'];
  /** A copy of the running totals the conservation laws are stated in. */
  totals(): Readonly<WorldTotals>;
  /**
   * The last turn's changes to companies' budgets, spend and purchase counts, one record per
   * change in the order they happened (a company bought and refilled has two), each with the
   * values after it: figures over companies can be updated from these instead of a scan of
   * every company. The engine's own records, valid until the next step.
   */
  companyChanges(): CompanyChanges;
  /** The last turn's changes to offers' stock (same terms as companyChanges). */
  offerChanges(): OfferChanges;
}

/** The view's lists and arrays: the world's own, under the names the view gives them. */
type ViewArrays = Omit<
  WorldView,
  'turn' | 'inflation' | 'inflationPhase' | 'totals' | 'companyChanges' | 'offerChanges'
>;

/** The world's lists and arrays the view shows, by the view's names. */
function viewArraysOf(world: World): ViewArrays {
  return {
    products: world.products,
    suppliers: world.suppliers,
    companies: world.companies,
    prices: world.price,
    active: world.active,
    budgetsCents: world.budgetCents,
    initialBudgetsCents: world.initialBudgetCents,
    spentCents: world.spentCents,
    purchaseCounts: world.purchaseCount,
    unitsSold: world.unitsSold,
    supplierUnitsSold: world.supplierUnitsSold,
    offerSupplier: world.offerSupplier,
    offerProduct: world.offerProduct,
    offerStock: world.offerStock,
    inventory: world.inventory,
    companyActive: world.companyActive,
    salesCents: world.salesCents,
    margins: world.companyMargin,
    customers: world.companyWeight,
    supplierActive: world.supplierActive,
    inTransit: world.inTransit,
    drift: world.drift,
    ordersWaiting: world.backlogLength,
  };
}

/**
 * The view. A class rather than an object literal: V8 keeps a literal with a getter (`turn`)
 * in dictionary mode, and every service reads the view's arrays many times a turn.
 */
// The class takes the arrays' members from ViewArrays (declaration merging), so they are
// declared once, in WorldView; the constructor copies them in, in one order.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
interface LiveWorldView extends ViewArrays {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
class LiveWorldView implements WorldView {
  readonly #world: World;

  constructor(world: World) {
    this.#world = world;
    Object.assign(this, viewArraysOf(world));
  }

  get turn(): number {
    return this.#world.turn;
  }

  inflation(product: number): InflationState {
    const world = this.#world;
    return {
      phase: this.inflationPhase(product),
      inflatedAt: world.inflatedAt[product] ?? 0,
      peakPrice: world.peakPrice[product] ?? 0,
      targetPrice: world.targetPrice[product] ?? 0,
    };
  }

  inflationPhase(product: number): InflationState['phase'] {
    const phase = this.#world.inflationPhase[product];
    return phase === INFLATION_HOLD ? 'hold' : phase === INFLATION_DECLINE ? 'decline' : 'none';
  }

  totals(): Readonly<WorldTotals> {
    return Object.freeze({ ...this.#world.totals });
  }

  companyChanges(): CompanyChanges {
    return this.#world.companyChanges;
  }

  offerChanges(): OfferChanges {
    return this.#world.offerChanges;
  }
}

/** Wraps a world in a read-only view. */
export function createWorldView(world: World): WorldView {
  return Object.freeze(new LiveWorldView(world));
}
