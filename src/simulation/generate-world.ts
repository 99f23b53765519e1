import { CompanyJournal, OfferJournal } from './change-journal.js';
import { COUNTRIES } from './geography.js';
import { companyName, createUniqueNames, productName, supplierName } from './names.js';
import { repriceAll } from './pricing.js';
import type { Rng } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import { CONTINENTS, PRODUCT_TYPES, STRATEGIES } from './types.js';
import { type CompanyInfo, type ProductInfo, rebuildActiveLists, type SupplierInfo, type World } from './world.js';

const toCents = (amount: number): number => Math.round(amount * 100);

function pickWeightedType(rng: Rng, weights: readonly number[], total: number): number {
  let r = rng.float() * total;
  for (let t = 0; t < weights.length; t++) {
    r -= weights[t]!;
    if (r < 0) return t;
  }
  // Rounding can leave r at 0 after the last weight: fall back to the last positive one.
  return weights.findLastIndex((w) => w > 0);
}

function generateProducts(scenario: Scenario, rng: Rng): ProductInfo[] {
  const { count, priceMin, priceMax, typeWeights } = scenario.products;
  const weights = PRODUCT_TYPES.map((t) => typeWeights[t]);
  const total = weights.reduce((a, b) => a + b, 0);
  const perType = [0, 0, 0];
  return Array.from({ length: count }, (_, index) => {
    const typeIndex = pickWeightedType(rng, weights, total);
    const type = PRODUCT_TYPES[typeIndex]!;
    const name = productName(type, perType[typeIndex]!);
    perType[typeIndex]! += 1;
    const basePrice = toCents(rng.range(priceMin, priceMax)) / 100;
    return Object.freeze({ index, id: `P${index + 1}`, name, type, typeIndex, basePrice });
  });
}

/**
 * Builds a world from a scenario, drawing every random attribute from the RNG in a fixed
 * order, so the same scenario and seed give the same world.
 */
export function generateWorld(scenario: Scenario, rng: Rng): World {
  const products = generateProducts(scenario, rng);
  const productIndices = products.map((p) => p.index);
  const sup = scenario.suppliers;

  const uniqueSupplier = createUniqueNames();
  const offerSupplier: number[] = [];
  const offerProduct: number[] = [];
  const offerStock: number[] = [];
  const offerMarkup: number[] = [];
  const suppliers: SupplierInfo[] = [];
  for (let index = 0; index < sup.count; index++) {
    const country = rng.pick(COUNTRIES);
    const name = uniqueSupplier(supplierName(rng));
    const stocked = rng.sample(productIndices, rng.int(sup.productsMin, sup.productsMax));
    stocked.sort((a, b) => a - b);
    const offers: number[] = [];
    for (const product of stocked) {
      offers.push(offerSupplier.length);
      offerSupplier.push(index);
      offerProduct.push(product);
      offerStock.push(rng.int(sup.stockMin, sup.stockMax));
      offerMarkup.push(rng.range(1 - sup.priceNoise, 1 + sup.priceNoise));
    }
    suppliers.push(
      Object.freeze({
        index,
        id: `S${index + 1}`,
        name,
        country: country.name,
        continent: country.continent,
        offers: Object.freeze(offers),
      }),
    );
  }

  const comp = scenario.companies;
  const typeIndices = PRODUCT_TYPES.map((_, t) => t);
  const uniqueCompany = createUniqueNames();
  const companies: CompanyInfo[] = [];
  for (let index = 0; index < comp.count; index++) {
    const country = rng.pick(COUNTRIES);
    const name = uniqueCompany(companyName(rng));
    const strategy = rng.bernoulli(comp.cheapestShare) ? STRATEGIES[0] : STRATEGIES[1];
    const preferredTypes = rng.sample(typeIndices, rng.int(1, 2)).sort((a, b) => a - b);
    const initialBudgetCents = toCents(rng.range(comp.budgetMin, comp.budgetMax));
    companies.push(
      Object.freeze({
        index,
        id: `C${index + 1}`,
        name,
        country: country.name,
        continent: country.continent,
        strategy,
        preferredTypes: Object.freeze(preferredTypes),
        initialBudgetCents,
      }),
    );
  }

  const productOffers = products.map(() => [] as number[]);
  for (let offer = 0; offer < offerProduct.length; offer++) {
    productOffers[offerProduct[offer]!]!.push(offer);
  }
  const continentIndex = (c: string) => CONTINENTS.indexOf(c as (typeof CONTINENTS)[number]);
  const budgetCents = Float64Array.from(companies, (c) => c.initialBudgetCents);
  const initialGoods = offerStock.reduce((a, b) => a + b, 0);

  const world: World = {
    turn: 0,
    products: Object.freeze(products),
    suppliers: Object.freeze(suppliers),
    companies: Object.freeze(companies),
    price: Float64Array.from(products, (p) => p.basePrice),
    active: new Uint8Array(products.length).fill(1),
    inflationPhase: new Uint8Array(products.length),
    inflatedAt: new Float64Array(products.length),
    peakPrice: new Float64Array(products.length),
    targetPrice: new Float64Array(products.length),
    activeByType: PRODUCT_TYPES.map(() => new Int32Array(products.length)),
    activeCount: new Int32Array(PRODUCT_TYPES.length),
    offerSupplier: Int32Array.from(offerSupplier),
    offerProduct: Int32Array.from(offerProduct),
    offerStock: Float64Array.from(offerStock),
    offerMarkup: Float64Array.from(offerMarkup),
    offerPriceCents: new Float64Array(offerProduct.length),
    offerContinent: Uint8Array.from(offerSupplier, (s) => continentIndex(suppliers[s]!.continent)),
    productOffers: productOffers.map((offers) => Int32Array.from(offers)),
    budgetCents,
    initialBudgetCents: budgetCents.slice(),
    companyStock: new Float64Array(companies.length * products.length),
    spentCents: new Float64Array(companies.length),
    purchaseCount: new Float64Array(companies.length),
    unitsSold: new Float64Array(products.length),
    companyStrategy: Uint8Array.from(companies, (c) => STRATEGIES.indexOf(c.strategy)),
    companyTypeMask: Uint8Array.from(companies, (c) =>
      c.strategy === 'by_type'
        ? c.preferredTypes.reduce((mask, t) => mask | (1 << t), 0)
        : (1 << PRODUCT_TYPES.length) - 1,
    ),
    companyContinent: Uint8Array.from(companies, (c) => continentIndex(c.continent)),
    supplierContinent: Uint8Array.from(suppliers, (s) => continentIndex(s.continent)),
    totals: {
      initialBudgetCents: budgetCents.reduce((a, b) => a + b, 0),
      refilledCents: 0,
      spentCents: 0,
      initialGoods,
      restockedGoods: 0,
      refilledGoods: 0,
    },
    // A turn makes at most one purchase per company; event turns add a record per company
    // refilled and per offer restocked (the journals grow if a turn needs more).
    companyChanges: new CompanyJournal(companies.length),
    offerChanges: new OfferJournal(companies.length + offerProduct.length),
  };
  rebuildActiveLists(world);
  repriceAll(world, scenario);
  return world;
}
