import { type Static, Type } from '@sinclair/typebox';
import { CalendarSchema } from './calendar-schema.js';
import { amount, count, MAX_VALUE, probability, section } from './schema-parts.js';
import { TimelineSchema } from './timeline-schema.js';

/*
 * The scenario file's schema: every parameter of the market, with its default. Money is in
 * currency units here (the engine keeps it as integer cents); probabilities are in [0, 1];
 * percentages are plain numbers (20 means +20 %).
 */

export const CompaniesSchema = section({
  count: count(4, 1, 'number of buying companies', 1_000_000),
  budgetMin: amount(5_000, 'smallest initial budget'),
  budgetMax: amount(20_000, 'largest initial budget'),
  cheapestShare: probability(0.5, "share of companies using the 'cheapest' strategy"),
  overheadPercent: Type.Number({
    minimum: 0,
    maximum: 100,
    default: 0.4,
    description: 'fixed costs a company pays households each turn, as a percent of its initial budget',
  }),
  costShock: probability(
    0,
    "each turn's chance that a company's fixed costs are drawn again, within +-costSpread of their level at entry (a persistent cost shock; 0: off)",
  ),
  costSpread: probability(
    0.5,
    "the spread of a redrawn fixed cost: uniform within +-this share of overheadPercent of the company's initial budget",
  ),
  marginPercent: Type.Number({
    minimum: 0,
    maximum: 10_000,
    default: 30,
    description: "a company's initial markup of a sale to households over the unit cost of what it bought",
  }),
  marginStep: Type.Number({
    minimum: 0,
    maximum: 100,
    default: 1,
    description:
      'points a company adds to its margin in a turn it sells out, and takes off in a turn its stock piles up (0: fixed margins)',
  }),
  marginMin: Type.Number({ minimum: 0, maximum: 10_000, default: 5, description: 'lowest margin, percent' }),
  marginMax: Type.Number({ minimum: 0, maximum: 10_000, default: 150, description: 'highest margin, percent' }),
  glutTurns: count(
    12,
    1,
    "a company's stock piles up when it holds more than this many turns of the demand it expects",
    10_000,
  ),
  entryShare: Type.Number({
    exclusiveMinimum: 0,
    maximum: 100,
    default: 0.5,
    description:
      "an entrant's share of households' spending, as a multiple of the mean share of companies in the market",
  }),
  dividendPercent: Type.Number({
    minimum: 0,
    maximum: 100,
    default: 2,
    description: 'share of its budget above its initial budget a company pays households each turn',
  }),
  inventoryCoverTurns: count(4, 1, "a company buys toward this many turns of its households' demand", 1_000),
  initialStockShare: probability(
    0.5,
    'share of its target stock (inventoryCoverTurns of its expected demand) a company opens with',
  ),
  demandSmoothing: probability(0.2, "weight of the last turn in a company's running estimate of its demand"),
  bankruptcyTurns: count(25, 1, 'turns a company may stay unable to pay its fixed costs before it exits', 100_000),
  entryTurns: count(40, 1, "turns an exited company's slot stays empty at least", 100_000),
  entryRate: Type.Number({
    exclusiveMinimum: 0,
    maximum: 1,
    default: 1,
    description:
      'share of the empty slots ready for an entrant that take one in a turn while entry pays, rounded up (1: all at once)',
  }),
});

export const HouseholdsSchema = section({
  moneyShare: amount(1, "households' initial money, as a multiple of the companies' initial budgets"),
  spendRate: probability(0.05, 'share of their money households spend each turn at a demand index of 1'),
  cyclePeriod: count(400, 2, 'turns of one business cycle of the demand index', 1_000_000),
  cycleAmplitude: Type.Number({
    minimum: 0,
    maximum: 0.9,
    default: 0.15,
    description: 'how far the business cycle moves the demand index from 1',
  }),
  persistence: Type.Number({
    minimum: 0,
    maximum: 0.999,
    default: 0.97,
    description: 'AR(1) coefficient of the demand noise: how long a random swing lasts',
  }),
  volatility: Type.Number({
    minimum: 0,
    maximum: 0.5,
    default: 0.02,
    description: 'standard deviation of the per-turn demand noise',
  }),
  creditWorth: Type.Number({
    minimum: 0,
    maximum: 100,
    default: 0,
    description:
      "companies' net worth (cash plus stock at cost, over their initial capital) at and above which households' credit is whole; below it they spend in proportion (0: off)",
  }),
  windfallSpend: probability(
    0,
    "share of the gap between households' recent money and their normal money they spend each turn on top of spendRate of the normal (0: spendRate of their money, no gap)",
  ),
  windfallLimit: Type.Number({
    exclusiveMinimum: 0,
    maximum: 1,
    default: 0.3,
    description:
      "most the windfall (or the cut, in a shortfall) moves households' spending, as a share of spendRate of their normal money (reached smoothly)",
  }),
  normalSmoothing: probability(0.002, "weight of the last turn in households' running estimate of their normal money"),
  recentSmoothing: probability(0.1, "weight of the last turn in households' running estimate of their recent money"),
});

