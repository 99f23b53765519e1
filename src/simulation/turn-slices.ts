import { turnTimeMs } from './market/calendar.js';
import {
  backorderReport,
  cancelExitedBackorders,
  countServed,
  noneServed,
  serveBackorderRange,
} from './market/backorders.js';
import { startSwitching, switchRange } from './market/competition.js';
import { firstRedraw, redrawCosts } from './market/cost-shocks.js';
import { advanceDemand } from './market/demand.js';
import { finishSale, operate, startSale } from './market/households.js';
import { exitAndEnter } from './market/population.js';
import { COVER_REPORT_SLOTS, coverTarget } from './market/cover-report.js';
import { deliverDue, orderTowardTargets, shareUnmet } from './market/supply.js';
import { applyTimeline, shocksInForce } from './market/timeline.js';
import { advancePrices } from './phases/advance-prices.js';
import { applyEvents } from './phases/apply-events.js';
import { drawBuyers } from './phases/select-buyers.js';
import { buy, finishPurchases, settleCompanies, startPurchases } from './phases/settle-purchases.js';
import type { Rng } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import type { TurnReport } from './turn-report.js';
import type { World } from './world.js';

/** The phases of a turn, in order; a turn reports the end of each so callers can time them. */
export type TurnPhase = 'prices' | 'purchases' | 'market' | 'events';

/**
 * The work a turn may still do before it yields, in items (a company, a buyer or an offer
 * each), and the items it has played. A count, never a time: where a turn yields cannot change
 * what it plays.
 */
export interface SliceBudget {
  left: number;
  played: number;
}

/** A turn's loop over `n` items in ranges, as a callback over one range. */
type RangeLoop = (from: number, to: number) => void;

/**
 * Runs `loop` over the items 0 to n - 1 in ranges of what the budget has left, yielding
 * whenever it has run out (the caller then refills it). The ranges follow each other in order.
 */
function* inSlices(n: number, budget: SliceBudget, loop: RangeLoop): Generator<void, void, void> {
  let from = 0;
  while (from < n) {
    if (budget.left <= 0) yield;
    const to = Math.min(n, from + budget.left);
    loop(from, to);
    budget.left -= to - from;
    budget.played += to - from;
    from = to;
  }
}

/**
 * inSlices for items of unequal work: item i counts as `weight(i)` items of the budget, its
 * weight read before its range runs (a count, never a time). A range ends once its items'
 * weights reach what the budget has left.
 */
export function* inWeightedSlices(
  n: number,
  budget: SliceBudget,
  weight: (item: number) => number,
  loop: RangeLoop,
): Generator<void, void, void> {
  let from = 0;
  while (from < n) {
    if (budget.left <= 0) yield;
    let to = from;
    let used = 0;
    while (to < n && used < budget.left) {
      used += weight(to);
      to += 1;
    }
    loop(from, to);
    budget.left -= used;
    budget.played += used;
    from = to;
  }
}

/** The turn's cost shocks (market/cost-shocks.ts) over every company slot, in slices. */
function* redrawCostsInSlices(
  world: World,
  scenario: Scenario,
  rng: Rng,
  budget: SliceBudget,
): Generator<void, void, void> {
  let next = firstRedraw(scenario, rng);
  yield* inSlices(world.companyActive.length, budget, (from, to) => {
    next = redrawCosts(world, scenario, rng, next, from, to);
  });
}
/**
 * Plays one turn on a world in slices: the timeline's shocks start or end, households' demand
 * and the prices move, due orders arrive, buyers are drawn and settle their purchases,
 * companies sell to households and pay their fixed costs, suppliers order, insolvent companies
 * exit and new ones enter, then the events of an event turn apply. The loops over companies,
 * buyers and offers run in ranges of `budget.left` items and the turn yields when the budget
 * is spent; it returns the turn's report. The ranges run in the order one loop would, and every
 * sum carries over from one range to the next, so the turn plays the same however it is sliced.
 * Between two slices the world is half played: nothing but the turn may read or change it.
 * `buyers` is scratch space of one entry per company.
 */
