import { addOfferStock } from '../pricing.js';
import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { AppliedEvent } from '../turn-report.js';
import type { World } from '../world.js';
import { createEventRecorder } from './event-recorder.js';

/** Adds a quantity drawn in [min, max] to every product every supplier stocks. */
export function applyRestock(world: World, scenario: Scenario, rng: Rng): AppliedEvent {
  const { min, max } = scenario.events.restock;
  const recorder = createEventRecorder('restock', scenario.report.transactions);
  for (const supplier of world.suppliers) {
    let units = 0;
    for (const offer of supplier.offers) {
      const quantity = rng.int(min, max);
      addOfferStock(world, scenario, offer, quantity);
      units += quantity;
    }
    recorder.add(supplier.index, units);
  }
  const event = recorder.finish();
  world.totals.restockedGoods += event.total;
  return event;
}
