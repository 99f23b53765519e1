import { offerPriceCentsOf } from '../pricing.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';
import { coverTarget } from './cover-report.js';

/** Goods that moved between suppliers and transit in a turn, units. */
export interface SupplyFlow {
  readonly arrived: number;
  readonly ordered: number;
}

/**
 * Delivers the orders due this turn. A supply disruption holds back its share of each offer's
 * delivery; what it holds waits in transit for the next turn.
 */
export function receiveOrders(world: World, scenario: Scenario): number {
  const arrived = deliverDue(world, scenario, 0, world.offerStock.length);
  world.inTransitTotal -= arrived;
  return arrived;
}

/**
 * The deliveries of receiveOrders to the offers `from` to `to` - 1, a loop alone in its
 * function (see docs/performance.md, "Hot loops"): `before` plus the units delivered, so ranges
 * in order, each given the last one's sum, deliver and sum what one range of them all does; the
 * caller takes the sum out of world.inTransitTotal.
 */
export function deliverDue(world: World, scenario: Scenario, from: number, to: number, before = 0): number {
  const lead = scenario.suppliers.leadTurns;
  const { pipeline, inTransit, disruption, offerStock, offerProduct, offerSupplier, offerChanges } = world;
  const { offerPriceCents, price, offerMarkup, offerReference } = world;
  const { stockElasticity: elasticity } = scenario.suppliers;
  const offers = offerStock.length;
  const due = (world.turn % lead) * offers;
  const next = ((world.turn + 1) % lead) * offers;
  let arrived = before;
  for (let o = from; o < to; o++) {
    const coming = pipeline[due + o]!;
    if (coming === 0) continue;
    const held = disruption[o] === 0 ? 0 : Math.floor(coming * disruption[o]!);
    const delivered = coming - held;
    pipeline[due + o] = 0;
    if (held > 0) pipeline[next + o] = pipeline[next + o]! + held;
    if (delivered === 0) continue;
    inTransit[o] = inTransit[o]! - delivered;
    const stock = offerStock[o]! + delivered;
    offerStock[o] = stock;
    offerChanges.add(o, offerProduct[o]!, offerSupplier[o]!, stock, delivered);
    offerPriceCents[o] = offerPriceCentsOf(
      price[offerProduct[o]!]!,
      stock,
      offerMarkup[o]!,
      offerReference[o]!,
      elasticity,
    );
    arrived += delivered;
  }
  return arrived;
}

/**
 * Each offer of a supplier in the market updates its estimate of the units wanted from it
 * (what it sold plus an even share of its product's unmet wants) and orders by Sterman's
 * anchoring-and-adjustment rule (the beer game's): the estimate, plus `stockAdjustment` of
 * the gap between its target stock (estimate x coverTurns, before the turn's sales) and its
 * stock, plus `supplyLineAdjustment` of the gap between its target supply line (estimate x
 * leadTurns) and what it has in transit; never below 0, within its capacity (the larger of
 * `capacity` and `capacityMultiple` x its long-run sales, an estimate as slow as
 * `capacitySmoothing`, less what a supply disruption and its supplier's outage take; with
 * `capacityBurstTurns`, what it left unused in past turns too, up to that many turns of it,
 * while no cut is in force). With both adjustments 1 this is the order-up-to rule, estimate x
 * (leadTurns + coverTurns) less stock and transit; closing the gaps partly smooths orders, and
 * weighting the supply line less than the stock (as the beer game's players do) makes them
 * overshoot. With `reportLean` the target's cover leans against the industry's, as reported
 * `reportDelayTurns` ago (coverTarget). Orders arrive `leadTurns` later: the delay behind the
 * bullwhip. With `referenceCover` set, its reference stock follows the estimate too, and its price with it.
 */
export function placeOrders(world: World, scenario: Scenario): number {
  shareUnmet(world);
  const ordered = orderTowardTargets(world, scenario, 0, world.offerStock.length, 0, coverTarget(world, scenario));
  world.inTransitTotal += ordered;
  world.totals.producedGoods += ordered;
  return ordered;
}

/** Each product's unmet wants shared evenly among its offers, before placeOrders' first offer. */
export function shareUnmet(world: World): void {
  const { productWanted, productBought, productOffers, unmetShare } = world;
  for (let p = 0; p < unmetShare.length; p++) {
    const offers = productOffers[p]!.length;
    unmetShare[p] = offers === 0 ? 0 : (productWanted[p]! - productBought[p]!) / offers;
  }
}

