import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';
import { creditFromWorth } from './credit.js';

/** What households and companies traded in a turn (money in cents, goods in units). */
export interface HouseholdTrade {
  /** What households set out to spend. */
  readonly demandCents: number;
  readonly revenueCents: number;
  readonly overheadCents: number;
  /** What companies paid their owners. */
  readonly dividendCents: number;
  /** Units households bought, and units they asked for. */
  readonly units: number;
  readonly unitsWanted: number;
  /** Revenue less the cost of the goods sold and fixed costs, over companies in the market. */
  readonly profitCents: number;
}

/** A HouseholdTrade while it is summed. */
type Trade = { -readonly [K in keyof HouseholdTrade]: HouseholdTrade[K] };

/** The household phase while it is played: what each unit of weight buys, and the sums so far. */
export interface HouseholdSale {
  readonly perWeight: number;
  readonly trade: Trade;
}

/** A company's sale price to households: its unit cost plus its margin, whole cents, at least 1. */
export function salePriceCents(unitCostCents: number, marginPercent: number): number {
  return Math.max(1, Math.round(unitCostCents * (1 + marginPercent / 100)));
}

/**
 * Households spend `spendRate` of their money times the demand index (and what a credit freeze
 * and companies' net worth leave of their credit, see credit.ts), shared among the companies in
 * the market by weight. Each company sells what its share
 * buys at its sale price, from its inventory, then pays its fixed costs (to households, as wages)
 * from its budget, and its owners a dividend (not journaled: every budget moves every turn, and
 * readers take the budgets whole); companies that cannot
 * cover next turn's fixed costs count a turn of insolvency, and are listed in `exiting` once they
 * reach `bankruptcyTurns`.
 */
export function sellToHouseholds(world: World, scenario: Scenario, exiting: number[]): HouseholdTrade {
  const sale = startSale(world, scenario);
  operate(world, scenario, sale.perWeight, exiting, sale.trade, 0, world.companyActive.length);
  return finishSale(world, sale);
}

/**
 * What households spend at a demand index of 1, cents: `spendRate` of their money; with
 * `windfallSpend`, `spendRate` of their normal money plus `windfallSpend` of the gap between
 * their recent and their normal money, within `windfallLimit` of the first (a smooth bound).
 * Households spend a windfall fast and cut back in a shortfall (Carroll's buffer stock), so their
 * spending follows their income from companies (Metzler's inventory cycle). Moves both estimates.
 */
export function baseSpending(world: World, scenario: Scenario): number {
  const { spendRate, windfallSpend, windfallLimit, normalSmoothing, recentSmoothing } = scenario.households;
  const money = world.householdCents;
  // The estimates move every turn, so a fork that turns windfall spending on starts from today's money.
  const normal = world.householdNormalCents + normalSmoothing * (money - world.householdNormalCents);
  const recent = world.householdRecentCents + recentSmoothing * (money - world.householdRecentCents);
  world.householdNormalCents = normal;
  world.householdRecentCents = recent;
  if (windfallSpend === 0) return money * spendRate;
  const usual = normal * spendRate;
  const bound = windfallLimit * usual;
  // A smooth bound: the response is windfallSpend for small gaps and never passes the limit.
  return bound > 0 ? usual + bound * Math.tanh((windfallSpend * (recent - normal)) / bound) : usual;
}

/** The household phase before its first company: households' demand and each weight's share. */
export function startSale(world: World, scenario: Scenario): HouseholdSale {
  const credit = world.effects.credit * creditFromWorth(world, scenario);
  const wanted = baseSpending(world, scenario) * world.demandIndex * credit;
  const demandCents = Math.floor(Math.min(world.householdCents, wanted));
  const weights = weightInMarket(world);
  const perWeight = weights > 0 ? demandCents / weights : 0;
  const trade = {
    demandCents,
    revenueCents: 0,
    overheadCents: 0,
    dividendCents: 0,
    units: 0,
    unitsWanted: 0,
    profitCents: 0,
  };
  return { perWeight, trade };
}

