import { repriceProduct } from '../pricing.js';
import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import { MAX_VALUE } from '../schema-parts.js';
import type { AppliedEvent } from '../turn-report.js';
import { INFLATION_HOLD, INFLATION_NONE, type World } from '../world.js';
import { createEventRecorder } from './event-recorder.js';

/**
 * Raises one product's price by `percent` (already inflated products take `percent` times
 * the penalty factor instead), restarts its hold, and returns the percent applied. Rises
 * compound, but never past MAX_VALUE, the largest price a scenario may state: a run of
 * rises (a timeline of inflation shocks) would otherwise reach an infinite price.
 */
export function inflateProduct(world: World, scenario: Scenario, product: number, percent: number): number {
  const { penaltyFactor, finalPercent } = scenario.events.inflation;
  const before = world.curvePrice[product]!;
  const wanted = world.inflationPhase[product] === INFLATION_NONE ? percent : percent * penaltyFactor;
  const peak = Math.max(before, Math.min(MAX_VALUE, before * (1 + wanted / 100)));
  const applied = peak === before * (1 + wanted / 100) ? wanted : (100 * (peak - before)) / before;
  world.curvePrice[product] = peak;
  world.price[product] = peak * world.drift[product]!;
  world.peakPrice[product] = peak;
  world.targetPrice[product] = world.products[product]!.basePrice * (1 + finalPercent / 100);
  world.inflatedAt[product] = world.turn;
  world.inflationPhase[product] = INFLATION_HOLD;
  repriceProduct(world, scenario, product);
  return applied;
}

/** Hits each product with `productProbability` by a rise drawn in [minPercent, maxPercent]. */
export function applyInflation(world: World, scenario: Scenario, rng: Rng): AppliedEvent {
  const { productProbability, minPercent, maxPercent } = scenario.events.inflation;
  const recorder = createEventRecorder('inflation', scenario.report.transactions);
  for (let p = 0; p < world.products.length; p++) {
    if (!rng.bernoulli(productProbability)) continue;
    const percent = rng.range(minPercent, maxPercent);
    recorder.add(p, inflateProduct(world, scenario, p, percent));
  }
  return recorder.finish();
}
