import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

/**
 * Households choose where to spend by price and availability (after Lengnick's baseline
 * agent-based macro model): each turn, with `switchProbability`, a company's customers compare
 * it with `sampleSize` other companies drawn at random (uniformly, or with `sampleBySize` in
 * proportion to their customers, as Lengnick's households pick firms in proportion to their
 * size) and keep the cheapest in stock among them. `switchShare` of the customers move to it when it sells at least
 * `priceThreshold` cheaper, and `stockoutLoss` of those the company left unserved last turn
 * move to it whatever its price. At most half the customers move in a turn. Customers are the
 * company's weight in households' spending: shares move multiplicatively, so firms grow and
 * shrink by proportions. With `sizeVolatility`, a company in the market also grows or shrinks
 * by a uniform share within +-sizeVolatility each turn, whatever its size (Gibrat's law of
 * proportionate effect): the turn's switching draw, rescaled, so the loop takes the same draws
 * with or without the shocks (with switchProbability 0, one a slot for the shocks alone). Draws
 * for every slot, in slot order, so one company's state never shifts the others' draws.
 */
export function switchCustomers(world: World, scenario: Scenario, rng: Rng): void {
  if (scenario.market.switchProbability === 0 && scenario.market.sizeVolatility === 0) return;
  switchRange(world, scenario, rng, startSwitching(world, scenario), 0, world.companyActive.length);
}

/**
 * Customers as of the turn's start, for sampleBySize (running sums over the slots), before the
 * first company of switchCustomers.
 */
export function startSwitching(world: World, scenario: Scenario): Float64Array | undefined {
  const { switchProbability, sampleBySize } = scenario.market;
  return sampleBySize && switchProbability > 0 ? cumulativeCustomers(world) : undefined;
}

/**
 * switchCustomers for the companies `from` to `to` - 1, with `cumulative` from startSwitching;
 * ranges in order switch what one range of them all does.
 */
export function switchRange(
  world: World,
  scenario: Scenario,
  rng: Rng,
  cumulative: Float64Array | undefined,
  from: number,
  to: number,
): void {
  const { switchProbability, sampleSize, priceThreshold, switchShare, stockoutLoss, sizeVolatility } = scenario.market;
  if (switchProbability === 0 && sizeVolatility === 0) return;
  const { companyActive, companyWeight, salePriceCents, inventory, companyUnmet } = world;
  const n = companyActive.length;
  const total = cumulative && n > 0 ? cumulative[n - 1]! : 0;
  const cheaper = 1 - priceThreshold;
  for (let c = from; c < to; c++) {
    const u = rng.float();
    if (sizeVolatility > 0 && companyActive[c] === 1) {
      // The draw rescaled to [0, 1) on either side of switchProbability: uniform, and apart from whether it switches.
      const v = u < switchProbability ? u / switchProbability : (u - switchProbability) / (1 - switchProbability);
      companyWeight[c] = companyWeight[c]! * (1 + sizeVolatility * (2 * v - 1));
    }
    if (u >= switchProbability) continue;
    // With sampleBySize, another company than c drawn in proportion to its customers as of the
    // turn's start (word of mouth): a draw over the running sums with c's own stretch cut out.
    const before = !cumulative || c === 0 ? 0 : cumulative[c - 1]!;
    const own = cumulative ? cumulative[c]! - before : 0;
    let best = -1;
    for (let k = 0; k < sampleSize; k++) {
      let d: number;
      if (cumulative) {
        let at = rng.float() * (total - own);
        if (at >= before) at += own;
        d = drawBySize(cumulative, at);
      } else {
        // Another slot than c, uniformly.
        d = Math.floor(rng.float() * (n - 1));
        if (d >= c) d += 1;
        if (d >= n) continue;
      }
      if (d === c || companyActive[d] !== 1 || inventory[d]! < 1) continue;
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

const scratch = new WeakMap<World, Float64Array>();

/** Running sums of the customers of the companies in the market, slot by slot (scratch kept per world). */
function cumulativeCustomers(world: World): Float64Array {
  const { companyActive, companyWeight } = world;
  let sums = scratch.get(world);
  if (!sums || sums.length !== companyActive.length) {
    sums = new Float64Array(companyActive.length);
    scratch.set(world, sums);
  }
  let total = 0;
  for (let c = 0; c < companyActive.length; c++) {
    if (companyActive[c] === 1) total += companyWeight[c]!;
    sums[c] = total;
  }
  return sums;
}

/** The slot whose share of the running sums holds `at`: the first with a running sum above it. */
function drawBySize(cumulative: Float64Array, at: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > at) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
