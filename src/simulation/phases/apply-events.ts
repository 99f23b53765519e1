import { applyAvailability } from '../events/availability.js';
import { applyBudgetRefill } from '../events/budget-refill.js';
import { applyInflation } from '../events/inflation.js';
import { applyRestock } from '../events/restock.js';
import { applySupplierRefill } from '../events/supplier-refill.js';
import { applySupplierOutage, endSupplierOutages, outageChance } from '../events/supplier-outage.js';
import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { AppliedEvent } from '../turn-report.js';
import type { World } from '../world.js';

type EventRule = (world: World, scenario: Scenario, rng: Rng) => AppliedEvent;

/** The events in the order they apply, each under the scenario key holding its parameters. */
const EVENT_RULES: readonly (readonly [keyof Scenario['events'], EventRule])[] = [
  ['budgetRefill', applyBudgetRefill],
  ['restock', applyRestock],
  ['inflation', applyInflation],
  ['availability', applyAvailability],
  ['supplierRefill', applySupplierRefill],
  ['supplierOutage', applySupplierOutage],
];

/**
 * Ends the supplier outages that are over, then on every `interval`-th turn draws each event
 * against its probability and applies those that fire, in a fixed order. Returns the events
 * applied (none on other turns).
 */
export function applyEvents(world: World, scenario: Scenario, rng: Rng): AppliedEvent[] {
  const events = scenario.events;
  endSupplierOutages(world);
  if (world.turn % events.interval !== 0) return [];
  const applied: AppliedEvent[] = [];
  for (const [key, rule] of EVENT_RULES) {
    const config = events[key];
    if (typeof config !== 'object') continue;
    // Outages came after the other events: drawn only when on, so a scenario without them
    // plays the random stream it always did.
    if (key === 'supplierOutage' && config.probability === 0) continue;
    const chance = key === 'supplierOutage' ? outageChance(world, scenario) : config.probability;
    if (!rng.bernoulli(chance)) continue;
    // A credit freeze stops refills (drawn all the same, so the stream does not shift).
    if (key === 'budgetRefill' && world.effects.frozen === 1) continue;
    applied.push(rule(world, scenario, rng));
  }
  return applied;
}
