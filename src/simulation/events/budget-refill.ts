import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { AppliedEvent } from '../turn-report.js';
import type { World } from '../world.js';
import { createEventRecorder } from './event-recorder.js';

/**
 * The money refills stop at, in cents (companies' and households' together): whole cents are
 * exact up to 2^53, and sums of a few of them must stay so.
 */
export const MAX_MONEY_CENTS = 2 ** 51;

/**
 * Gives every company in the market an amount drawn in [min, max] (currency units, paid in
 * whole cents), but none that would take the world's money past MAX_MONEY_CENTS (refills of
 * the largest amounts every turn would reach it in weeks).
 */
export function applyBudgetRefill(world: World, scenario: Scenario, rng: Rng): AppliedEvent {
  const { min, max } = scenario.events.budgetRefill;
  const recorder = createEventRecorder('budget_refill', scenario.report.transactions);
  const minCents = Math.round(min * 100);
  const maxCents = Math.round(max * 100);
  const { budgetCents, initialBudgetCents, spentCents, purchaseCount, companyChanges } = world;
  let money = world.householdCents;
  for (let c = 0; c < budgetCents.length; c++) money += budgetCents[c]!;
  for (let c = 0; c < world.companies.length; c++) {
    const cents = rng.int(minCents, maxCents);
    if (world.companyActive[c] !== 1 || money + cents > MAX_MONEY_CENTS) continue;
    money += cents;
    const budget = budgetCents[c]! + cents;
    budgetCents[c] = budget;
    companyChanges.add(c, budget, cents, spentCents[c]!, purchaseCount[c]!, 0, initialBudgetCents[c]!);
    recorder.add(c, cents);
  }
  const event = recorder.finish();
  world.totals.refilledCents += event.total;
  return event;
}
