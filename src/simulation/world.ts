import { CompanyJournal, OfferJournal } from './change-journal.js';
import type { UniqueNameState } from './names.js';
import { type Continent, CONTINENTS, type ProductType, type Strategy } from './types.js';

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

/**
 * Running totals the conservation laws are stated in (money in cents, goods in units):
 * - companies' budgets = initialBudgetCents + refilledCents + revenueCents + entryCapitalCents
 *   - spentCents - overheadCents - dividendCents - writtenOffCents;
 * - households' money = initialHouseholdCents + spentCents + overheadCents + dividendCents + writtenOffCents
 *   - revenueCents - entryCapitalCents (suppliers pass what they are paid on to households);
 * - offers' stock + companies' inventories + goods in transit = initialGoods + restockedGoods
 *   + refilledGoods + producedGoods - consumedGoods - liquidatedGoods - lostGoods.
 */
/**
 * The most goods a world holds, in units: far under 2^53, past which whole units are no longer
 * exact, so that the running totals (which only grow) keep their sums; restocks and supplier
 * refills stop at it (events/restock.ts, events/supplier-refill.ts).
 */
export const MAX_GOODS = 2 ** 51;

/** Goods held (offers' stock, companies' inventories, goods in transit), from the running totals. */
export function goodsHeld(t: Readonly<WorldTotals>): number {
  return (
    t.initialGoods +
    t.restockedGoods +
    t.refilledGoods +
    t.producedGoods -
    t.consumedGoods -
    t.liquidatedGoods -
    t.lostGoods
  );
}

export interface WorldTotals {
  initialBudgetCents: number;
  initialHouseholdCents: number;
  refilledCents: number;
  spentCents: number;
  revenueCents: number;
  overheadCents: number;
  dividendCents: number;
  writtenOffCents: number;
  entryCapitalCents: number;
  initialGoods: number;
  restockedGoods: number;
  refilledGoods: number;
  /** Units suppliers ordered (they enter transit). */
  producedGoods: number;
  /** Units households bought from companies. */
  consumedGoods: number;
  /** Inventories of companies that exited. */
  liquidatedGoods: number;
  /** Stock and orders of suppliers that exited. */
  lostGoods: number;
  exits: number;
  entries: number;
  /** Backorders queued, filled, cancelled, and dropped for a full queue, since the start (see market/backorders.ts). */
  backordersPlaced: number;
  backordersFilled: number;
  backordersCancelled: number;
  backordersDropped: number;
}

/** What the timeline's shocks in force do this turn, recomputed when one starts or ends. */
export interface ShockEffects {
  /** Multiplies the demand index. */
  demand: number;
  /** Multiplies households' spending (a credit freeze lowers it). */
  credit: number;
  /** 1 while a credit freeze is in force: no refills, no entries. */
  frozen: number;
}

/** The arrays the queues are made of (the World's fields of the same names; kept by market/backorder-queues.ts). */
export interface BackorderQueues {
  /** The product company c's open order waits for, -1 when it has none. */
  readonly backorderProduct: Int32Array;
  /** Units the open order still waits for. */
  readonly backorderUnits: Float64Array;
  /** Turn the order was placed. */
  readonly backorderPlaced: Float64Array;
  /** 1 once the order has been counted late (see countLate). */
  readonly backorderLate: Uint8Array;
  /** The order placed before and after it for the same product, -1 at the ends. */
  readonly backorderPrev: Int32Array;
  readonly backorderNext: Int32Array;
  /** Per product: its oldest and newest open order (company slots, -1 when none), how many, and their units. */
  readonly backlogHead: Int32Array;
  readonly backlogTail: Int32Array;
  readonly backlogLength: Int32Array;
  readonly backlogUnits: Float64Array;
  /** Per product: its oldest order not yet counted late, -1 when none (see countLate). */
  readonly backlogOnTime: Int32Array;
}

/**
 * The whole mutable state of a market: fixed entity records plus flat typed arrays for what
 * changes each turn (allocation-free to update). Only the simulation layer writes it; others
 * see it through a WorldView. Money is integer cents; quantities are whole units.
 */
