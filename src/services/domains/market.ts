import { fromCents } from '../figures/figures.js';
import type { ServiceDefinition } from '../figure-service.js';
import { createOrderTally, type OrderFigures, type OrderTallyState } from './orders.js';

/** The closed loops for one turn: households, sales, supply and the population of companies. */
export interface MarketFigures {
  /** Simulated time at which the turn started, seconds since the Unix epoch (see the scenario's `calendar`). */
  readonly simulatedTime: number;
  /** Households' demand index (1 = normal), shocks included. */
  readonly demandIndex: number;
  /** Households' money, currency units. */
  readonly householdMoney: number;
  /** What households paid companies this turn and since the start, currency units. */
  readonly revenue: number;
  readonly revenueTotal: number;
  /** Units households bought this turn and since the start. */
  readonly consumedUnits: number;
  readonly consumedUnitsTotal: number;
  /** Units households asked of companies this turn (bought, or not for lack of stock). */
  readonly unitsAsked: number;
  /** Units suppliers ordered this turn, and units in transit after it. */
  readonly ordered: number;
  readonly inTransit: number;
  /** Units bought / units wanted by the turn's buyers; absent (NaN) without buyers. */
  readonly fillRate: number;
  /** 100 x what buyers paid / what the same units cost at base prices; absent (NaN) without purchases. */
  readonly paidPriceIndex: number;
  /** Companies that exited and entered this turn and since the start. */
  readonly exits: number;
  readonly exitsTotal: number;
  readonly entries: number;
  readonly entriesTotal: number;
  /** Companies in the market (slots not empty). */
  readonly activeCompanies: number;
  /** Timeline shocks in force after the turn. */
  readonly shocksInForce: number;
  /** Suppliers' stock over their long-run sales, turns, as the industry report records it; absent (NaN) without one (suppliers.reportLean). */
  readonly supplyCover: number;
  /** The cover suppliers aimed for this turn, turns of expected sales: coverTurns, leaned against the report. */
  readonly supplyCoverTarget: number;
  /** Orders that wait (backorders), the backlog, and how long orders took to be served. */
  readonly orders: OrderFigures;
}

/**
 * The market service: households' demand and money, revenue, supply in transit, exits and
 * entries, and the orders that wait (in seconds of `turnMinutes`-minute turns).
 */
export function marketService(turnMinutes = 1): ServiceDefinition<MarketFigures> {
  let revenueCents = 0;
  let consumedTotal = 0;
  let exitsTotal = 0;
  let entriesTotal = 0;
  const orders = createOrderTally(turnMinutes);
  return {
    name: 'market',
    saveState: () => ({ revenueCents, consumedTotal, exitsTotal, entriesTotal, orders: orders.saveState() }),
    loadState(state) {
      const saved = state as {
        revenueCents: number;
        consumedTotal: number;
        exitsTotal: number;
        entriesTotal: number;
        orders: OrderTallyState;
      };
      ({ revenueCents, consumedTotal, exitsTotal, entriesTotal } = saved);
      if (saved.orders) orders.loadState(saved.orders);
    },
    compute({ report }) {
      const { market, aggregates, population } = report;
      revenueCents += market.revenueCents;
      consumedTotal += market.unitsConsumed;
      exitsTotal += population.exits.length;
      entriesTotal += population.entries.length;
      return {
        simulatedTime: market.timeMs / 1000,
        demandIndex: market.demandIndex,
        householdMoney: fromCents(market.householdCents),
        revenue: fromCents(market.revenueCents),
        revenueTotal: fromCents(revenueCents),
        consumedUnits: market.unitsConsumed,
        consumedUnitsTotal: consumedTotal,
        unitsAsked: market.unitsAsked,
        ordered: market.ordered,
        inTransit: market.inTransit,
        // Nothing to measure: absent, not a made-up 1 or 100.
        fillRate: aggregates.quantityWanted > 0 ? aggregates.quantity / aggregates.quantityWanted : Number.NaN,
        paidPriceIndex:
          aggregates.baseValueCents > 0 ? (100 * aggregates.amountCents) / aggregates.baseValueCents : Number.NaN,
        exits: population.exits.length,
        exitsTotal,
        entries: population.entries.length,
        entriesTotal,
        activeCompanies: market.activeCompanies,
        shocksInForce: market.shocksInForce,
        supplyCover: market.industryCover > 0 ? market.industryCover : Number.NaN,
        supplyCoverTarget: market.coverTarget,
        orders: orders.record(report),
      };
    },
  };
}
