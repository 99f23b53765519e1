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

/** An event: how it applies, and how it is drawn when that is not just its probability. */
interface EventRule {
  /** The scenario key holding its parameters. */
  readonly key: keyof Scenario['events'];
  readonly apply: (world: World, scenario: Scenario, rng: Rng) => AppliedEvent;
  /** Its chance on an event turn; the scenario's probability when absent. */
  readonly chance?: (world: World, scenario: Scenario) => number;
  /**
   * Added after the others: drawn only when its probability is above 0, so a scenario
   * without it plays the random stream it always did.
   */
  readonly drawnOnlyWhenOn?: true;
  /** Whether a drawn event takes effect now (drawn all the same, so the stream does not shift). */
  readonly takesEffect?: (world: World) => boolean;
}

/** The events in the order they apply. */
const EVENT_RULES: readonly EventRule[] = [
  // A credit freeze stops refills.
  { key: 'budgetRefill', apply: applyBudgetRefill, takesEffect: (world) => world.effects.frozen !== 1 },
  { key: 'restock', apply: applyRestock },
  { key: 'inflation', apply: applyInflation },
  { key: 'availability', apply: applyAvailability },
  { key: 'supplierRefill', apply: applySupplierRefill },
  { key: 'supplierOutage', apply: applySupplierOutage, chance: outageChance, drawnOnlyWhenOn: true },
];

/**
 * Ends the supplier outages that are over, then on every `interval`-th turn draws each event
 * against its chance and applies those that fire, in a fixed order. Returns the events
 * applied (none on other turns).
 */
export function applyEvents(world: World, scenario: Scenario, rng: Rng): AppliedEvent[] {
  const events = scenario.events;
  endSupplierOutages(world);
  if (world.turn % events.interval !== 0) return [];
  const applied: AppliedEvent[] = [];
  for (const rule of EVENT_RULES) {
    const config = events[rule.key];
    if (typeof config !== 'object') continue;
    if (rule.drawnOnlyWhenOn && config.probability === 0) continue;
    const chance = rule.chance ? rule.chance(world, scenario) : config.probability;
    if (!rng.bernoulli(chance)) continue;
    if (rule.takesEffect && !rule.takesEffect(world)) continue;
    applied.push(rule.apply(world, scenario, rng));
  }
  return applied;
}
