import { drawOffers } from './draw-offers.js';
import { companyWeightOf, continentIndex, drawCompany, typeMaskOf } from './companies.js';
import { salePriceCents } from './market/households.js';
import { createBackorderQueues } from './market/backorder-queues.js';
import { COVER_REPORT_SLOTS } from './market/cover-report.js';
import { createUniqueNames, productName } from './names.js';
import { offerPriceCentsOf, repriceAll } from './pricing.js';
import type { Rng } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import { PRODUCT_TYPES, STRATEGIES } from './types.js';
import {
  type CompanyInfo,
  type ProductInfo,
  derivedParts,
  rebuildActiveLists,
  settleNumberFields,
  type World,
} from './world.js';

const toCents = (amount: number): number => Math.round(amount * 100);
/** The golden ratio's fractional part: multiples of it mod 1 spread evenly over [0, 1). */
const GOLDEN = (Math.sqrt(5) - 1) / 2;

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
  const { suppliers, offerSupplier, offerProduct, offerStock, offerMarkup } = drawOffers(scenario, rng, productIndices);
  const companyNames = { numbered: new Map<string, number>() };
  const uniqueCompany = createUniqueNames(companyNames);
  const companies = drawCompanies(scenario, rng, uniqueCompany);
  const { productOffers, productOfferStart } = indexOffersByProduct(products.length, offerProduct);
  const budgetCents = Float64Array.from(companies, (c) => c.initialBudgetCents);
  const initialBudgetTotal = budgetCents.reduce((a, b) => a + b, 0);
  const offerContinent = Uint8Array.from(offerSupplier, (s) => continentIndex(suppliers[s]!.continent));
  const economy = initialEconomy(
    scenario,
    products,
    companies,
    expectedUnitCost(scenario, products, offerProduct, offerMarkup),
    offerProduct.length,
    initialBudgetTotal,
  );
  const supply = initialSupply(scenario, offerStock, economy.salesEstimate);

  const world: World = {
    turn: 0,
    products: Object.freeze(products),
    suppliers: Object.freeze(suppliers),
    companies,
    ...productState(products),
    offerSupplier: Int32Array.from(offerSupplier),
    offerProduct: Int32Array.from(offerProduct),
    offerStock: Float64Array.from(offerStock),
    offerMarkup: Float64Array.from(offerMarkup),
    offerPriceCents: new Float64Array(offerProduct.length),
    offerContinent,
    productOffers,
    productOfferStart,
    budgetCents,
    initialBudgetCents: budgetCents.slice(),
    spentCents: new Float64Array(companies.length),
    purchaseCount: new Float64Array(companies.length),
    unitsSold: new Float64Array(products.length),
    supplierUnitsSold: new Float64Array(suppliers.length),
    companyStrategy: Uint8Array.from(companies, (c) => STRATEGIES.indexOf(c.strategy)),
    companyTypeMask: Uint8Array.from(companies, typeMaskOf),
    companyContinent: Uint8Array.from(companies, (c) => continentIndex(c.continent)),
    supplierContinent: Uint8Array.from(suppliers, (s) => continentIndex(s.continent)),
    ...economy,
    uniqueCompanyName: uniqueCompany,
    companyNames,
    nextCompanyNumber: companies.length + 1,
    profitEstimate: 0,
    vacant: [],
    supplierActive: new Uint8Array(suppliers.length).fill(1),
    ...supply,
    offerSold: new Float64Array(offerProduct.length),
    disruption: new Float64Array(offerProduct.length),
    outage: new Float64Array(offerProduct.length),
    outageEnds: new Float64Array(suppliers.length),
    productWanted: new Float64Array(products.length),
    productBought: new Float64Array(products.length),
    unmetShare: new Float64Array(products.length),
    boughtUnits: new Float64Array(companies.length),
    boughtCents: new Float64Array(companies.length),
    shockInForce: new Uint8Array(scenario.timeline.length),
    recalled: scenario.timeline.map(() => []),
    recalls: new Int32Array(products.length),
    effects: { demand: 1, credit: 1, frozen: 0 },
    totals: initialTotals(
      initialBudgetTotal,
      economy.householdCents,
      offerStock.reduce((a, b) => a + b, 0) + supply.inTransitTotal + economy.inventory.reduce((a, b) => a + b, 0),
    ),
    ...createBackorderQueues(companies.length, products.length),
    fulfilledWaits: new Float64Array(companies.length),
    ...derivedParts(companies.length, productOfferStart, offerContinent),
  };
  settleNumberFields(world);
  rebuildActiveLists(world);
  repriceAll(world, scenario);
  return world;
}

