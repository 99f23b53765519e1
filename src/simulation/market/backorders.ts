/*
 * Orders that wait. A purchase the market cannot serve now (offers of the product exist, none
 * has stock) becomes a backorder; one for a product nobody supplies fails as before (nothing
 * would ever arrive: waiting would only end in a cancellation). Backorders are queued per
 * product (market/backorder-queues.ts); at the start of each turn's purchases, after the due
 * orders arrived, the queues are served oldest first from the cheapest offers with stock, and
 * an order older than `backorders.patienceTurns` is cancelled.
 *
 * The buyer pays when its goods are delivered, at that turn's price, not when it orders: a
 * supplier with nothing on the shelf takes no deposit (a waiting list, not a prepayment), the
 * buyer's cash stays its own to pay its fixed costs while it waits (in a credit freeze a
 * deposit would push firms into insolvency for goods they never received), and nothing sits
 * in escrow, so money and goods are conserved without a third place to hold them. A buyer
 * that cannot pay for a unit when its goods come cancels the rest of its order.
 */
import type { BackorderReport } from '../turn-report.js';
import { salePriceCents } from './households.js';
import { offerPriceCentsOf } from '../pricing.js';
import type { Scenario } from '../scenario-schema.js';
import type { World } from '../world.js';
import { countLate, enqueueBackorder, reduceBackorder, removeBackorder } from './backorder-queues.js';

/**
 * Queues company c's unserved purchase of `units` of `product` as a backorder, unless
 * backorders are off or the company already waits for an order. Returns 1 when queued, 0
 * when not, -1 when the product's queue was full (the order is dropped, and counted).
 */
export function placeBackorder(world: World, scenario: Scenario, c: number, product: number, units: number): number {
  const { patienceTurns, maxPerProduct } = scenario.backorders;
  if (patienceTurns === 0 || world.backorderProduct[c] !== -1) return 0;
  if (world.backlogLength[product]! >= maxPerProduct) {
    world.totals.backordersDropped += 1;
    return -1;
  }
  enqueueBackorder(world, c, product, units, world.turn);
  world.totals.backordersPlaced += 1;
  return 1;
}

/** The offer of `product` with stock that sells cheapest, -1 when none has stock. */
function cheapestWithStock(world: World, product: number): number {
  const { offerStock, offerPriceCents, productOfferStart } = world;
  let best = -1;
  let bestPrice = Number.POSITIVE_INFINITY;
  for (let o = productOfferStart[product]!; o < productOfferStart[product + 1]!; o++) {
    if (offerPriceCents[o]! < bestPrice && offerStock[o]! >= 1) {
      best = o;
      bestPrice = offerPriceCents[o]!;
    }
  }
  return best;
}

/** Sells `quantity` units of `offer` to company c at `unitCents` a unit: both sides of the sale, and the journals. */
function deliver(world: World, scenario: Scenario, c: number, offer: number, quantity: number, unitCents: number) {
  const amount = quantity * unitCents;
  const product = world.offerProduct[offer]!;
  const supplier = world.offerSupplier[offer]!;
  const stockLeft = world.offerStock[offer]! - quantity;
  world.offerStock[offer] = stockLeft;
  world.offerPriceCents[offer] = offerPriceCentsOf(
    world.price[product]!,
    stockLeft,
    world.offerMarkup[offer]!,
    world.offerReference[offer]!,
    scenario.suppliers.stockElasticity,
  );
  world.offerChanges.add(offer, product, supplier, stockLeft, -quantity);
  world.offerSold[offer] = world.offerSold[offer]! + quantity;
  world.unitsSold[product] = world.unitsSold[product]! + quantity;
  world.supplierUnitsSold[supplier] = world.supplierUnitsSold[supplier]! + quantity;
  const held = world.inventory[c]!;
  const unitCost = (held * world.unitCostCents[c]! + amount) / (held + quantity);
  world.unitCostCents[c] = unitCost;
  world.salePriceCents[c] = salePriceCents(unitCost, world.companyMargin[c]!);
  world.inventory[c] = held + quantity;
  const budgetLeft = world.budgetCents[c]! - amount;
  world.budgetCents[c] = budgetLeft;
  const spent = world.spentCents[c]! + amount;
  world.spentCents[c] = spent;
  const purchases = world.purchaseCount[c]! + 1;
  world.purchaseCount[c] = purchases;
  world.companyChanges.add(c, budgetLeft, -amount, spent, purchases, 1, world.initialBudgetCents[c]!);
  world.totals.spentCents += amount;
  // Suppliers pass what they are paid on to households, as for every purchase.
  world.householdCents += amount;
}

/** Sums of one turn's service of the queues. */
export interface Served {
  filled: number;
  cancelled: number;
  late: number;
  filledOnTime: number;
  cancelledEarly: number;
  units: number;
  cents: number;
}

/** Cancels company c's order, counting it early when it had not turned late. */
function cancel(world: World, c: number, served: Served): void {
  if (world.backorderLate[c] === 0) served.cancelledEarly += 1;
  removeBackorder(world, c);
  served.cancelled += 1;
}

