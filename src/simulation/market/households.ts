import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

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

/** A company's sale price to households: its unit cost plus its margin, whole cents, at least 1. */
export function salePriceCents(unitCostCents: number, marginPercent: number): number {
  return Math.max(1, Math.round(unitCostCents * (1 + marginPercent / 100)));
}

/**
 * Households spend `spendRate` of their money times the demand index (and what a credit freeze
 * leaves), shared among the companies in the market by weight. Each company sells what its share
 * buys at its sale price, from its inventory, then pays its fixed costs (to households, as wages)
 * from its budget, and its owners a dividend. One journal record per company whose budget moved; companies that cannot
 * cover next turn's fixed costs count a turn of insolvency, and are listed in `exiting` once they
 * reach `bankruptcyTurns`.
 */
export function sellToHouseholds(world: World, scenario: Scenario, exiting: number[]): HouseholdTrade {
  const { demandSmoothing, bankruptcyTurns, dividendPercent } = scenario.companies;
  const { companyActive, companyWeight, inventory, unitCostCents, demandEstimate, overheadCents } = world;
  const { budgetCents, spentCents, purchaseCount, initialBudgetCents, insolventTurns, companyChanges } = world;
  const { demandCarry, salePriceCents: salePrice } = world;
  const n = world.companies.length;
  const wanted = world.householdCents * scenario.households.spendRate * world.demandIndex * world.effects.credit;
  const demandCents = Math.floor(Math.min(world.householdCents, wanted));
  let weights = 0;
  for (let c = 0; c < n; c++) if (companyActive[c] === 1) weights += companyWeight[c]!;
  const perWeight = weights > 0 ? demandCents / weights : 0;
  let revenue = 0;
  let overheads = 0;
  let units = 0;
  let unitsWanted = 0;
  let profit = 0;
  let dividends = 0;
  companyChanges.operationsFrom = companyChanges.count;
  for (let c = 0; c < n; c++) {
    if (companyActive[c] !== 1) continue;
    const price = salePrice[c]!;
    const asked = (perWeight * companyWeight[c]!) / price;
    unitsWanted += asked;
    demandEstimate[c] = demandEstimate[c]! + demandSmoothing * (asked - demandEstimate[c]!);
    // Fractions of a unit carry over, so a company asked for 0.4 units a turn sells one in 2.5.
    const owed = asked + demandCarry[c]!;
    const whole = Math.floor(owed);
    demandCarry[c] = owed - whole;
    let sold = Math.min(inventory[c]!, whole);
    let sales = sold * price;
    if (sales > demandCents - revenue) {
      // Never more than households set out to spend (a carried unit may cost more than a share).
      sold = Math.floor((demandCents - revenue) / price);
      sales = sold * price;
    }
    inventory[c] = inventory[c]! - sold;
    const budget = budgetCents[c]! + sales;
    const overhead = Math.min(budget, overheadCents[c]!);
    // Owners take a share of what the company holds beyond its initial budget.
    const surplus = budget - overhead - initialBudgetCents[c]!;
    const dividend = surplus > 0 ? Math.floor((surplus * dividendPercent) / 100) : 0;
    const after = budget - overhead - dividend;
    budgetCents[c] = after;
    if (sales !== overhead + dividend) {
      const change = sales - overhead - dividend;
      companyChanges.add(c, after, change, spentCents[c]!, purchaseCount[c]!, 0, initialBudgetCents[c]!);
    }
    dividends += dividend;
    revenue += sales;
    overheads += overhead;
    units += sold;
    profit += sales - sold * unitCostCents[c]! - overhead;
    if (after < overheadCents[c]!) {
      insolventTurns[c] = insolventTurns[c]! + 1;
      if (insolventTurns[c] === bankruptcyTurns) exiting.push(c);
    } else {
      insolventTurns[c] = 0;
    }
  }
  companyChanges.operationsTo = companyChanges.count;
  world.householdCents += overheads + dividends - revenue;
  world.totals.dividendCents += dividends;
  world.householdDemandCents = demandCents;
  world.totals.revenueCents += revenue;
  world.totals.overheadCents += overheads;
  world.totals.consumedGoods += units;
  return {
    demandCents,
    revenueCents: revenue,
    overheadCents: overheads,
    dividendCents: dividends,
    units,
    unitsWanted,
    profitCents: profit,
  };
}
