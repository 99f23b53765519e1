import type { Scenario } from './scenario-schema.js';
import type { World } from './world.js';

/**
 * The stock factor: 1 at the reference stock, cheaper with more stock and dearer with less,
 * linear and clamped to [1 - elasticity, 1 + elasticity].
 */
export function stockFactor(stock: number, referenceStock: number, elasticity: number): number {
  const f = 1 + (elasticity * (referenceStock - stock)) / referenceStock;
  return Math.min(1 + elasticity, Math.max(1 - elasticity, f));
}

/**
 * The unit price of an offer, integer cents, at least 1: the product's price (currency units)
 * times the stock factor times the offer's markup. The one statement of the formula; hot
 * loops call it with their scenario constants read once.
 */
export function offerPriceCentsOf(
  price: number,
  stock: number,
  markup: number,
  referenceStock: number,
  elasticity: number,
): number {
  return Math.max(1, Math.round(price * stockFactor(stock, referenceStock, elasticity) * markup * 100));
}

/** A supplier's unit price for one offer, computed afresh: integer cents, at least 1. */
export function computeOfferPriceCents(world: World, scenario: Scenario, offer: number): number {
  const { stockElasticity } = scenario.suppliers;
  const price = world.price[world.offerProduct[offer]!]!;
  const reference = world.offerReference[offer]!;
  return offerPriceCentsOf(price, world.offerStock[offer]!, world.offerMarkup[offer]!, reference, stockElasticity);
}

/** Refreshes the cached price of one offer after its stock changed. */
export function repriceOffer(world: World, scenario: Scenario, offer: number): void {
  world.offerPriceCents[offer] = computeOfferPriceCents(world, scenario, offer);
}

/** Adds units to an offer's stock and re-prices it (more stock, cheaper). */
export function addOfferStock(world: World, scenario: Scenario, offer: number, quantity: number): void {
  const stock = world.offerStock[offer]! + quantity;
  world.offerStock[offer] = stock;
  world.offerChanges.add(offer, world.offerProduct[offer]!, world.offerSupplier[offer]!, stock, quantity);
  repriceOffer(world, scenario, offer);
}

/**
 * Refreshes the cached prices of every offer of a product after its price changed: the
 * computation of computeOfferPriceCents, over the product's consecutive offers at once.
 */
export function repriceProduct(world: World, scenario: Scenario, product: number): void {
  const { stockElasticity } = scenario.suppliers;
  const { offerStock, offerMarkup, offerPriceCents, productOfferStart, offerReference } = world;
  const price = world.price[product]!;
  const end = productOfferStart[product + 1]!;
  for (let offer = productOfferStart[product]!; offer < end; offer++) {
    offerPriceCents[offer] = offerPriceCentsOf(
      price,
      offerStock[offer]!,
      offerMarkup[offer]!,
      offerReference[offer]!,
      stockElasticity,
    );
  }
}

/** Refreshes every cached offer price. */
export function repriceAll(world: World, scenario: Scenario): void {
  for (let offer = 0; offer < world.offerProduct.length; offer++) repriceOffer(world, scenario, offer);
}
