import type { ShockKind } from './timeline-schema.js';
import type { EventType, FailureReason, ProductType } from './types.js';

/** One purchase attempt. Entity fields are indices into the world's lists; -1 when none was reached. */
export interface Transaction {
  readonly company: number;
  readonly supplier: number;
  readonly product: number;
  readonly quantity: number;
  /** Integer cents; 0 when no supplier was priced. */
  readonly unitPriceCents: number;
  /** quantity x unitPriceCents; 0 for a failed transaction. */
  readonly amountCents: number;
  readonly success: boolean;
  readonly reason: FailureReason | null;
  readonly intercontinental: boolean;
}

/** Purchases of one product type within a turn. */
export interface TypeVolume {
  readonly purchases: number;
  readonly quantity: number;
  readonly amountCents: number;
}

/** A turn's purchases summed up; always present, even when the transaction list is off. */
export interface TurnAggregates {
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  readonly failuresByReason: Readonly<Record<FailureReason, number>>;
  readonly amountCents: number;
  readonly quantity: number;
  /** Units the buyers wanted: quantity / quantityWanted is the fill rate. */
  readonly quantityWanted: number;
  /** What the units bought cost at their products' base prices, cents: amountCents over this is the paid price index. */
  readonly baseValueCents: number;
  /** Successful purchases whose supplier is on another continent than the buyer. */
  readonly intercontinental: number;
  readonly byProductType: Readonly<Record<ProductType, TypeVolume>>;
}

/** One entity an event touched and by how much (its unit depends on the event type). */
export interface EventTarget {
  readonly index: number;
  readonly value: number;
}

/**
 * An event applied in a turn. `total` is cents for budget_refill, units for restock and
 * supplier_refill, the sum of applied percents for inflation, the number of products
 * changed for availability, and the outage's turns for supplier_outage. `targets` lists each target only when the scenario keeps details.
 */
export interface AppliedEvent {
  readonly type: EventType;
  readonly targetCount: number;
  readonly total: number;
  readonly targets: readonly EventTarget[] | null;
}

/** A timeline shock starting or ending in a turn. */
export interface AppliedShock {
  /** Its index in the scenario's timeline. */
  readonly index: number;
  readonly kind: ShockKind;
  readonly phase: 'start' | 'end';
  readonly severity: number;
  /** Entities it hit at its start (offers, products or suppliers); 0 at its end. */
  readonly targetCount: number;
  /** Each target (index, and the units or percent it took) when the scenario keeps details. */
  readonly targets: readonly EventTarget[] | null;
}

/** Companies that left and entered the market in a turn (slot indices). */
export interface PopulationChange {
  readonly exits: readonly number[];
  readonly entries: readonly number[];
}

/** The closed loops of a turn: households, companies' sales, suppliers' orders (cents, units). */
export interface MarketReport {
  /** Simulated time at which the turn started, milliseconds since the Unix epoch (see `calendar`). */
  readonly timeMs: number;
  /** Households' demand index (1 = normal), shocks included. */
  readonly demandIndex: number;
  /** Households' money after the turn. */
  readonly householdCents: number;
  /** What households set out to spend, and what companies sold them. */
  readonly householdDemandCents: number;
  readonly revenueCents: number;
  /** Fixed costs companies paid, and dividends to their owners. */
  readonly overheadCents: number;
  readonly dividendCents: number;
  /** Units households bought, and units they asked for. */
  readonly unitsConsumed: number;
  readonly unitsAsked: number;
  /** Units suppliers ordered, units that arrived, and units in transit after the turn. */
  readonly ordered: number;
  readonly arrived: number;
  readonly inTransit: number;
  /** Timeline shocks in force after the turn. */
  readonly shocksInForce: number;
  /** Companies in the market after the turn. */
  readonly activeCompanies: number;
  /** The cover suppliers aimed for this turn, turns of expected sales (coverTarget). */
  readonly coverTarget: number;
  /** The industry's cover recorded this turn, turns of long-run sales (suppliers.reportLean; 0: none). */
  readonly industryCover: number;
}

/** Everything one turn did. Readonly and complete: the services need nothing else from the step. */
export interface TurnReport {
  readonly turn: number;
  /** Every attempt in order, or null when the scenario keeps aggregates only. */
  readonly transactions: readonly Transaction[] | null;
  readonly aggregates: TurnAggregates;
  readonly events: readonly AppliedEvent[];
  readonly market: MarketReport;
  /** Timeline shocks that started or ended this turn, in timeline order. */
  readonly shocks: readonly AppliedShock[];
  /** Companies that left and entered the market this turn. */
  readonly population: PopulationChange;
  /** Orders that wait: what was queued, filled and cancelled, and the backlog after the turn. */
  readonly backorders: BackorderReport;
}

/** What the backorders did in a turn, and the backlog after it. */
export interface BackorderReport {
  /** Orders queued this turn, filled (their last unit delivered), cancelled, and not queued for a full queue. */
  readonly placed: number;
  readonly filled: number;
  readonly cancelled: number;
  readonly dropped: number;
  /**
   * Orders that turned late this turn (waiting longer than `backorders.lateTurns`: each counted
   * once, the turn it passes it, whatever becomes of it), orders filled before turning late,
   * and orders cancelled before turning late.
   */
  readonly late: number;
  readonly filledOnTime: number;
  readonly cancelledEarly: number;
  /** Units delivered to waiting orders this turn, and what their buyers paid, cents. */
  readonly deliveredUnits: number;
  readonly deliveredCents: number;
  /** Orders waiting after the turn, their units, and those units at their products' prices, cents. */
  readonly openOrders: number;
  readonly openUnits: number;
  readonly openValueCents: number;
  /** Turns the oldest waiting order has waited (0 when none waits). */
  readonly oldestAgeTurns: number;
  /** The turns each order filled this turn waited, one entry per order (a view of the world's scratch). */
  readonly waits: Float64Array;
}
