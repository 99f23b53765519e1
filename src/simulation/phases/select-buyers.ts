import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

/**
 * Draws which companies try to buy this turn (each with `selectionProbability`) and shuffles
 * them, so no company is always first to the stock. Writes their indices into `out` and
 * returns how many there are.
 */
export function selectBuyers(world: World, scenario: Scenario, rng: Rng, out: Int32Array): number {
  const p = scenario.market.selectionProbability;
  let n = 0;
  for (let c = 0; c < world.companies.length; c++) {
    if (rng.float() < p) out[n++] = c;
  }
  rng.shuffleInPlace(out, n);
  return n;
}
