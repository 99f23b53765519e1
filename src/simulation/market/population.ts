import { companyWeightOf, continentIndex, drawCompany, typeMaskOf } from '../companies.js';
import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import { STRATEGIES } from '../types.js';
import type { PopulationChange } from '../turn-report.js';
import type { World } from '../world.js';

/** Weight of the last turn in the running estimate of companies' profit. */
const PROFIT_SMOOTHING = 0.05;

/**
 * Companies in `exiting` leave: what is left of their budget goes to households (their
 * creditors), their inventory is liquidated, their slot is empty. An empty slot takes a new
 * company (new id, name and draws) once it has been empty `entryTurns`, while companies make a
 * profit, no credit freeze is in force and households can fund its initial budget; at most
 * `entryRate` of the slots ready for one, times the market's profitability (rounded up), take
 * one in a turn, so entry after a shock is a flow that grows with what entry pays, not one wave.
 */
export function exitAndEnter(
  world: World,
  scenario: Scenario,
  rng: Rng,
  exiting: readonly number[],
  profitCents: number,
): PopulationChange {
  const { budgetCents, initialBudgetCents, spentCents, purchaseCount, companyChanges, inventory } = world;
  const active = world.companies.length - world.vacant.length;
  world.profitEstimate += PROFIT_SMOOTHING * (profitCents / Math.max(1, active) - world.profitEstimate);
  for (const c of exiting) {
    const left = budgetCents[c]!;
    budgetCents[c] = 0;
    if (left !== 0) companyChanges.add(c, 0, -left, spentCents[c]!, purchaseCount[c]!, 0, initialBudgetCents[c]!);
    world.householdCents += left;
    world.totals.writtenOffCents += left;
    world.totals.liquidatedGoods += inventory[c]!;
    inventory[c] = 0;
    world.companyActive[c] = 0;
    world.vacatedAt[c] = world.turn;
    world.vacant.push(c);
  }
  world.totals.exits += exiting.length;
  const entries: number[] = [];
  const { entryTurns, entryShare, entryRate } = scenario.companies;
  const ready = entryRate === 1 ? world.vacant.length : readyForEntry(world, entryTurns);
  const allowed = entryRate === 1 || ready === 0 ? ready : Math.ceil(entryRate * ready * profitability(world));
  // Entrants start with entryShare times the mean customers of the companies in the market
  // (their budget's weight when none is), so they start small next to incumbents that grew.
  let market: { sum: number; n: number } | undefined;
  while (
    entries.length < allowed &&
    world.vacant.length > 0 &&
    world.turn - world.vacatedAt[world.vacant[0]!]! >= entryTurns
  ) {
    // Companies make a profit, or nobody serves households at all.
    const empty = world.vacant.length === world.companies.length;
    if (world.effects.frozen === 1 || (world.profitEstimate <= 0 && !empty)) break;
    const c = world.vacant[0]!;
    const info = drawCompany(scenario, rng, c, world.nextCompanyNumber, world.uniqueCompanyName);
    const capital = info.initialBudgetCents;
    if (capital > world.householdCents) break;
    world.vacant.shift();
    world.nextCompanyNumber += 1;
    market ??= weightsInMarket(world);
    const weight = market.n === 0 ? companyWeightOf(scenario, capital) : (entryShare * market.sum) / market.n;
    enter(world, scenario, c, info, weight);
    world.householdCents -= capital;
    world.totals.entryCapitalCents += capital;
    entries.push(c);
  }
  world.totals.entries += entries.length;
  return { exits: exiting, entries };
}

/** The profit estimate per company over the mean fixed costs of the companies in the market, within [0, 1]. */
function profitability(world: World): number {
  const { companyActive, overheadCents } = world;
  let sum = 0;
  let n = 0;
  for (let c = 0; c < companyActive.length; c++) {
    if (companyActive[c] !== 1) continue;
    sum += overheadCents[c]!;
    n += 1;
  }
  if (n === 0 || sum === 0) return 1;
  return Math.min(1, Math.max(0, world.profitEstimate) / (sum / n));
}

/** Empty slots that have been empty `entryTurns` or more (the queue is in the order they emptied). */
function readyForEntry(world: World, entryTurns: number): number {
  let ready = 0;
  while (ready < world.vacant.length && world.turn - world.vacatedAt[world.vacant[ready]!]! >= entryTurns) ready += 1;
  return ready;
}

/** The weights of the companies in the market, summed, and how many they are. */
function weightsInMarket(world: World): { sum: number; n: number } {
  const { companyActive, companyWeight } = world;
  let sum = 0;
  let n = 0;
  for (let c = 0; c < companyActive.length; c++) {
    if (companyActive[c] !== 1) continue;
    sum += companyWeight[c]!;
    n += 1;
  }
  return { sum, n };
}

/** Puts a new company in slot `c` with its initial budget and nothing bought yet. */
function enter(world: World, scenario: Scenario, c: number, info: World['companies'][number], weight: number): void {
  const capital = info.initialBudgetCents;
  world.companies[c] = info;
  world.companyActive[c] = 1;
  world.budgetCents[c] = capital;
  world.initialBudgetCents[c] = capital;
  world.spentCents[c] = 0;
  world.purchaseCount[c] = 0;
  world.insolventTurns[c] = 0;
  world.demandEstimate[c] = 0;
  world.demandCarry[c] = 0;
  world.companyWeight[c] = weight;
  world.companyMargin[c] = scenario.companies.marginPercent;
  world.companyUnmet[c] = 0;
  world.salesCents[c] = 0;
  world.overheadCents[c] = Math.round((capital * scenario.companies.overheadPercent) / 100);
  world.companyStrategy[c] = STRATEGIES.indexOf(info.strategy);
  world.companyTypeMask[c] = typeMaskOf(info);
  world.companyContinent[c] = continentIndex(info.continent);
  world.companyChanges.add(c, capital, capital, 0, 0, 0, capital);
}
