import { placeBackorder } from '../market/backorders.js';
import { salePriceCents } from '../market/households.js';
import { offerPriceCentsOf } from '../pricing.js';
import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { Transaction, TurnAggregates } from '../turn-report.js';
import { CONTINENTS, type FailureReason, PRODUCT_TYPES, type ProductType, STRATEGIES } from '../types.js';
import type { World } from '../world.js';

const TYPE_COUNT = PRODUCT_TYPES.length;
const CONTINENT_COUNT = CONTINENTS.length;
const BY_TYPE = STRATEGIES.indexOf('by_type');

/** The outcome of the purchase phase: aggregates always, the transaction list when asked. */
export interface PurchaseOutcome {
  readonly aggregates: TurnAggregates;
  readonly transactions: Transaction[] | null;
}

/**
 * Picks a product the company may buy: uniformly among the active products of its eligible
 * types (a bit mask over PRODUCT_TYPES: every type for `cheapest`, its preferred ones for
 * `by_type`). -1 when there is none.
 */
function chooseProduct(counts: Int32Array, byType: readonly Int32Array[], typeMask: number, rng: Rng): number {
  let total = 0;
  for (let t = 0; t < TYPE_COUNT; t++) if (typeMask & (1 << t)) total += counts[t]!;
  if (total === 0) return -1;
  let r = Math.floor(rng.float() * total);
  for (let t = 0; t < TYPE_COUNT; t++) {
    if (!(typeMask & (1 << t))) continue;
    const n = counts[t]!;
    if (r < n) return byType[t]![r]!;
    r -= n;
  }
  return -1;
}

/** The offer with stock that sells cheapest, -1 when none has stock. */
function cheapest(start: number, end: number, stock: Float64Array, priceCents: Float64Array): number {
  let best = -1;
  let bestPrice = Number.POSITIVE_INFINITY;
  for (let offer = start; offer < end; offer++) {
    const price = priceCents[offer]!;
    if (price < bestPrice && stock[offer]! >= 1) {
      best = offer;
      bestPrice = price;
    }
  }
  return best;
}

/**
 * The cheapest offer with stock from a supplier on continent `home` (its offers are
 * local[from] to local[to - 1], in offer order), or when there is none the cheapest with stock
 * anywhere (start to end - 1); -1 when no offer has stock. Ties go to the first in offer order.
 */
function cheapestPreferring(
  start: number,
  end: number,
  stock: Float64Array,
  priceCents: Float64Array,
  local: Int32Array,
  from: number,
  to: number,
): number {
  let best = -1;
  let bestPrice = Number.POSITIVE_INFINITY;
  for (let i = from; i < to; i++) {
    const offer = local[i]!;
    const price = priceCents[offer]!;
    if (price < bestPrice && stock[offer]! >= 1) {
      best = offer;
      bestPrice = price;
    }
  }
  return best >= 0 ? best : cheapest(start, end, stock, priceCents);
}

type Failures = Record<FailureReason, number>;

/** Counts a failed attempt, and lists it when the turn keeps its transactions. */
function fail(
  failures: Failures,
  transactions: Transaction[] | null,
  company: number,
  product: number,
  reason: FailureReason,
  supplier = -1,
  price = 0,
): void {
  failures[reason] += 1;
  transactions?.push({
    company,
    supplier,
    product,
    quantity: 0,
    unitPriceCents: price,
    amountCents: 0,
    success: false,
    reason,
    intercontinental: false,
  });
}

/**
 * Applies the turn's purchases to the companies `from` to `to` - 1 that made them (each buys at
 * most once a turn): inventory and unit cost, sale price, budget, spend and purchase count, and
 * a journal record each. In company order rather than the buyers' shuffled order: the
 * per-company arrays are then read front to back, not at random (a cache miss each on large
 * worlds). Ranges in order settle what one range of them all does.
 */
