import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

/**
 * Households choose where to spend by price and availability (after Lengnick's baseline
 * agent-based macro model): each turn, with `switchProbability`, a company's customers compare
 * it with `sampleSize` other slots drawn at random and keep the cheapest company in the market with
 * stock among them. `switchShare` of the customers move to it when it sells at least
 * `priceThreshold` cheaper, and `stockoutLoss` of those the company left unserved last turn
 * move to it whatever its price. At most half the customers move in a turn. Customers are the
 * company's weight in households' spending: shares move multiplicatively, so firms grow and
 * shrink by proportions. Draws for every slot, in slot order, so one company's state never
 * shifts the others' draws.
 */
export function switchCustomers(world: World, scenario: Scenario, rng: Rng): void {
  const { switchProbability, sampleSize, priceThreshold, switchShare, stockoutLoss } = scenario.market;
  if (switchProbability === 0) return;
  const { companyActive, companyWeight, salePriceCents, inventory, companyUnmet } = world;
  const n = companyActive.length;
  const cheaper = 1 - priceThreshold;
  for (let c = 0; c < n; c++) {
    if (rng.float() >= switchProbability) continue;
    let best = -1;
    for (let k = 0; k < sampleSize; k++) {
      // Another slot than c, uniformly.
      let d = Math.floor(rng.float() * (n - 1));
      if (d >= c) d += 1;
      if (d >= n || companyActive[d] !== 1 || inventory[d]! < 1) continue;
      if (best < 0 || salePriceCents[d]! < salePriceCents[best]!) best = d;
    }
    if (best < 0 || companyActive[c] !== 1) continue;
    let share = companyUnmet[c]! * stockoutLoss;
    if (salePriceCents[best]! < cheaper * salePriceCents[c]!) share += switchShare;
    if (share === 0) continue;
    const moved = Math.min(0.5, share) * companyWeight[c]!;
    companyWeight[c] = companyWeight[c]! - moved;
    companyWeight[best] = companyWeight[best]! + moved;
  }
}
