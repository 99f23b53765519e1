import { addOfferStock } from '../pricing.js';
import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { AppliedEvent } from '../turn-report.js';
import { goodsHeld, MAX_GOODS, type World } from '../world.js';
import { createEventRecorder } from './event-recorder.js';

/** Adds a quantity drawn in [min, max] to every product every supplier stocks, up to MAX_GOODS held. */
export function applyRestock(world: World, scenario: Scenario, rng: Rng): AppliedEvent {
  const { min, max } = scenario.events.restock;
  const recorder = createEventRecorder('restock', scenario.report.transactions);
  // Goods stop at MAX_GOODS: past it whole units would no longer add up.
  let room = Math.max(0, MAX_GOODS - goodsHeld(world.totals));
  for (const supplier of world.suppliers) {
    let units = 0;
    for (const offer of supplier.offers) {
      // Drawn whatever is added, so a world far from the bound draws as before.
      const quantity = Math.min(rng.int(min, max), room);
      room -= quantity;
      addOfferStock(world, scenario, offer, quantity);
      units += quantity;
    }
    recorder.add(supplier.index, units);
  }
  const event = recorder.finish();
  world.totals.restockedGoods += event.total;
  return event;
}
