import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

/**
 * Draws which companies try to buy this turn and shuffles them, so no company is always first
 * to the stock. A company tries with `selectionProbability` when it is in the market and holds
 * less than `inventoryCoverTurns` of the demand it expects and paid its fixed costs last turn
 * (a company that cannot gets no goods on credit: it sells off what it holds). Writes their indices into `out` and
 * returns how many there are.
 */
export function selectBuyers(world: World, scenario: Scenario, rng: Rng, out: Int32Array): number {
  const n = drawBuyers(world, scenario, rng, out, 0, 0, world.companies.length);
  rng.shuffleInPlace(out, n);
  return n;
}

/**
 * The draw of selectBuyers over the companies `from` to `to` - 1, a loop alone in its function
 * (see docs/performance.md, "Hot loops"): the `n` buyers drawn so far are in `out`; returns how
 * many there are after these. Ranges in order draw what one range of them all does.
 */
export function drawBuyers(
  world: World,
  scenario: Scenario,
  rng: Rng,
  out: Int32Array,
  n: number,
  from: number,
  to: number,
): number {
  const p = scenario.market.selectionProbability;
  const cover = scenario.companies.inventoryCoverTurns;
  const { companyActive, demandEstimate, inventory, insolventTurns } = world;
  for (let c = from; c < to; c++) {
    // Drawn for every slot, so one company's state never shifts the others' draws.
    if (rng.float() >= p || companyActive[c] !== 1 || insolventTurns[c] !== 0) continue;
    if (Math.ceil(cover * demandEstimate[c]!) - inventory[c]! >= 1) out[n++] = c;
  }
  return n;
}