/** Ends the household phase once every company has sold: households' money and the run's totals. */
export function finishSale(world: World, sale: HouseholdSale): HouseholdTrade {
  const { trade } = sale;
  world.householdCents += trade.overheadCents + trade.dividendCents - trade.revenueCents;
  world.totals.dividendCents += trade.dividendCents;
  world.householdDemandCents = trade.demandCents;
  world.totals.revenueCents += trade.revenueCents;
  world.totals.overheadCents += trade.overheadCents;
  world.totals.consumedGoods += trade.units;
  return trade;
}

/** The weights of the companies in the market, summed (see docs/performance.md, "Hot loops"). */
function weightInMarket(world: World): number {
  const { companyActive, companyWeight } = world;
  let weights = 0;
  for (let c = 0; c < companyActive.length; c++) if (companyActive[c] === 1) weights += companyWeight[c]!;
  return weights;
}

/**
 * The sales and costs of sellToHouseholds for the companies `from` to `to` - 1, a loop alone in
 * its function, summed into `trade` as it goes (see docs/performance.md, "Hot loops"); ranges
 * in order sell what one range of them all does. Each company also adapts its margin to
 * its inventory: up `marginStep` points in a turn it sells out, down as much in a turn it
 * holds more than `glutTurns` of the demand it expects, within [marginMin, marginMax].
 */
export function operate(
  world: World,
  scenario: Scenario,
  perWeight: number,
  exiting: number[],
  trade: Trade,
  from: number,
  to: number,
): void {
  const { demandSmoothing, bankruptcyTurns, dividendPercent } = scenario.companies;
  const { marginStep, marginMin, marginMax, glutTurns } = scenario.companies;
  const { companyActive, companyWeight, inventory, unitCostCents, demandEstimate, overheadCents } = world;
  const { budgetCents, initialBudgetCents, insolventTurns } = world;
  const { demandCarry, salePriceCents: salePrice, companyMargin, companyUnmet, salesCents } = world;
  const demandCents = trade.demandCents;
  for (let c = from; c < to; c++) {
    if (companyActive[c] !== 1) continue;
    const price = salePrice[c]!;
    const asked = (perWeight * companyWeight[c]!) / price;
    trade.unitsWanted += asked;
    const estimate = demandEstimate[c]! + demandSmoothing * (asked - demandEstimate[c]!);
    demandEstimate[c] = estimate;
    // Fractions of a unit carry over, so a company asked for 0.4 units a turn sells one in 2.5.
    const owed = asked + demandCarry[c]!;
    const whole = Math.floor(owed);
    demandCarry[c] = owed - whole;
    const held = inventory[c]!;
    let sold = Math.min(held, whole);
    let sales = sold * price;
    if (sales > demandCents - trade.revenueCents) {
      // Never more than households set out to spend (a carried unit may cost more than a share).
      sold = Math.floor((demandCents - trade.revenueCents) / price);
      sales = sold * price;
    }
    const left = held - sold;
    salesCents[c] = salesCents[c]! + sales;
    inventory[c] = left;
    // What households asked and found no stock for: the customers a stock-out loses.
    companyUnmet[c] = whole > held ? (whole - held) / whole : 0;
    if (marginStep > 0) {
      const margin = companyMargin[c]!;
      let next = margin;
      if (whole > held) next = Math.min(marginMax, margin + marginStep);
      else if (left > glutTurns * estimate) next = Math.max(marginMin, margin - marginStep);
      if (next !== margin) {
        companyMargin[c] = next;
        salePrice[c] = salePriceCents(unitCostCents[c]!, next);
      }
    }
    const budget = budgetCents[c]! + sales;
    const overhead = Math.min(budget, overheadCents[c]!);
    // Owners take a share of what the company holds beyond its initial budget.
    const surplus = budget - overhead - initialBudgetCents[c]!;
    const dividend = surplus > 0 ? Math.floor((surplus * dividendPercent) / 100) : 0;
    const after = budget - overhead - dividend;
    budgetCents[c] = after;
    trade.dividendCents += dividend;
    trade.revenueCents += sales;
    trade.overheadCents += overhead;
    trade.units += sold;
    trade.profitCents += sales - sold * unitCostCents[c]! - overhead;
    if (after < overheadCents[c]!) {
      insolventTurns[c] = insolventTurns[c]! + 1;
      if (insolventTurns[c] === bankruptcyTurns) exiting.push(c);
    } else {
      insolventTurns[c] = 0;
    }
  }
}