/**
 * Serves one product's queue, oldest order first: an order past its patience is cancelled;
 * the others take what the cheapest offers with stock have, while they have some.
 */
function serveProduct(world: World, scenario: Scenario, product: number, served: Served): void {
  const { patienceTurns: patience, lateTurns } = scenario.backorders;
  const { backlogHead, backorderPlaced, backorderUnits, budgetCents, fulfilledWaits } = world;
  served.late += countLate(world, product, world.turn, lateTurns);
  let offer = -2;
  for (let c = backlogHead[product]!; c !== -1; c = backlogHead[product]!) {
    const age = world.turn - backorderPlaced[c]!;
    if (age > patience) {
      cancel(world, c, served);
      continue;
    }
    if (offer === -2 || world.offerStock[offer]! < 1) offer = cheapestWithStock(world, product);
    // Nothing in stock: the younger orders behind this one wait too (none is past its patience).
    if (offer < 0) return;
    const unitCents = world.offerPriceCents[offer]!;
    const quantity = Math.min(backorderUnits[c]!, Math.floor(budgetCents[c]! / unitCents), world.offerStock[offer]!);
    if (quantity < 1) {
      // The buyer cannot pay for a unit now: it cancels.
      cancel(world, c, served);
      continue;
    }
    deliver(world, scenario, c, offer, quantity, unitCents);
    served.units += quantity;
    served.cents += quantity * unitCents;
    if (quantity < backorderUnits[c]!) {
      reduceBackorder(world, c, quantity);
      continue;
    }
    removeBackorder(world, c);
    fulfilledWaits[served.filled] = age;
    served.filled += 1;
    if (age <= lateTurns) served.filledOnTime += 1;
  }
}

/**
 * Serves every product's queue of backorders (see serveProduct), once a turn, after the due
 * orders arrived and before the turn's buyers: those who waited are served first. Returns
 * what it did, with the backlog left, the turn's placed and dropped orders not yet counted
 * (see backorderReport).
 */
export function serveBackorders(world: World, scenario: Scenario): Served {
  const served = noneServed();
  serveBackorderRange(world, scenario, served, 0, world.backlogLength.length);
  countServed(world, served);
  return served;
}

/**
 * serveBackorders over the products `from` to `to` - 1 only, summed into `served`: a turn in
 * slices serves the products in ranges, in order, then calls countServed once.
 */
export function serveBackorderRange(world: World, scenario: Scenario, served: Served, from: number, to: number): void {
  const { backlogLength } = world;
  for (let p = from; p < to; p++) {
    if (backlogLength[p]! > 0) serveProduct(world, scenario, p, served);
  }
}

/** Sums of a turn's service before any queue is served. */
export function noneServed(): Served {
  return { filled: 0, cancelled: 0, late: 0, filledOnTime: 0, cancelledEarly: 0, units: 0, cents: 0 };
}

/** Adds a turn's service of the queues to the run's totals. */
export function countServed(world: World, served: Served): void {
  world.totals.backordersFilled += served.filled;
  world.totals.backordersCancelled += served.cancelled;
}

/** Cancels the open orders of companies that left the market this turn, counted into `served`. */
export function cancelExitedBackorders(world: World, exits: readonly number[], served: Served): void {
  const before = served.cancelled;
  for (const c of exits) if (world.backorderProduct[c] !== -1) cancel(world, c, served);
  world.totals.backordersCancelled += served.cancelled - before;
}

/**
 * The turn's BackorderReport: `served` from serveBackorders and cancelExitedBackorders,
 * `placedBefore` and `droppedBefore` the running totals before the turn's purchases; the
 * backlog is read from the queues (a walk over products).
 */
export function backorderReport(
  world: World,
  served: Served,
  placedBefore: number,
  droppedBefore: number,
): BackorderReport {
  const { backlogLength, backlogUnits, backlogHead, backorderPlaced, price } = world;
  let openOrders = 0;
  let openUnits = 0;
  let valueCents = 0;
  let oldest = world.turn;
  for (let p = 0; p < backlogLength.length; p++) {
    const n = backlogLength[p]!;
    if (n === 0) continue;
    openOrders += n;
    openUnits += backlogUnits[p]!;
    valueCents += Math.round(backlogUnits[p]! * price[p]! * 100);
    const placed = backorderPlaced[backlogHead[p]!]!;
    if (placed < oldest) oldest = placed;
  }
  return {
    placed: world.totals.backordersPlaced - placedBefore,
    filled: served.filled,
    cancelled: served.cancelled,
    dropped: world.totals.backordersDropped - droppedBefore,
    late: served.late,
    filledOnTime: served.filledOnTime,
    cancelledEarly: served.cancelledEarly,
    deliveredUnits: served.units,
    deliveredCents: served.cents,
    openOrders,
    openUnits,
    openValueCents: valueCents,
    oldestAgeTurns: world.turn - oldest,
    waits: world.fulfilledWaits.subarray(0, served.filled),
  };
}