/**
 * The orders of placeOrders for the offers `from` to `to` - 1, a loop alone in its function
 * (see docs/performance.md, "Hot loops"): `before` plus the units ordered, so ranges in order,
 * each given the last one's sum, order and sum what one range of them all does; the caller adds
 * the sum to the world's totals. Their target stock is `coverTurns` turns of sales: coverTarget's
 * for the turn, computed once before the first range.
 */
export function orderTowardTargets(
  world: World,
  scenario: Scenario,
  from: number,
  to: number,
  before = 0,
  coverTurns = scenario.suppliers.coverTurns,
): number {
  const { leadTurns, capacity, capacityMultiple, salesSmoothing, capacitySmoothing } = scenario.suppliers;
  const { offerLongRun, capacityCredit } = world;
  const burst = scenario.suppliers.capacityBurstTurns;
  const { referenceCover, stockElasticity: elasticity, stockAdjustment, supplyLineAdjustment } = scenario.suppliers;
  // Both gaps closed in full: the order-up-to rule, computed as it always was (same units).
  const upTo = stockAdjustment === 1 && supplyLineAdjustment === 1;
  const { pipeline, inTransit, disruption, offerStock, offerProduct, offerSupplier, offerSold } = world;
  const { salesEstimate, supplierActive, unmetShare, offerReference, offerPriceCents, offerMarkup, price } = world;
  const { active, outage } = world;
  const pause = scenario.suppliers.pauseWhileWithdrawn;
  const slot = (world.turn % leadTurns) * offerStock.length;
  const horizon = leadTurns + coverTurns;
  let ordered = before;
  for (let o = from; o < to; o++) {
    if (supplierActive[offerSupplier[o]!] !== 1) continue;
    // A withdrawn product sells nothing for want of being on sale, not of demand: with
    // pauseWhileWithdrawn its offers neither learn from those turns (censored demand) nor produce.
    if (pause && active[offerProduct[o]!] !== 1) continue;
    const estimate =
      salesEstimate[o]! + salesSmoothing * (offerSold[o]! + unmetShare[offerProduct[o]!]! - salesEstimate[o]!);
    salesEstimate[o] = estimate;
    const wantedHere = offerSold[o]! + unmetShare[offerProduct[o]!]!;
    const longRun = offerLongRun[o]! + capacitySmoothing * (wantedHere - offerLongRun[o]!);
    offerLongRun[o] = longRun;
    if (referenceCover > 0) {
      const reference = Math.max(1, referenceCover * estimate);
      offerReference[o] = reference;
      offerPriceCents[o] = offerPriceCentsOf(
        price[offerProduct[o]!]!,
        offerStock[o]!,
        offerMarkup[o]!,
        reference,
        elasticity,
      );
    }
    const most = Math.max(capacity, Math.ceil(capacityMultiple * longRun));
    let room = disruption[o] === 0 ? most : Math.floor(most * (1 - disruption[o]!));
    if (outage[o] !== 0) room = Math.floor(room * (1 - outage[o]!));
    if (burst > 0) {
      // The turn's capacity is saved up to `burst` turns of it; an order spends from the
      // savings, but only a plant running in full can work overtime: under a cut (a
      // disruption, an outage) the turn's capacity bounds the order.
      const saved = Math.min(burst * most, capacityCredit[o]! + room);
      capacityCredit[o] = saved;
      if (disruption[o] === 0 && outage[o] === 0) room = saved;
    }
    const wanted = upTo
      ? Math.ceil(estimate * horizon) - offerStock[o]! - inTransit[o]!
      : Math.ceil(
          estimate +
            stockAdjustment * (estimate * (coverTurns - 1) - offerStock[o]!) +
            supplyLineAdjustment * (estimate * leadTurns - inTransit[o]!),
        );
    const order = Math.min(room, wanted);
    if (order <= 0) continue;
    if (burst > 0) capacityCredit[o] = capacityCredit[o]! - order;
    pipeline[slot + o] = pipeline[slot + o]! + order;
    inTransit[o] = inTransit[o]! + order;
    ordered += order;
  }
  return ordered;
}