export function* playTurnInSlices(
  world: World,
  scenario: Scenario,
  rng: Rng,
  buyers: Int32Array,
  budget: SliceBudget,
  onPhaseEnd?: (phase: TurnPhase) => void,
): Generator<void, TurnReport, void> {
  startTurn(world);
  const companies = world.companies.length;
  const offers = world.offerStock.length;
  const shocks = applyTimeline(world, scenario, rng);
  advanceDemand(world, scenario, rng);
  advancePrices(world, scenario);
  onPhaseEnd?.('prices');

  world.offerSold.fill(0);
  let arrived = 0;
  yield* inSlices(offers, budget, (from, to) => {
    arrived = deliverDue(world, scenario, from, to, arrived);
  });
  world.inTransitTotal -= arrived;
  const { backordersPlaced, backordersDropped } = world.totals;
  // A product's queue can hold thousands of orders (stress): each order counts as an item.
  const served = noneServed();
  const { backlogLength } = world;
  yield* inWeightedSlices(
    backlogLength.length,
    budget,
    (p) => 1 + backlogLength[p]!,
    (from, to) => serveBackorderRange(world, scenario, served, from, to),
  );
  countServed(world, served);
  let buyerCount = 0;
  yield* inSlices(companies, budget, (from, to) => {
    buyerCount = drawBuyers(world, scenario, rng, buyers, buyerCount, from, to);
  });
  rng.shuffleInPlace(buyers, buyerCount);
  const tally = startPurchases(scenario);
  yield* inSlices(buyerCount, budget, (from, to) => buy(world, scenario, rng, buyers, from, to, tally));
  if (tally.sums.successes > 0) yield* inSlices(companies, budget, (from, to) => settleCompanies(world, from, to));
  const outcome = finishPurchases(world, tally, buyerCount);
  onPhaseEnd?.('purchases');

  const exiting: number[] = [];
  const sale = startSale(world, scenario);
  yield* inSlices(companies, budget, (from, to) =>
    operate(world, scenario, sale.perWeight, exiting, sale.trade, from, to),
  );
  const trade = finishSale(world, sale);
  const cumulative = startSwitching(world, scenario);
  yield* inSlices(companies, budget, (from, to) => switchRange(world, scenario, rng, cumulative, from, to));
  if (scenario.companies.costShock > 0) yield* redrawCostsInSlices(world, scenario, rng, budget);
  shareUnmet(world);
  const coverTurns = coverTarget(world, scenario);
  let ordered = 0;
  yield* inSlices(offers, budget, (from, to) => {
    ordered = orderTowardTargets(world, scenario, from, to, ordered, coverTurns);
  });
  world.inTransitTotal += ordered;
  world.totals.producedGoods += ordered;
  const population = exitAndEnter(world, scenario, rng, exiting, trade.profitCents);
  cancelExitedBackorders(world, population.exits, served);
  onPhaseEnd?.('market');
  const events = applyEvents(world, scenario, rng);
  onPhaseEnd?.('events');
  return Object.freeze({
    turn: world.turn,
    transactions: outcome.transactions,
    aggregates: outcome.aggregates,
    events,
    market: marketReport(world, scenario, trade, ordered, arrived, coverTurns),
    shocks,
    population,
    backorders: backorderReport(world, served, backordersPlaced, backordersDropped),
  });
}

/** Opens a turn: its number, and the change journals emptied for it. */
function startTurn(world: World): void {
  world.turn += 1;
  world.companyChanges.count = 0;
  world.offerChanges.count = 0;
}

/** The market's side of a turn's report: households, trade, supply and who is in it. */
function marketReport(
  world: World,
  scenario: Scenario,
  trade: ReturnType<typeof finishSale>,
  ordered: number,
  arrived: number,
  coverTurns: number,
): TurnReport['market'] {
  return {
    timeMs: turnTimeMs(scenario, world.turn),
    demandIndex: world.demandIndex,
    householdCents: world.householdCents,
    householdDemandCents: trade.demandCents,
    revenueCents: trade.revenueCents,
    overheadCents: trade.overheadCents,
    dividendCents: trade.dividendCents,
    unitsConsumed: trade.units,
    unitsAsked: trade.unitsWanted,
    ordered,
    arrived,
    inTransit: world.inTransitTotal,
    shocksInForce: shocksInForce(world),
    activeCompanies: world.companies.length - world.vacant.length,
    coverTarget: coverTurns,
    industryCover: world.coverReports[world.turn % COVER_REPORT_SLOTS]!,
  };
}
