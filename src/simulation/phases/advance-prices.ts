import { repriceProduct } from '../pricing.js';
import type { Scenario } from '../scenario-schema.js';
import { INFLATION_DECLINE, INFLATION_HOLD, INFLATION_NONE, type World } from '../world.js';

/**
 * Moves every inflated product along its curve for the world's current turn: the peak holds
 * for `holdTurns` turns after the inflation, then falls linearly over `declineTurns` to its
 * target (base price + finalPercent), where the product leaves the inflated state.
 */
export function advancePrices(world: World, scenario: Scenario): void {
  const { holdTurns, declineTurns } = scenario.events.inflation;
  const turn = world.turn;
  for (let p = 0; p < world.products.length; p++) {
    const phase = world.inflationPhase[p]!;
    if (phase === INFLATION_NONE) continue;
    const declineStart = world.inflatedAt[p]! + holdTurns;
    if (turn <= declineStart) continue;
    if (phase === INFLATION_HOLD) world.inflationPhase[p] = INFLATION_DECLINE;
    const step = turn - declineStart;
    const peak = world.peakPrice[p]!;
    const target = world.targetPrice[p]!;
    if (step >= declineTurns) {
      world.price[p] = target;
      world.inflationPhase[p] = INFLATION_NONE;
    } else {
      world.price[p] = peak + ((target - peak) * step) / declineTurns;
    }
    repriceProduct(world, scenario, p);
  }
}