export const ProductsSchema = section({
  count: count(20, 1, 'number of products', 100_000),
  // A cent at least: base prices are drawn in whole cents, and a price of 0 divides nothing.
  priceMin: Type.Number({ minimum: 0.01, maximum: MAX_VALUE, default: 5, description: 'lowest base price' }),
  priceMax: Type.Number({ minimum: 0.01, maximum: MAX_VALUE, default: 200, description: 'highest base price' }),
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
  initialCover: count(
    0,
    0,
    'when above 0, each offer opens with this many turns of its expected sales in stock and a full supply line (leadTurns of them) in transit, so the world starts near its steady state, instead of stockMin-stockMax units',
    1_000,
  ),
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
  leadTurns: count(6, 1, 'turns between a supplier ordering goods and their arrival', 1_000),
  capacity: count(30, 0, 'most units one offer can order in a turn, at least'),
  capacityMultiple: Type.Number({
    minimum: 0,
    maximum: 1_000,
    default: 4,
    description:
      'an offer can order up to this many times its long-run sales a turn when that is above capacity (capacity scales with the market; 0: capacity alone)',
  }),
  capacityBurstTurns: count(
    0,
    0,
    "turns of capacity an offer can save and order at once, as a plant runs overtime for a while and then must rest: its capacity a turn is then a rate, the units it can order in one turn up to this many turns' worth, while no disruption or outage cuts it (0: a turn's capacity is all it can order in that turn)",
    1_000,
  ),
  capacitySmoothing: probability(
    0.005,
    "weight of the last turn in an offer's long-run estimate of its sales, which its capacity follows (capacity is built slowly)",
  ),
  referenceCover: Type.Number({
    minimum: 0,
    maximum: 1_000,
    default: 4,
    description:
      "an offer's reference stock is this many turns of its estimated sales, so the stock factor measures gluts and shortages at any scale (0: referenceStock for every offer)",
  }),
  coverTurns: count(4, 0, 'stock a supplier aims for beyond its lead time, in turns of recent sales', 1_000),
  reportLean: Type.Number({
    minimum: 0,
    maximum: 0.9,
    default: 0,
    description:
      "how far suppliers lean their target cover against the industry's cover as reported reportDelayTurns ago: coverTurns x (1 + lean x tanh(reportGain x (normal - reported) / normal)), the normal being its slow mean (0: off)",
  }),
  reportDelayTurns: count(24, 1, "turns between the industry's cover and the report suppliers read", 1_000),
  reportGain: Type.Number({
    exclusiveMinimum: 0,
    maximum: 1_000,
    default: 10,
    description:
      "how sharply suppliers lean: the reported cover's gap from its normal, relative, is multiplied by this inside the tanh",
  }),
  reportSmoothing: probability(
    0.005,
    "weight of the last turn in the slow mean of the industry's cover, the normal suppliers read its report against",
  ),
  pauseWhileWithdrawn: Type.Boolean({
    default: false,
    description:
      "a withdrawn product's offers neither update their sales estimates nor order until it is back (its turns off sale are censored demand, not weak demand); false: they learn from those turns as from any",
  }),
  salesSmoothing: probability(0.1, "weight of the last turn in a supplier's running estimate of its sales"),
  stockAdjustment: Type.Number({
    exclusiveMinimum: 0,
    maximum: 1,
    default: 1,
    description:
      "share of the gap between an offer's target stock and its stock that a supplier's order closes in one turn (Sterman's anchoring and adjustment; 1: the whole gap)",
  }),
  supplyLineAdjustment: probability(
    1,
    "share of the gap between an offer's target supply line (leadTurns of its estimated sales) and what it has in transit that an order closes in one turn (below stockAdjustment: the supply line is underweighted and inventories cycle)",
  ),
});