export interface World extends BackorderQueues {
  turn: number;
  readonly products: readonly ProductInfo[];
  readonly suppliers: readonly SupplierInfo[];
  /** The company records; a new company's record replaces the one of the slot it enters. */
  readonly companies: CompanyInfo[];

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
  /**
   * The offers of each product on each continent, in offer order: product p's on continent k
   * are localOffers[i] for i from localStart[p * CONTINENTS.length + k] to the next start - 1.
   * Derived from offerContinent (see derivedParts), not saved with the world.
   */
  readonly localOffers: Int32Array;
  readonly localStart: Int32Array;
  /** Offer indices per product. */
  readonly productOffers: readonly Int32Array[];
  /** Offers are numbered product by product: product p's are productOfferStart[p] to productOfferStart[p + 1] - 1. */
  readonly productOfferStart: Int32Array;

  readonly budgetCents: Float64Array;
  /** Each company's initial budget, cents (fixed). */
  readonly initialBudgetCents: Float64Array;
  /** Cumulative spend per company, cents. */
  readonly spentCents: Float64Array;
  /** Cumulative successful purchases per company. */
  readonly purchaseCount: Float64Array;
  /** Cumulative units sold per product, and per supplier. */
  readonly unitsSold: Float64Array;
  readonly supplierUnitsSold: Float64Array;
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

  /** Households' demand index this turn (1 = normal); its AR(1) noise is `demandNoise`. */
  demandIndex: number;
  demandNoise: number;
  /** Households' money, cents. */
  householdCents: number;
  /** What households asked of companies this turn, cents: spent, or left unspent for lack of goods. */
  householdDemandCents: number;
  /** Households' running estimates of their normal money (slow) and recent money (fast), cents. */
  householdNormalCents: number;
  householdRecentCents: number;
  /** 1 while the company is in the market, 0 while its slot is empty. */
  readonly companyActive: Uint8Array;
  /** Units a company holds, bought and not yet sold. */
  readonly inventory: Float64Array;
  /** Average cost of a company's inventory, cents a unit. */
  readonly unitCostCents: Float64Array;
  /** A company's sale price to households, cents a unit: unit cost plus margin, kept current. */
  readonly salePriceCents: Float64Array;
  /** A company's running estimate of the units households ask of it per turn. */
  readonly demandEstimate: Float64Array;
  /** The fraction of a unit households asked of a company and have not yet bought. */
  readonly demandCarry: Float64Array;
  /**
   * A company's customers: its weight in households' spending. It starts at the company's
   * initial budget over the mean, and moves as customers switch (market/competition.ts).
   */
  readonly companyWeight: Float64Array;
  /** A company's margin over its unit cost, percent: adapts to its inventory (market/households.ts). */
  readonly companyMargin: Float64Array;
  /** What households paid a company since it entered, cents. */
  readonly salesCents: Float64Array;
  /** Share of the units households asked of a company last turn that it could not sell them (out of stock). */
  readonly companyUnmet: Float64Array;
  /** Fixed costs a company pays each turn, cents. */
  readonly overheadCents: Float64Array;
  /** Turns a company has been unable to pay its fixed costs, in a row. */
  readonly insolventTurns: Int32Array;
  /** Turn an empty slot was vacated. */
  readonly vacatedAt: Float64Array;
  /** Number of the next company to enter (its id is `C<number>`). */
  nextCompanyNumber: number;
  /** Running estimate of companies' operating profit per company in the market, cents a turn. */
  profitEstimate: number;
  /** Empty company slots, in the order they were vacated. */
  readonly vacant: number[];
  /** Makes a drawn company name unique among every name given so far (those in companyNames). */
  readonly uniqueCompanyName: (name: string) => string;
  /** How many times each drawn company name has been given: the data behind uniqueCompanyName. */
  readonly companyNames: UniqueNameState;

