import { addOfferStock } from '../pricing.js';
import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { AppliedEvent } from '../turn-report.js';
import { goodsHeld, MAX_GOODS, type World } from '../world.js';
import { createEventRecorder } from './event-recorder.js';

/**
 * Refills some suppliers: each with `supplierProbability`, then each of its stocked products
 * with `productProbability`, by a quantity drawn in [min, max].
 */
export function applySupplierRefill(world: World, scenario: Scenario, rng: Rng): AppliedEvent {
  const { supplierProbability, productProbability, min, max } = scenario.events.supplierRefill;
  const recorder = createEventRecorder('supplier_refill', scenario.report.transactions);
  // Goods stop at MAX_GOODS, as restocks do.
  let room = Math.max(0, MAX_GOODS - goodsHeld(world.totals));
  for (const supplier of world.suppliers) {
    if (!rng.bernoulli(supplierProbability)) continue;
    let units = 0;
    // restock.ts's loop with a draw per product: two events, each read as its own rule.
    for (const offer of supplier.offers) {
      if (!rng.bernoulli(productProbability)) continue;
      // Drawn whatever is added, so a world far from the bound draws as before.
      const quantity = Math.min(rng.int(min, max), room);
      room -= quantity;
      addOfferStock(world, scenario, offer, quantity);
      units += quantity;
    }
    recorder.add(supplier.index, units);
  }
  const event = recorder.finish();
  world.totals.refilledGoods += event.total;
  return event;
}
