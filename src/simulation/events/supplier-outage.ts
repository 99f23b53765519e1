import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { AppliedEvent } from '../turn-report.js';
import type { World } from '../world.js';
import { createEventRecorder } from './event-recorder.js';

/**
 * A supplier's load: what its offers expect to sell a turn (their running estimates) over what
 * they built capacity for (their long-run estimates); 1 when demand runs at its long-run
 * level, above 1 in a boom. 0 for a supplier with nothing to sell yet.
 */
function supplierLoad(world: World, supplier: number): number {
  let expected = 0;
  let longRun = 0;
  for (const offer of world.suppliers[supplier]!.offers) {
    expected += world.salesEstimate[offer]!;
    longRun += world.offerLongRun[offer]!;
  }
  return longRun > 0 ? expected / longRun : 0;
}

/** Each supplier's load raised to `loadExponent`, 0 for those out of the market or already out. */
function loadWeights(world: World, exponent: number): Float64Array {
  const weights = new Float64Array(world.suppliers.length);
  for (let s = 0; s < weights.length; s++) {
    if (world.supplierActive[s] !== 1 || world.outageEnds[s] !== 0) continue;
    weights[s] = exponent === 0 ? 1 : supplierLoad(world, s) ** exponent;
  }
  return weights;
}

function sumOf(weights: Float64Array): number {
  let sum = 0;
  for (let s = 0; s < weights.length; s++) sum += weights[s]!;
  return sum;
}

/**
 * The chance on an event turn that an outage starts: `probability` times the mean of the
 * suppliers' load weights (load^loadExponent), at most 1. With `loadExponent` 0 it is
 * `probability`; above 0, plants run hard in a boom break down more often than idle ones.
 * 0 when no supplier can be hit (each out of the market or already out).
 */
export function outageChance(world: World, scenario: Scenario): number {
  const { probability, loadExponent } = scenario.events.supplierOutage;
  const weights = loadWeights(world, loadExponent);
  const sum = sumOf(weights);
  if (sum === 0) return 0;
  if (loadExponent === 0) return probability;
  return Math.min(1, (probability * sum) / Math.max(1, weights.length));
}

/**
 * A supplier's production breaks down (a plant fire, a strike, a failed line): one supplier in
 * the market and not already out, drawn in proportion to its load weight, keeps only `keep` of
 * each offer's production capacity for a number of turns drawn in [turnsMin, turnsMax]. Goods
 * in transit still arrive; its stock then runs down, buyers move to its rivals' offers, and a
 * product it alone (or mostly) supplies runs dry and its orders wait. Target: the supplier,
 * value = the outage's turns.
 */
export function applySupplierOutage(world: World, scenario: Scenario, rng: Rng): AppliedEvent {
  const { turnsMin, turnsMax, keep, loadExponent } = scenario.events.supplierOutage;
  const recorder = createEventRecorder('supplier_outage', scenario.report.transactions);
  const weights = loadWeights(world, loadExponent);
  const sum = sumOf(weights);
  if (sum === 0) return recorder.finish();
  // The supplier whose share of the sum holds the draw (the last with weight, if rounding
  // carries the draw past the end).
  let point = rng.float() * sum;
  let supplier = 0;
  for (let s = 0; s < weights.length; s++) {
    if (weights[s] === 0) continue;
    supplier = s;
    if (point < weights[s]!) break;
    point -= weights[s]!;
  }
  const turns = rng.int(turnsMin, turnsMax);
  world.outageEnds[supplier] = world.turn + turns;
  for (const offer of world.suppliers[supplier]!.offers) world.outage[offer] = 1 - keep;
  recorder.add(supplier, turns);
  return recorder.finish();
}

/** Ends the outages whose turns are over: their suppliers produce at full capacity again. */
export function endSupplierOutages(world: World): void {
  const { outageEnds } = world;
  for (let s = 0; s < outageEnds.length; s++) {
    if (outageEnds[s] === 0 || outageEnds[s]! > world.turn) continue;
    outageEnds[s] = 0;
    for (const offer of world.suppliers[s]!.offers) world.outage[offer] = 0;
  }
}