  /** 1 while the supplier is in the market. */
  readonly supplierActive: Uint8Array;
  /** Orders in transit per arrival slot and offer: (arrival turn % leadTurns) * offers + offer. */
  readonly pipeline: Float64Array;
  /** Units in transit per offer. */
  readonly inTransit: Float64Array;
  inTransitTotal: number;
  /** An offer's running estimate of the units wanted from it per turn. */
  readonly salesEstimate: Float64Array;
  /** An offer's reference stock: where its stock factor is 1 (see suppliers.referenceCover). */
  readonly offerReference: Float64Array;
  /** An offer's long-run estimate of the units wanted from it per turn: its capacity follows it. */
  readonly offerLongRun: Float64Array;
  /** Units an offer can still order from its capacity saved over past turns (suppliers.capacityBurstTurns). */
  readonly capacityCredit: Float64Array;
  /** The industry's cover, turns of sales, recorded at turn % COVER_REPORT_SLOTS (suppliers.reportLean; 0: none). */
  readonly coverReports: Float64Array;
  /** The slow mean of the industry's cover (0: none yet). */
  coverNormal: number;
  /** Units sold per offer this turn. */
  readonly offerSold: Float64Array;
  /** Share of an offer's deliveries a supply disruption holds back, 0 to 1. */
  readonly disruption: Float64Array;
  /** Share of an offer's production capacity its supplier's outage takes, 0 to 1 (events.supplierOutage). */
  readonly outage: Float64Array;
  /** The turn each supplier's outage ends (0: none in force). */
  readonly outageEnds: Float64Array;
  /** Units wanted and units bought per product this turn (the drift's imbalance). */
  readonly productWanted: Float64Array;
  readonly productBought: Float64Array;
  /** Scratch: units and cents each company bought this turn, 0 for the others (see settlePurchases). */
  readonly boughtUnits: Float64Array;
  readonly boughtCents: Float64Array;
  /** Scratch: the turns each backorder filled this turn waited, the first `filled` entries. */
  readonly fulfilledWaits: Float64Array;
  /** Scratch: each product's unmet wants per offer, this turn. */
  readonly unmetShare: Float64Array;
  /** The product's price on its inflation curve; `price` = curvePrice x drift. */
  readonly curvePrice: Float64Array;
  /** Price drift from the balance of demand and supply, in [1 - maxDrift, 1 + maxDrift]. */
  readonly drift: Float64Array;
  /** Timeline: 1 while shock i is in force; products a recall withdrew, per shock. */
  shockInForce: Uint8Array;
  readonly recalled: (readonly number[])[];
  /** Recalls in force holding each product. */
  readonly recalls: Int32Array;
  effects: ShockEffects;

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

/**
 * Gives the number fields of the world, its totals and its shock effects the representation
 * they end up with (doubles), before any code runs on them; their values are unchanged. A
 * field that starts as a small integer and later holds cents beyond 2^31 changes the
 * object's shape under code optimized for the old one.
 */
export function settleNumberFields(world: World): World {
  for (const record of [world, world.totals, world.effects] as unknown as Record<string, unknown>[]) {
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (typeof value !== 'number') continue;
      record[key] = 0.5;
      record[key] = value;
    }
  }
  return world;
}

/** The index behind World.localOffers and World.localStart (offers are numbered product by product). */
export function offersByContinent(
  productOfferStart: Int32Array,
  offerContinent: Uint8Array,
): { localOffers: Int32Array; localStart: Int32Array } {
  const k = CONTINENTS.length;
  const products = productOfferStart.length - 1;
  const localStart = new Int32Array(products * k + 1);
  for (let p = 0; p < products; p++) {
    for (let o = productOfferStart[p]!; o < productOfferStart[p + 1]!; o++)
      localStart[p * k + offerContinent[o]! + 1]! += 1;
  }
  for (let i = 1; i < localStart.length; i++) localStart[i]! += localStart[i - 1]!;
  const localOffers = new Int32Array(offerContinent.length);
  const next = localStart.slice(0, -1);
  for (let p = 0; p < products; p++) {
    for (let o = productOfferStart[p]!; o < productOfferStart[p + 1]!; o++) {
      localOffers[next[p * k + offerContinent[o]!]!++] = o;
    }
  }
  return { localOffers, localStart };
}

/**
 * The parts of a world made from the rest of it, for a generated world and a restored one
 * alike: empty change journals, sized so a turn seldom grows them (a turn makes at most one
 * purchase and one operations record per company; event turns add a record per company
 * refilled and per offer restocked), and the offers by continent.
 */
export function derivedParts(
  companies: number,
  productOfferStart: Int32Array,
  offerContinent: Uint8Array,
): Pick<World, 'companyChanges' | 'offerChanges' | 'localOffers' | 'localStart'> {
  return {
    ...offersByContinent(productOfferStart, offerContinent),
    companyChanges: new CompanyJournal(2 * companies),
    offerChanges: new OfferJournal(companies + 2 * offerContinent.length),
  };
}
