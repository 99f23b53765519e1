import { type Static, type TSchema, Type } from '@sinclair/typebox';

/*
 * The scenario file's schema: every parameter of the market, with its default. Money is in
 * currency units here (the engine keeps it as integer cents); probabilities are in [0, 1];
 * percentages are plain numbers (20 means +20 %).
 */

const strict = { additionalProperties: false, default: {} } as const;

const probability = (value: number, description: string) =>
  Type.Number({ minimum: 0, maximum: 1, default: value, description });
/** The largest count, amount or price a file may state: every bound keeps money exact in cents. */
const MAX_VALUE = 1_000_000_000;
const count = (value: number, minimum: number, description: string, maximum = MAX_VALUE) =>
  Type.Integer({ minimum, maximum, default: value, description });
const amount = (value: number, description: string) =>
  Type.Number({ minimum: 0, maximum: MAX_VALUE, default: value, description });

function section<T extends Record<string, TSchema>>(properties: T) {
  return Type.Object(properties, strict);
}

export const CompaniesSchema = section({
  count: count(4, 1, 'number of buying companies', 1_000_000),
  budgetMin: amount(5_000, 'smallest initial budget'),
  budgetMax: amount(20_000, 'largest initial budget'),
  cheapestShare: probability(0.5, "share of companies using the 'cheapest' strategy"),
});

export const ProductsSchema = section({
  count: count(20, 1, 'number of products', 100_000),
  priceMin: Type.Number({ exclusiveMinimum: 0, maximum: MAX_VALUE, default: 5, description: 'lowest base price' }),
  priceMax: Type.Number({ exclusiveMinimum: 0, maximum: MAX_VALUE, default: 200, description: 'highest base price' }),
  typeWeights: section({
    raw_material: amount(1, 'relative weight of raw materials'),
    consumable: amount(1, 'relative weight of consumables'),
    finished_good: amount(1, 'relative weight of finished goods'),
  }),
});

export const SuppliersSchema = section({
  count: count(5, 1, 'number of suppliers', 100_000),
  productsMin: count(6, 1, 'fewest products one supplier stocks'),
  productsMax: count(12, 1, 'most products one supplier stocks'),
  stockMin: count(50, 0, 'smallest initial stock of one product at one supplier'),
  stockMax: count(200, 0, 'largest initial stock of one product at one supplier'),
  referenceStock: Type.Number({
    exclusiveMinimum: 0,
    maximum: MAX_VALUE,
    default: 100,
    description: 'stock at which a supplier sells at the product price (times its markup)',
  }),
  stockElasticity: Type.Number({
    minimum: 0,
    maximum: 0.9,
    default: 0.3,
    description: 'how far stock moves the price: the stock factor stays in [1-e, 1+e]',
  }),
  priceNoise: Type.Number({
    minimum: 0,
    maximum: 0.5,
    default: 0.05,
    description: 'bound of the fixed per-offer markup: in [1-n, 1+n]',
  }),
});

export const MarketSchema = section({
  selectionProbability: probability(0.6, 'chance that a company tries to buy in a turn'),
  quantityMin: count(1, 1, 'fewest units a company wants in one purchase'),
  quantityMax: count(10, 1, 'most units a company wants in one purchase'),
});

export const EventsSchema = section({
  interval: count(10, 1, 'events are drawn every this many turns'),
  budgetRefill: section({
    probability: probability(0.3, 'chance the event fires on an event turn'),
    min: amount(500, 'smallest amount one company receives'),
    max: amount(2_000, 'largest amount one company receives'),
  }),
  restock: section({
    probability: probability(0.3, 'chance the event fires on an event turn'),
    min: count(10, 0, 'fewest units added to each stocked product'),
    max: count(50, 0, 'most units added to each stocked product'),
  }),
  inflation: section({
    probability: probability(0.2, 'chance the event fires on an event turn'),
    productProbability: probability(0.3, 'chance that each product is hit'),
    minPercent: Type.Number({ exclusiveMinimum: 0, maximum: 10_000, default: 5, description: 'smallest rise' }),
    maxPercent: Type.Number({ exclusiveMinimum: 0, maximum: 10_000, default: 20, description: 'largest rise' }),
    penaltyFactor: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.5,
      description: 'an already inflated product rises by the drawn percent times this',
    }),
    holdTurns: count(5, 0, 'turns the inflated price holds'),
    declineTurns: count(10, 1, 'turns of linear decline after the hold'),
    finalPercent: Type.Number({
      minimum: 0,
      maximum: 10_000,
      default: 2,
      description: 'where the decline settles: base price + this percent',
    }),
  }),
  availability: section({
    probability: probability(0.1, 'chance the event fires on an event turn'),
    deactivate: probability(0.1, 'chance each active product is withdrawn'),
    reactivate: probability(0.5, 'chance each inactive product returns'),
  }),
  supplierRefill: section({
    probability: probability(0.3, 'chance the event fires on an event turn'),
    supplierProbability: probability(0.5, 'chance each supplier is refilled'),
    productProbability: probability(0.5, 'chance each of its stocked products is refilled'),
    min: count(5, 0, 'fewest units added'),
    max: count(30, 0, 'most units added'),
  }),
});

export const ReportSchema = section({
  transactions: Type.Boolean({
    default: true,
    description: 'keep the per-transaction list in each TurnReport (off for very large worlds)',
  }),
});

/** The whole scenario file. Unknown keys are refused; every key has a default. */
export const ScenarioSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, default: 'custom', description: 'scenario name' }),
    description: Type.String({ maxLength: 1_000, default: '', description: 'what the scenario is for' }),
    companies: CompaniesSchema,
    products: ProductsSchema,
    suppliers: SuppliersSchema,
    market: MarketSchema,
    events: EventsSchema,
    report: ReportSchema,
  },
  { additionalProperties: false },
);

/** A validated, fully defaulted scenario. */
export type Scenario = Static<typeof ScenarioSchema>;
