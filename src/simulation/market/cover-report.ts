import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';

/** Turns of the industry's cover a world keeps: suppliers.reportDelayTurns is at most one less. */
export const COVER_REPORT_SLOTS = 1_001;

/**
 * The most cover recorded, in multiples of coverTurns: a market whose sales vanished (a demand
 * collapse) holds a glut of any size, and its normal comes back within a few hundred turns.
 */
const COVER_CAP = 4;

/**
 * The cover, in turns of sales, every supplier aims for this turn (suppliers.reportLean).
 * Each turn the industry's cover (its offers' stock over their long-run sales, the offers in
 * the market: stock against what a turn sells on average, day and night) is recorded, and its
 * slow mean (`reportSmoothing`) is the normal; suppliers read the cover as reported
 * `reportDelayTurns` ago and lean against it: `coverTurns` x (1 + lean x tanh(gain x (normal -
 * reported) / normal)). An industry that looked short stocks up, one that
 * looked flush runs down, both late: Forrester's information delay, and the shortage gaming of
 * Lee, Padmanabhan and Whang, which make a market-wide inventory cycle of about three delays.
 * With the lean 0 the target is `coverTurns` and the turn records no report; a turn with nothing
 * recorded `reportDelayTurns` ago (the run's first turns, a world saved before the report
 * existed, a market with no stock) leans nowhere. A cover is recorded up to COVER_CAP x
 * `coverTurns`, so a market whose sales vanished leaves a normal that comes back.
 */
export function coverTarget(world: World, scenario: Scenario): number {
  const { coverTurns, reportLean, reportDelayTurns, reportGain, reportSmoothing } = scenario.suppliers;
  const reports = world.coverReports;
  const slot = world.turn % COVER_REPORT_SLOTS;
  if (reportLean === 0) {
    // Nothing recorded while off, so a fork that turns the lean on reads no stale report.
    reports[slot] = 0;
    world.coverNormal = 0;
    return coverTurns;
  }
  const cover = Math.min(industryCover(world, scenario.suppliers.pauseWhileWithdrawn), COVER_CAP * coverTurns);
  if (cover > 0)
    world.coverNormal =
      world.coverNormal > 0 ? world.coverNormal + reportSmoothing * (cover - world.coverNormal) : cover;
  reports[slot] = cover;
  const reported = world.turn > reportDelayTurns ? reports[(world.turn - reportDelayTurns) % COVER_REPORT_SLOTS]! : 0;
  const normal = world.coverNormal;
  if (reported <= 0 || normal <= 0) return coverTurns;
  return coverTurns * (1 + reportLean * Math.tanh((reportGain * (normal - reported)) / normal));
}

/**
 * The stock of the offers in the market over their long-run sales, in turns (0: none expected).
 * Long-run sales, not the fast estimate each offer orders by: that one falls every night with
 * the day's demand, and a cover over it would spike each night and read the day, not the stock.
 */
function industryCover(world: World, skipWithdrawn: boolean): number {
  const { offerStock, offerLongRun, supplierActive, offerSupplier, active, offerProduct } = world;
  let stock = 0;
  let expected = 0;
  for (let o = 0; o < offerStock.length; o++) {
    if (supplierActive[offerSupplier[o]!] !== 1) continue;
    if (skipWithdrawn && active[offerProduct[o]!] !== 1) continue;
    stock += offerStock[o]!;
    expected += offerLongRun[o]!;
  }
  return expected > 0 ? stock / expected : 0;
}
