import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

/**
 * Households' credit from companies' balance sheets (`households.creditWorth`; a financial
 * accelerator, after Bernanke, Gertler and Gilchrist 1999): the share of what households
 * would spend that their credit allows, within [0, 1]. Lenders lend against the businesses'
 * net worth, their cash plus their stock at cost over their initial capital: at or above
 * `creditWorth` credit is whole (1); below it spending falls in proportion, so a market that
 * lost its cash recovers at the pace its own sales rebuild it. 1 when `creditWorth` is 0.
 */
export function creditFromWorth(world: World, scenario: Scenario): number {
  const { creditWorth } = scenario.households;
  if (creditWorth === 0) return 1;
  const { budgetCents, inventory, unitCostCents } = world;
  let worth = 0;
  for (let c = 0; c < budgetCents.length; c++) worth += budgetCents[c]! + inventory[c]! * unitCostCents[c]!;
  const initial = world.totals.initialBudgetCents;
  return initial <= 0 ? 1 : Math.min(1, worth / (creditWorth * initial));
}