function drawCompanies(scenario: Scenario, rng: Rng, unique: (name: string) => string): CompanyInfo[] {
  const companies: CompanyInfo[] = [];
  for (let index = 0; index < scenario.companies.count; index++) {
    companies.push(drawCompany(scenario, rng, index, index + 1, unique));
  }
  return companies;
}

/** Each product's offers, and where its run starts in the offers numbered product by product. */
function indexOffersByProduct(productCount: number, offerProduct: readonly number[]) {
  const productOffers = Array.from({ length: productCount }, () => [] as number[]);
  for (let offer = 0; offer < offerProduct.length; offer++) {
    productOffers[offerProduct[offer]!]!.push(offer);
  }
  const productOfferStart = new Int32Array(productCount + 1);
  productOffers.forEach((offers, p) => (productOfferStart[p + 1] = productOfferStart[p]! + offers.length));
  return { productOffers: productOffers.map((offers) => Int32Array.from(offers)), productOfferStart };
}

/** The products' prices and inflation state at turn 0: every product active at its base price. */
function productState(products: readonly ProductInfo[]) {
  return {
    price: Float64Array.from(products, (p) => p.basePrice),
    curvePrice: Float64Array.from(products, (p) => p.basePrice),
    drift: new Float64Array(products.length).fill(1),
    active: new Uint8Array(products.length).fill(1),
    inflationPhase: new Uint8Array(products.length),
    inflatedAt: new Float64Array(products.length),
    peakPrice: new Float64Array(products.length),
    targetPrice: new Float64Array(products.length),
    activeByType: PRODUCT_TYPES.map(() => new Int32Array(products.length)),
    activeCount: new Int32Array(PRODUCT_TYPES.length),
  };
}

/** The run's totals at turn 0: what money and goods the world opens with, nothing moved yet. */
function initialTotals(
  initialBudgetCents: number,
  initialHouseholdCents: number,
  initialGoods: number,
): World['totals'] {
  return {
    initialBudgetCents,
    initialHouseholdCents,
    refilledCents: 0,
    spentCents: 0,
    revenueCents: 0,
    overheadCents: 0,
    dividendCents: 0,
    writtenOffCents: 0,
    entryCapitalCents: 0,
    initialGoods,
    restockedGoods: 0,
    refilledGoods: 0,
    producedGoods: 0,
    consumedGoods: 0,
    liquidatedGoods: 0,
    lostGoods: 0,
    exits: 0,
    entries: 0,
    backordersPlaced: 0,
    backordersFilled: 0,
    backordersCancelled: 0,
    backordersDropped: 0,
  };
}

/**
 * With `initialCover` and `referenceCover` set, what companies will pay for a unit at the
 * start: the mean over products (they pick one at random) of its cheapest offer's price at
 * the stock factor of `initialCover` turns of sales against `referenceCover` (the same for
 * every offer). Undefined otherwise: the mean base price stands for it.
 */
function expectedUnitCost(
  scenario: Scenario,
  products: readonly ProductInfo[],
  offerProduct: readonly number[],
  offerMarkup: readonly number[],
): number | undefined {
  const { initialCover, referenceCover, stockElasticity } = scenario.suppliers;
  if (initialCover === 0 || referenceCover === 0) return undefined;
  const cheapest = products.map(() => Infinity);
  for (let o = 0; o < offerProduct.length; o++) {
    const p = offerProduct[o]!;
    cheapest[p] = Math.min(
      cheapest[p]!,
      offerPriceCentsOf(products[p]!.basePrice, initialCover, offerMarkup[o]!, referenceCover, stockElasticity),
    );
  }
  const offered = cheapest.filter(Number.isFinite);
  return offered.length === 0 ? undefined : offered.reduce((a, b) => a + b, 0) / offered.length;
}

/**
 * The suppliers' supply lines at turn 0: empty, or with `initialCover` set, a full one (each
 * offer's expected sales for each of the `leadTurns` turns ahead, arriving from turn 1 on) and
 * `initialCover` turns of those sales in stock, written over the drawn `offerStock`: the
 * steady state of the order rule, so the world does not open with a rush to stock up.
 */
