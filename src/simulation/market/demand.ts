import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';
import { calendarFactor } from './calendar.js';

/** A uniform draw with mean 0 and standard deviation 1. */
const SQRT3 = Math.sqrt(3);

/** The lowest the demand index goes before shocks: households always buy something. */
export const DEMAND_FLOOR = 0.05;

/**
 * Moves households' demand index one turn: a business cycle (a sine of `cyclePeriod` turns and
 * `cycleAmplitude`) plus mean-reverting AR(1) noise (`persistence`, `volatility`), times the
 * calendar's daily and weekly profile for the turn's simulated hour and day, times what the
 * timeline's shocks in force do to demand. One RNG draw a turn.
 */
export function advanceDemand(world: World, scenario: Scenario, rng: Rng): void {
  const { cyclePeriod, cycleAmplitude, persistence, volatility } = scenario.households;
  const shock = (2 * rng.float() - 1) * SQRT3 * volatility;
  world.demandNoise = persistence * world.demandNoise + shock;
  const cycle = cycleAmplitude * Math.sin((2 * Math.PI * world.turn) / cyclePeriod);
  world.demandIndex =
    Math.max(DEMAND_FLOOR, 1 + cycle + world.demandNoise) * calendarFactor(scenario, world.turn) * world.effects.demand;
}
