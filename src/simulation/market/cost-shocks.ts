import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

/**
 * Fixed costs that do not stay where they were drawn (a persistent, mean-reverting cost shock
 * as in Hopenhayn's model of entry and exit, a Markov chain that redraws from one
 * distribution): each turn, with `companies.costShock`, a company in the market has its fixed
 * costs drawn again, uniformly within +-`costSpread` of `overheadPercent` of its initial
 * budget, the level it entered with. A cost lasts about 1 / costShock turns, so a company's
 * prospects keep changing whatever its past.
 *
 * Which slots are drawn again is a Bernoulli trial per slot, taken as the gaps between
 * successes (geometric draws): about 2 x costShock draws a slot rather than one. The turn's
 * first slot comes from firstRedraw; redrawCosts then takes the slots `from` to `to` - 1 and
 * returns the next slot to draw again, so ranges in order draw what one range of them all does.
 */
export function firstRedraw(scenario: Scenario, rng: Rng): number {
  return gapOf(rng, scenario.companies.costShock);
}

/** redrawCosts for the slots `from` to `to` - 1, `next` the first of them to draw again; returns the next after them. */
export function redrawCosts(
  world: World,
  scenario: Scenario,
  rng: Rng,
  next: number,
  from: number,
  to: number,
): number {
  const { costShock, costSpread, overheadPercent } = scenario.companies;
  const { companyActive, overheadCents, initialBudgetCents } = world;
  let c = Math.max(next, from);
  while (c < to) {
    // An empty slot's trial succeeds too, with nothing to draw: a company's chance is costShock either way.
    if (companyActive[c] === 1) {
      const level = (initialBudgetCents[c]! * overheadPercent) / 100;
      overheadCents[c] = Math.round(level * (1 + costSpread * (2 * rng.float() - 1)));
    }
    c += 1 + gapOf(rng, costShock);
  }
  return c;
}

/**
 * Failures before the next success of trials that succeed with `chance`: a geometric draw.
 * log1p keeps a tiny chance's logarithm from rounding to 0 (a gap of -Infinity, a loop without
 * end); a chance too small for any success at all gives +Infinity, no slot.
 */
function gapOf(rng: Rng, chance: number): number {
  if (chance >= 1) return 0;
  return Math.floor(Math.log1p(-rng.float()) / Math.log1p(-chance));
}