function initialSupply(scenario: Scenario, offerStock: number[], salesEstimate: Float64Array) {
  const { leadTurns, initialCover } = scenario.suppliers;
  const offers = offerStock.length;
  const pipeline = new Float64Array(offers * leadTurns);
  const inTransit = new Float64Array(offers);
  let inTransitTotal = 0;
  if (initialCover > 0) {
    for (let o = 0; o < offers; o++) {
      const perTurn = Math.ceil(salesEstimate[o]!);
      offerStock[o] = Math.ceil(initialCover * salesEstimate[o]!);
      for (let slot = 0; slot < leadTurns; slot++) pipeline[slot * offers + o] = perTurn;
      inTransit[o] = perTurn * leadTurns;
      inTransitTotal += perTurn * leadTurns;
    }
  }
  return { pipeline, inTransit, inTransitTotal };
}

/**
 * The households and the companies' running estimates at turn 0: households hold `moneyShare`
 * times the companies' budgets; each company expects its share of their spending at the mean
 * base price plus its margin and holds half of `inventoryCoverTurns` of it, and each offer expects an
 * even share of what the companies will buy.
 */
function initialEconomy(
  scenario: Scenario,
  products: readonly ProductInfo[],
  companies: readonly CompanyInfo[],
  unitCost: number | undefined,
  offerCount: number,
  initialBudgetTotal: number,
) {
  const { marginPercent, overheadPercent, inventoryCoverTurns, initialStockShare } = scenario.companies;
  const { quantityMin } = scenario.market;
  // Spread as in steady state only when the world opens near it (suppliers.initialCover).
  const spread = scenario.suppliers.initialCover > 0;
  const { referenceCover, referenceStock } = scenario.suppliers;
  const n = companies.length;
  const meanPriceCents =
    unitCost ?? (100 * products.reduce((a, p) => a + p.basePrice, 0)) / Math.max(1, products.length);
  const householdCents = Math.round(scenario.households.moneyShare * initialBudgetTotal);
  const spendCents = householdCents * scenario.households.spendRate;
  const unitsPerTurn = spendCents / (meanPriceCents * (1 + marginPercent / 100));
  const companyWeight = Float64Array.from(companies, (c) => companyWeightOf(scenario, c.initialBudgetCents));
  return {
    demandIndex: 1,
    demandNoise: 0,
    householdCents,
    householdDemandCents: 0,
    householdNormalCents: householdCents,
    householdRecentCents: householdCents,
    companyActive: new Uint8Array(n).fill(1),
    // Companies open with a share of the stock they aim for (half by default, so the first turns
    // are not one rush to buy it all); with initialCover set, plus part of one smallest purchase
    // spread evenly across them (golden-ratio steps, no draw): a company that bought holds up to
    // that much above its target, so their purchases are staggered as in steady state.
    inventory: Float64Array.from(
      companyWeight,
      (w, c) =>
        Math.ceil((initialStockShare * inventoryCoverTurns * unitsPerTurn * w) / Math.max(1, n)) +
        (spread ? Math.floor((((c + 1) * GOLDEN) % 1) * quantityMin) : 0),
    ),
    unitCostCents: new Float64Array(n).fill(meanPriceCents),
    salePriceCents: new Float64Array(n).fill(salePriceCents(meanPriceCents, marginPercent)),
    demandCarry: new Float64Array(n),
    demandEstimate: Float64Array.from(companyWeight, (w) => (unitsPerTurn * w) / Math.max(1, n)),
    companyWeight,
    companyMargin: new Float64Array(n).fill(marginPercent),
    companyUnmet: new Float64Array(n),
    salesCents: new Float64Array(n),
    overheadCents: Float64Array.from(companies, (c) => Math.round((c.initialBudgetCents * overheadPercent) / 100)),
    insolventTurns: new Int32Array(n),
    vacatedAt: new Float64Array(n),
    salesEstimate: new Float64Array(offerCount).fill(unitsPerTurn / Math.max(1, offerCount)),
    offerLongRun: new Float64Array(offerCount).fill(unitsPerTurn / Math.max(1, offerCount)),
    capacityCredit: new Float64Array(offerCount),
    coverReports: new Float64Array(COVER_REPORT_SLOTS),
    coverNormal: 0,
    offerReference: new Float64Array(offerCount).fill(
      referenceCover > 0 ? Math.max(1, (referenceCover * unitsPerTurn) / Math.max(1, offerCount)) : referenceStock,
    ),
  };
}
