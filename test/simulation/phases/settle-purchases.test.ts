import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng, type Scenario, type Transaction } from '../../../src/simulation/index.js';
import { settlePurchases } from '../../../src/simulation/phases/settle-purchases.js';
import { repriceAll } from '../../../src/simulation/pricing.js';
import { offersByContinent, rebuildActiveLists, type World } from '../../../src/simulation/world.js';
import { quietScenario } from '../fixtures.js';

/** Every company tries once, in index order; returns the transactions. */
function buyAll(world: World, scenario: Scenario, seed = 1): Transaction[] {
  const buyers = Int32Array.from(world.companies, (c) => c.index);
  const outcome = settlePurchases(world, scenario, createRng(seed), buyers, buyers.length);
  return [...(outcome.transactions ?? [])];
}

function build(overrides: Parameters<typeof quietScenario>[0]) {
  const scenario = quietScenario(overrides);
  return { scenario, world: generateWorld(scenario, createRng(5)) };
}

describe('settlePurchases: failure reasons', () => {
  it('inactive_product when no eligible product is active', () => {
    const { scenario, world } = build({ companies: { count: 3 } });
    world.active.fill(0);
    rebuildActiveLists(world);
    const txs = buyAll(world, scenario);
    expect(txs.map((t) => t.reason)).toEqual(['inactive_product', 'inactive_product', 'inactive_product']);
  });

  it('no_supplier when no supplier stocks the product', () => {
    const { scenario, world } = build({
      companies: { count: 20, cheapestShare: 1 },
      products: { count: 10 },
      suppliers: { count: 1, productsMin: 1, productsMax: 1 },
    });
    // Generated worlds stock every product: this one loses the offers of all but product 0.
    world.productOfferStart.fill(world.productOfferStart[1]!, 1);
    const stocked = 0;
    const txs = buyAll(world, scenario);
    expect(txs.some((t) => t.reason === 'no_supplier')).toBe(true);
    for (const t of txs) expect(t.reason === 'no_supplier').toBe(t.product !== stocked);
  });

  it('out_of_stock when every supplier of the product is empty', () => {
    const { scenario, world } = build({
      companies: { count: 4 },
      suppliers: { stockMin: 0, stockMax: 0 },
    });
    const txs = buyAll(world, scenario).filter((t) => t.reason !== 'no_supplier');
    expect(txs.length).toBeGreaterThan(0);
    expect(txs.every((t) => t.reason === 'out_of_stock')).toBe(true);
  });

  it('insufficient_budget when the budget cannot pay one unit', () => {
    const { scenario, world } = build({ companies: { count: 4, budgetMin: 0, budgetMax: 0 } });
    const txs = buyAll(world, scenario).filter((t) => t.reason !== 'no_supplier');
    expect(txs.length).toBeGreaterThan(0);
    for (const t of txs) {
      expect(t.reason).toBe('insufficient_budget');
      expect(t.unitPriceCents).toBeGreaterThan(0);
    }
  });

  it('moves nothing on a failure', () => {
    const { scenario, world } = build({ companies: { count: 4, budgetMin: 0, budgetMax: 0 } });
    const stock = Array.from(world.offerStock);
    buyAll(world, scenario);
    expect(Array.from(world.offerStock)).toEqual(stock);
    expect(Array.from(world.budgetCents)).toEqual([0, 0, 0, 0]);
    expect(Array.from(world.inventory).every((q) => q === 0)).toBe(true);
  });
});

