import { repriceProduct } from '../pricing.js';
import type { Scenario } from '../scenario-schema.js';
import { INFLATION_DECLINE, INFLATION_HOLD, INFLATION_NONE, type World } from '../world.js';

/**
 * Moves every product's price for the world's current turn. Its curve: an inflated product's
 * peak holds for `holdTurns` turns after the inflation, then falls linearly over
 * `declineTurns` to its target (base price + finalPercent), where it leaves the inflated state.
 * Its drift: last turn's unmet share of the units wanted raises it by `priceResponse` times that
 * share, a glut lowers it by `glutResponse` times the share by which its suppliers' stock
 * exceeds their reference stock, and `priceReversion` of it fades each turn (a cobweb that
 * damps), within maxDrift: it moves both ways.
 * The listed price is the curve's price times the drift.
 */
export function advancePrices(world: World, scenario: Scenario): void {
  const { holdTurns, declineTurns } = scenario.events.inflation;
  const { priceResponse, priceReversion, maxDrift, glutResponse } = scenario.market;
  const { curvePrice, drift, productWanted, productBought } = world;
  const { offerStock, offerReference, productOfferStart } = world;
  const turn = world.turn;
  for (let p = 0; p < world.products.length; p++) {
    let moved = advanceCurve(world, p, turn, holdTurns, declineTurns);
    const wanted = productWanted[p]!;
    let glut = 0;
    if (glutResponse > 0) {
      let stock = 0;
      let reference = 0;
      for (let o = productOfferStart[p]!; o < productOfferStart[p + 1]!; o++) {
        stock += offerStock[o]!;
        reference += offerReference[o]!;
      }
      glut = reference > 0 && stock > reference ? Math.min(1, (stock - reference) / reference) : 0;
    }
    // At rest (no drift, nothing unmet, no glut): only the curve can have moved.
    if (drift[p] === 1 && wanted === productBought[p] && glut === 0) {
      if (moved) {
        world.price[p] = curvePrice[p]!;
        repriceProduct(world, scenario, p);
      }
      continue;
    }
    const unmet = wanted > 0 ? (wanted - productBought[p]!) / wanted : 0;
    const before = drift[p]!;
    const next = Math.min(
      1 + maxDrift,
      Math.max(1 - maxDrift, 1 + (before - 1) * (1 - priceReversion) + priceResponse * unmet - glutResponse * glut),
    );
    // Snapped to 1 once it has faded to a trace: a product at rest costs nothing to reprice.
    drift[p] = Math.abs(next - 1) < 1e-6 ? 1 : next;
    if (drift[p] !== before) moved = true;
    if (!moved) continue;
    world.price[p] = curvePrice[p]! * drift[p]!;
    repriceProduct(world, scenario, p);
  }
  productWanted.fill(0);
  productBought.fill(0);
}

/** Moves a product along its inflation curve; whether its curve price changed. */
function advanceCurve(world: World, p: number, turn: number, holdTurns: number, declineTurns: number): boolean {
  const phase = world.inflationPhase[p]!;
  if (phase === INFLATION_NONE) return false;
  const declineStart = world.inflatedAt[p]! + holdTurns;
  if (turn <= declineStart) return false;
  if (phase === INFLATION_HOLD) world.inflationPhase[p] = INFLATION_DECLINE;
  const step = turn - declineStart;
  const peak = world.peakPrice[p]!;
  const target = world.targetPrice[p]!;
  if (step >= declineTurns) {
    world.curvePrice[p] = target;
    world.inflationPhase[p] = INFLATION_NONE;
  } else {
    world.curvePrice[p] = peak + ((target - peak) * step) / declineTurns;
  }
  return true;
}
