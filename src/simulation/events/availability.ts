import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { AppliedEvent } from '../turn-report.js';
import { rebuildActiveLists, type World } from '../world.js';
import { createEventRecorder } from './event-recorder.js';

/**
 * Withdraws each active product with probability `deactivate` and brings back each inactive
 * one with `reactivate`. Target values: 0 = withdrawn, 1 = brought back; total = changes.
 */
export function applyAvailability(world: World, scenario: Scenario, rng: Rng): AppliedEvent {
  const { deactivate, reactivate } = scenario.events.availability;
  const recorder = createEventRecorder('availability', scenario.report.transactions);
  let changes = 0;
  for (let p = 0; p < world.products.length; p++) {
    const wasActive = world.active[p] === 1;
    // Drawn for every product; a product a recall holds stays withdrawn.
    if (!rng.bernoulli(wasActive ? deactivate : reactivate) || world.recalls[p]! > 0) continue;
    world.active[p] = wasActive ? 0 : 1;
    changes += 1;
    recorder.add(p, wasActive ? 0 : 1);
  }
  if (changes > 0) rebuildActiveLists(world);
  const event = recorder.finish();
  // The recorder sums target values; for availability the total is the number of changes.
  return { ...event, total: changes };
}