describe('settlePurchases: quantity and strategies', () => {
  it('buys min(wanted, affordable, stock) and pays quantity x unit price', () => {
    const { scenario, world } = build({
      companies: { count: 1, budgetMin: 10_000, budgetMax: 10_000 },
      products: { count: 1 },
      suppliers: { count: 1, productsMin: 1, productsMax: 1, stockMin: 3, stockMax: 3 },
      market: { quantityMin: 5, quantityMax: 5 },
    });
    const price = world.offerPriceCents[0]!;
    const [t] = buyAll(world, scenario);
    expect(t).toMatchObject({
      success: true,
      quantity: 3,
      unitPriceCents: price,
      amountCents: 3 * price,
    });
    expect(world.offerStock[0]).toBe(0);
    expect(world.budgetCents[0]).toBe(1_000_000 - 3 * price);

    const poor = build({
      companies: { count: 1, budgetMin: 0, budgetMax: 0 },
      products: { count: 1 },
      suppliers: { count: 1, productsMin: 1, productsMax: 1, stockMin: 100, stockMax: 100 },
      market: { quantityMin: 5, quantityMax: 5 },
    });
    poor.world.budgetCents[0] = poor.world.offerPriceCents[0]! * 2 + 1;
    expect(buyAll(poor.world, poor.scenario)[0]?.quantity).toBe(2);
  });

  it('cheapest buys from the supplier with the lowest unit price', () => {
    const { scenario, world } = build({
      companies: { count: 1, cheapestShare: 1, budgetMin: 100_000, budgetMax: 100_000 },
      products: { count: 1 },
      suppliers: { count: 4, productsMin: 1, productsMax: 1, priceNoise: 0.4 },
    });
    const prices = Array.from(world.offerPriceCents);
    const cheapest = prices.indexOf(Math.min(...prices));
    expect(new Set(prices).size).toBe(4);
    const [t] = buyAll(world, scenario);
    expect(t?.supplier).toBe(world.offerSupplier[cheapest]);
    expect(t?.unitPriceCents).toBe(prices[cheapest]);
  });

  it('cheapest falls back to the next supplier when the cheapest is empty', () => {
    const { scenario, world } = build({
      companies: { count: 1, cheapestShare: 1, budgetMin: 100_000, budgetMax: 100_000 },
      products: { count: 1 },
      suppliers: { count: 3, productsMin: 1, productsMax: 1, priceNoise: 0.4 },
    });
    const order = [0, 1, 2].sort((a, b) => world.offerPriceCents[a]! - world.offerPriceCents[b]!);
    world.offerStock[order[0]!] = 0;
    expect(buyAll(world, scenario)[0]?.supplier).toBe(world.offerSupplier[order[1]!]);
  });

  it('by_type buys only products of its preferred types', () => {
    const { scenario, world } = build({
      companies: { count: 200, cheapestShare: 0, budgetMin: 100_000, budgetMax: 100_000 },
      products: { count: 30 },
      suppliers: { count: 5, productsMin: 30, productsMax: 30 },
    });
    const txs = buyAll(world, scenario);
    for (const t of txs) {
      const company = world.companies[t.company]!;
      expect(company.strategy).toBe('by_type');
      expect(company.preferredTypes).toContain(world.products[t.product]!.typeIndex);
    }
  });

  it('by_type prefers a supplier on its own continent, even a dearer one', () => {
    const { scenario, world } = build({
      companies: { count: 1, cheapestShare: 0, budgetMin: 100_000, budgetMax: 100_000 },
      products: { count: 1 },
      suppliers: { count: 2, productsMin: 1, productsMax: 1 },
    });
    const home = world.companyContinent[0]!;
    world.companyTypeMask[0] = 1 << world.products[0]!.typeIndex;
    // Offer 0 is local and dear, offer 1 is abroad and cheap.
    const placeOffers = (...continents: number[]) => {
      world.offerContinent.set(continents);
      const index = offersByContinent(world.productOfferStart, world.offerContinent);
      world.localOffers.set(index.localOffers);
      world.localStart.set(index.localStart);
    };
    placeOffers(home, (home + 1) % 6);
    world.offerMarkup[0] = 1.3;
    world.offerMarkup[1] = 0.7;
    repriceAll(world, scenario);
    const [t] = buyAll(world, scenario);
    expect(t?.supplier).toBe(world.offerSupplier[0]);
    placeOffers((home + 2) % 6, (home + 1) % 6);
    // With no local supplier it takes the cheapest anywhere.
    expect(buyAll(world, scenario)[0]?.supplier).toBe(world.offerSupplier[1]);
  });

  it('counts a purchase from another continent as intercontinental', () => {
    const { scenario, world } = build({
      companies: { count: 50, budgetMin: 100_000, budgetMax: 100_000 },
    });
    const txs = buyAll(world, scenario).filter((t) => t.success);
    for (const t of txs) {
      const crossBorder = world.companies[t.company]!.continent !== world.suppliers[t.supplier]!.continent;
      expect(t.intercontinental).toBe(crossBorder);
    }
    expect(txs.some((t) => t.intercontinental)).toBe(true);
  });
});