export const MarketSchema = section({
  selectionProbability: probability(0.6, 'chance that a company tries to buy in a turn'),
  quantityMin: count(1, 1, 'fewest units a company wants in one purchase'),
  quantityMax: count(10, 1, 'most units a company wants in one purchase'),
  priceResponse: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.03,
    description: "how far one turn's unmet share of wanted units raises a product's price drift",
  }),
  priceReversion: probability(0.02, 'share of the drift that fades each turn'),
  glutResponse: Type.Number({
    minimum: 0,
    maximum: 1,
    default: 0.01,
    description:
      "how far one turn's glut (the product's supplier stock above its reference, as a share of it) lowers the drift",
  }),
  switchProbability: probability(
    0.1,
    "chance a turn that a company's customers compare it with a few competitors sampled at random (0: fixed shares)",
  ),
  sampleSize: count(3, 1, 'competitors sampled in one comparison', 100),
  sampleBySize: Type.Boolean({
    default: false,
    description:
      'draw the competitors compared in proportion to their customers (word of mouth: the large attract more) rather than uniformly',
  }),
  priceThreshold: probability(0.02, 'how much cheaper a competitor must sell for customers to switch to it'),
  switchShare: probability(0.1, "share of a company's customers that switch to a cheaper competitor"),
  stockoutLoss: probability(
    0.5,
    'share of the customers a company left unserved (out of stock) that switch to a competitor with stock',
  ),
  sizeVolatility: Type.Number({
    minimum: 0,
    maximum: 0.5,
    default: 0,
    description:
      "each turn a company's customers grow or shrink by a uniform random share within +-this, whatever its size (Gibrat's law; 0: off)",
  }),
  maxDrift: Type.Number({
    minimum: 0,
    maximum: 0.9,
    default: 0.5,
    description: 'bound of the price drift: a product is listed at its price times [1-d, 1+d]',
  }),
});

export const EventsSchema = section({
  interval: count(10, 1, 'events are drawn every this many turns'),
  budgetRefill: section({
    probability: probability(
      0,
      "chance the event fires on an event turn (an injection: off by default; none past the world's 2^51 cents)",
    ),
    min: amount(500, 'smallest amount one company receives'),
    max: amount(2_000, 'largest amount one company receives'),
  }),
  restock: section({
    probability: probability(0, 'chance the event fires on an event turn (an injection: off by default)'),
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
    probability: probability(0, 'chance the event fires on an event turn (an injection: off by default)'),
    supplierProbability: probability(0.5, 'chance each supplier is refilled'),
    productProbability: probability(0.5, 'chance each of its stocked products is refilled'),
    min: count(5, 0, 'fewest units added'),
    max: count(30, 0, 'most units added'),
  }),
  supplierOutage: section({
    probability: probability(
      0,
      "chance on an event turn that a supplier's production breaks down (a plant fire, a strike, a failed line): drawn only when above 0",
    ),
    turnsMin: count(24, 1, 'fewest turns an outage lasts', 100_000),
    turnsMax: count(120, 1, 'most turns an outage lasts', 100_000),
    loadExponent: Type.Number({
      minimum: 0,
      maximum: 20,
      default: 0,
      description:
        "how the chance of an outage follows suppliers' load (what they expect to sell over the long-run sales they built capacity for): probability x mean load^loadExponent, the supplier drawn in proportion to its own; 0: a constant chance, any supplier alike",
    }),
    keep: probability(
      0,
      "share of each offer's production capacity the supplier keeps during its outage (0: it produces nothing; goods already in transit still arrive)",
    ),
  }),
});

export const BackordersSchema = section({
  patienceTurns: count(
    24,
    0,
    'turns a buyer waits for a purchase the market could not serve (out of stock, no supplier) before it cancels it (0: no backorders, such a purchase simply fails)',
    100_000,
  ),
  lateTurns: count(
    4,
    0,
    "an order waiting longer than this is late: the shop's promise, counted the turn an order passes it (4 hourly turns: 4 h)",
    100_000,
  ),
  maxPerProduct: count(
    1_000,
    0,
    'most orders waiting for one product; an order beyond it is dropped (counted) and fails as before',
    1_000_000,
  ),
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
    households: HouseholdsSchema,
    calendar: CalendarSchema,
    events: EventsSchema,
    timeline: TimelineSchema,
    backorders: BackordersSchema,
    report: ReportSchema,
  },
  { additionalProperties: false },
);

/** A validated, fully defaulted scenario. */
export type Scenario = Static<typeof ScenarioSchema>;