export function settleCompanies(world: World, from: number, to: number): void {
  const { boughtUnits, boughtCents, inventory, unitCostCents, budgetCents, spentCents, purchaseCount } = world;
  const { initialBudgetCents, companyChanges } = world;
  const salePrice = world.salePriceCents;
  const margin = world.companyMargin;
  for (let c = from; c < to; c++) {
    const quantity = boughtUnits[c]!;
    if (quantity === 0) continue;
    const amount = boughtCents[c]!;
    boughtUnits[c] = 0;
    const held = inventory[c]!;
    const unitCost = (held * unitCostCents[c]! + amount) / (held + quantity);
    unitCostCents[c] = unitCost;
    salePrice[c] = salePriceCents(unitCost, margin[c]!);
    inventory[c] = held + quantity;
    const budgetLeft = budgetCents[c]! - amount;
    budgetCents[c] = budgetLeft;
    const spent = spentCents[c]! + amount;
    spentCents[c] = spent;
    const purchases = purchaseCount[c]! + 1;
    purchaseCount[c] = purchases;
    companyChanges.add(c, budgetLeft, -amount, spent, purchases, 1, initialBudgetCents[c]!);
  }
}

/**
 * Settles each buyer's purchase in order. A company picks a product, then the supplier with
 * stock that sells it cheapest (`by_type` companies prefer the cheapest on their own
 * continent), and buys min(wanted, what its budget affords, the supplier's stock) units.
 */
export function settlePurchases(
  world: World,
  scenario: Scenario,
  rng: Rng,
  buyers: Int32Array,
  buyerCount: number,
): PurchaseOutcome {
  const tally = startPurchases(scenario);
  buy(world, scenario, rng, buyers, 0, buyerCount, tally);
  if (tally.sums.successes > 0) settleCompanies(world, 0, world.boughtUnits.length);
  return finishPurchases(world, tally, buyerCount);
}

/** The purchase phase's tally before its first buyer (see settlePurchases). */
export function startPurchases(scenario: Scenario): PurchaseTally {
  const transactions: Transaction[] | null = scenario.report.transactions ? [] : null;
  const failures: Failures = { no_supplier: 0, out_of_stock: 0, insufficient_budget: 0, inactive_product: 0 };
  const typeVolume = PRODUCT_TYPES.map(() => ({ purchases: 0, quantity: 0, amountCents: 0 }));
  const sums: Sums = {
    successes: 0,
    amountCents: 0,
    quantity: 0,
    quantityWanted: 0,
    baseValueCents: 0,
    intercontinental: 0,
  };
  return { failures, typeVolume, transactions, sums };
}

/** Ends the purchase phase once every buyer has bought and settled: its totals and outcome. */
export function finishPurchases(world: World, tally: PurchaseTally, buyerCount: number): PurchaseOutcome {
  const { failures, typeVolume, transactions, sums } = tally;
  world.totals.spentCents += sums.amountCents;
  // Suppliers pass what they are paid on to households (their workers and owners).
  world.householdCents += sums.amountCents;

  const byProductType = Object.fromEntries(PRODUCT_TYPES.map((type, t) => [type, typeVolume[t]!])) as Record<
    ProductType,
    TypeVolume
  >;
  return {
    transactions,
    aggregates: {
      attempts: buyerCount,
      successes: sums.successes,
      failures: buyerCount - sums.successes,
      failuresByReason: failures,
      amountCents: sums.amountCents,
      quantity: sums.quantity,
      quantityWanted: sums.quantityWanted,
      baseValueCents: sums.baseValueCents,
      intercontinental: sums.intercontinental,
      byProductType,
    },
  };
}

/** What one product type sold in a turn. */
interface TypeVolume {
  purchases: number;
  quantity: number;
  amountCents: number;
}

/** The purchases' sums (see TurnAggregates). */
interface Sums {
  successes: number;
  amountCents: number;
  quantity: number;
  quantityWanted: number;
  baseValueCents: number;
  intercontinental: number;
}

/** Where buy counts and lists what it does, from the phase's first buyer to its last. */
export interface PurchaseTally {
  readonly failures: Failures;
  readonly typeVolume: readonly TypeVolume[];
  readonly transactions: Transaction[] | null;
  readonly sums: Sums;
}

/**
 * The purchases of settlePurchases' buyers `from` to `to` - 1, a loop alone in its function,
 * counted into `tally` as it goes (see docs/performance.md, "Hot loops"). Ranges in order buy
 * what one range of them all does.
 */
