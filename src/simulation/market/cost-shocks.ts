import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

/**
 * Fixed costs that do not stay where they were drawn (a persistent, mean-reverting cost shock
 * as in Hopenhayn's model of entry and exit, a Markov chain that redraws from one
 * distribution): each turn, with `companies.costShock`, a company in the market has its fixed
 * costs drawn again, uniformly within +-`costSpread` of `overheadPercent` of its initial
 * budget, the level it entered with. An advantage in costs lasts about 1 / costShock turns,
 * so the companies the early turns' selection left with the lowest costs lose it in time and
 * exits keep a steady pace. One draw a company in the market, in slot order, for the slots
 * `from` to `to` - 1: ranges in order draw what one range of them all does.
 */
export function redrawCosts(world: World, scenario: Scenario, rng: Rng, from: number, to: number): void {
  const { costShock, costSpread, overheadPercent } = scenario.companies;
  const { companyActive, overheadCents, initialBudgetCents } = world;
  for (let c = from; c < to; c++) {
    if (companyActive[c] !== 1) continue;
    const u = rng.float();
    if (u >= costShock) continue;
    // The draw rescaled to [0, 1): uniform, and apart from whether the cost moves.
    const level = (initialBudgetCents[c]! * overheadPercent) / 100;
    overheadCents[c] = Math.round(level * (1 + costSpread * ((2 * u) / costShock - 1)));
  }
}