export function buy(
  world: World,
  scenario: Scenario,
  rng: Rng,
  buyers: Int32Array,
  from: number,
  to: number,
  tally: PurchaseTally,
): void {
  const { quantityMin, quantityMax } = scenario.market;
  const { failures, transactions, sums } = tally;

  // Hot loop: the arrays are read into locals once, not through `world` per iteration.
  const { offerStock, offerPriceCents, offerSupplier, productOfferStart, localOffers, localStart } = world;
  const { budgetCents, companyTypeMask, companyStrategy, companyContinent } = world;
  const { activeCount, activeByType, inventory, demandEstimate, productWanted } = world;
  const { inventoryCoverTurns: cover } = scenario.companies;

  for (let i = from; i < to; i++) {
    const c = buyers[i]!;
    const byType = companyStrategy[c] === BY_TYPE;
    // A company buys toward `cover` turns of the demand it expects, within one purchase's bounds.
    const need = Math.ceil(cover * demandEstimate[c]!) - inventory[c]!;
    const wanted = Math.min(quantityMax, Math.max(quantityMin, need));
    sums.quantityWanted += wanted;
    const product = chooseProduct(activeCount, activeByType, companyTypeMask[c]!, rng);
    if (product >= 0) productWanted[product] = productWanted[product]! + wanted;
    if (product < 0) {
      fail(failures, transactions, c, -1, 'inactive_product');
      continue;
    }
    const start = productOfferStart[product]!;
    const end = productOfferStart[product + 1]!;
    if (start === end) {
      fail(failures, transactions, c, product, 'no_supplier');
      continue;
    }
    const home = companyContinent[c]!;
    const at = product * CONTINENT_COUNT + home;
    const best = byType
      ? cheapestPreferring(start, end, offerStock, offerPriceCents, localOffers, localStart[at]!, localStart[at + 1]!)
      : cheapest(start, end, offerStock, offerPriceCents);
    const bestPrice = best < 0 ? 0 : offerPriceCents[best]!;
    if (best < 0) {
      fail(failures, transactions, c, product, 'out_of_stock');
      placeBackorder(world, scenario, c, product, wanted);
      continue;
    }
    const affordable = Math.floor(budgetCents[c]! / bestPrice);
    if (affordable < 1) {
      fail(failures, transactions, c, product, 'insufficient_budget', offerSupplier[best], bestPrice);
      continue;
    }
    sell(world, scenario, tally, c, product, best, Math.min(wanted, affordable, offerStock[best]!));
  }
}

/**
 * Company `c`'s purchase of `quantity` units of `product` from offer `best` at its price:
 * the offer's stock and price, the turn's sold and bought counts and `tally`. A plain
 * function of numbers, called once per purchase from buy's loop (no closure, no allocation
 * but the listed transaction).
 */
function sell(
  world: World,
  scenario: Scenario,
  tally: PurchaseTally,
  c: number,
  product: number,
  best: number,
  quantity: number,
): void {
  const { offerStock, offerPriceCents, offerSupplier, offerMarkup, offerReference, offerChanges } = world;
  const { typeVolume, transactions, sums } = tally;
  const bestPrice = offerPriceCents[best]!;
  const supplier = offerSupplier[best]!;
  const amount = quantity * bestPrice;
  const stockLeft = offerStock[best]! - quantity;
  offerStock[best] = stockLeft;
  offerPriceCents[best] = offerPriceCentsOf(
    world.price[product]!,
    stockLeft,
    offerMarkup[best]!,
    offerReference[best]!,
    scenario.suppliers.stockElasticity,
  );
  // The company's side is settled after the loop, in company order (see settleCompanies).
  world.boughtUnits[c] = quantity;
  world.boughtCents[c] = amount;
  world.productBought[product] = world.productBought[product]! + quantity;
  world.offerSold[best] = world.offerSold[best]! + quantity;
  const info = world.products[product]!;
  sums.baseValueCents += quantity * Math.round(info.basePrice * 100);
  offerChanges.add(best, product, supplier, stockLeft, -quantity);
  world.unitsSold[product]! += quantity;
  world.supplierUnitsSold[supplier]! += quantity;
  const crossBorder = world.supplierContinent[supplier] !== world.companyContinent[c];
  const volume = typeVolume[info.typeIndex]!;
  volume.purchases += 1;
  volume.quantity += quantity;
  volume.amountCents += amount;
  sums.successes += 1;
  sums.amountCents += amount;
  sums.quantity += quantity;
  if (crossBorder) sums.intercontinental += 1;
  transactions?.push({
    company: c,
    supplier,
    product,
    quantity,
    unitPriceCents: bestPrice,
    amountCents: amount,
    success: true,
    reason: null,
    intercontinental: crossBorder,
  });
}
