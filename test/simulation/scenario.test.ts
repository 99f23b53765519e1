import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultScenario,
  distinctProblems,
  loadScenario,
  readJsonObject,
  ScenarioSchema,
  shapeProblems,
  type TradeSimError,
} from '../../src/simulation/index.js';

function problemsOf(input: unknown): readonly string[] {
  try {
    loadScenario(input);
  } catch (error) {
    expect((error as TradeSimError).code).toBe('TRADESIM_ERR_SCENARIO_INVALID');
    return (error as TradeSimError).problems;
  }
  throw new Error('scenario was accepted');
}

/** [what is wrong, the input, a problem that must be listed]. */
const MALFORMED: readonly (readonly [string, unknown, string])[] = [
  ['not JSON at all', 'companies: 3', '(root): not valid JSON'],
  ['truncated JSON', '{"companies": {', '(root): not valid JSON'],
  ['an array', '[]', '(root): must be an object'],
  ['a number', 42, '(root): must be an object'],
  ['null', 'null', '(root): must be an object'],
  ['unknown top-level key', { companys: {} }, 'companys: unknown key'],
  ['unknown nested key', { events: { inflation: { percent: 3 } } }, 'events.inflation.percent: unknown key'],
  ['count as a string', { companies: { count: '3' } }, 'companies.count: must be an integer'],
  ['count as a fraction', { companies: { count: 2.5 } }, 'companies.count: must be an integer'],
  ['zero companies', { companies: { count: 0 } }, 'companies.count: must be >= 1'],
  ['zero products', { products: { count: 0 } }, 'products.count: must be >= 1'],
  ['negative suppliers', { suppliers: { count: -2 } }, 'suppliers.count: must be >= 1'],
  ['section as a number', { market: 5 }, 'market: must be an object'],
  ['probability above 1', { market: { selectionProbability: 1.5 } }, 'market.selectionProbability: must be <= 1'],
  ['probability below 0', { events: { restock: { probability: -0.1 } } }, 'events.restock.probability: must be >= 0'],
  ['zero price', { products: { priceMin: 0 } }, 'products.priceMin: must be >= 0.01'],
  // Base prices are drawn in whole cents: a tenth of a cent would be a price of 0.
  ['a price under a cent', { products: { priceMin: 0.001, priceMax: 0.004 } }, 'products.priceMin: must be >= 0.01'],
  ['budget min > max', { companies: { budgetMin: 9, budgetMax: 3 } }, 'companies.budgetMin: must be <= budgetMax'],
  ['quantity min > max', { market: { quantityMin: 9, quantityMax: 3 } }, 'market.quantityMin: must be <= quantityMax'],
  [
    'inflation min > max',
    { events: { inflation: { minPercent: 30, maxPercent: 10 } } },
    'events.inflation.minPercent: must be <= maxPercent',
  ],
  ['refill min > max', { events: { budgetRefill: { min: 5, max: 1 } } }, 'events.budgetRefill.min: must be <= max'],
  [
    'suppliers stock more products than exist',
    { products: { count: 3 }, suppliers: { productsMin: 1, productsMax: 4 } },
    'suppliers.productsMax: must be <= products.count',
  ],
  ['zero event interval', { events: { interval: 0 } }, 'events.interval: must be >= 1'],
  ['zero decline turns', { events: { inflation: { declineTurns: 0 } } }, 'events.inflation.declineTurns: must be >= 1'],
  ['elasticity too large', { suppliers: { stockElasticity: 2 } }, 'suppliers.stockElasticity: must be <= 0.9'],
  ['transactions flag as a string', { report: { transactions: 'no' } }, 'report.transactions: must be true or false'],
  [
    'all type weights zero',
    { products: { typeWeights: { raw_material: 0, consumable: 0, finished_good: 0 } } },
    'products.typeWeights: at least one weight must be > 0',
  ],
  ['empty name', { name: '' }, 'name: must not be empty'],
  [
    'more money than whole cents hold exactly',
    { companies: { count: 100_000, budgetMin: 1e9, budgetMax: 1e9 } },
    'companies.budgetMax: companies.count x companies.budgetMax x (1 + households.moneyShare), the money a world starts with, must be <=',
  ],
];

describe('loadScenario', () => {
  it.each(MALFORMED)('refuses %s', (_what, input, problem) => {
    expect(problemsOf(input).some((p) => p.startsWith(problem))).toBe(true);
  });

  it.each([
    [{ calendar: { hourly: [1, 2, 3] } }, ['calendar.hourly: must have 24 items']],
    // An empty list is the wrong length, not a list of zeros.
    [{ calendar: { weekly: [] } }, ['calendar.weekly: must have 7 items']],
    // A count past a double's range is out of its own bounds: no product of it said as well.
    [{ companies: { count: 1e308 } }, ['companies.count: must be <= 1000000']],
  ])('says %j in the words of what is wrong, once', (input, problems) => {
    expect(problemsOf(input)).toEqual(problems);
  });

  it('says the first ten problems of a file in its message and counts the rest, keeping all of them', () => {
    const keys = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 1]));
    let error: TradeSimError | undefined;
    try {
      loadScenario(JSON.stringify({ market: keys }));
    } catch (e) {
      error = e as TradeSimError;
    }
    expect(error?.problems).toHaveLength(5_000);
    expect(error?.message).toBe(
      `invalid scenario: ${Array.from({ length: 10 }, (_, i) => `market.k${i}: unknown key`).join('; ')}; and 4990 more`,
    );
  });

  it('lists every problem of a file at once, type errors and cross-field rules together', () => {
    const problems = problemsOf({
      companies: { count: 'many', budgetMin: 10, budgetMax: 1 },
      market: { selectionProbability: 2 },
      extra: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'companies.count: must be an integer',
        'market.selectionProbability: must be <= 1',
        'extra: unknown key',
        'companies.budgetMin: must be <= budgetMax',
      ]),
    );
  });

  it('fills every missing key with its default and freezes the result', () => {
    const scenario = loadScenario('{"companies": {"count": 7}}');
    expect(scenario.companies.count).toBe(7);
    expect(scenario.companies.budgetMin).toBe(defaultScenario().companies.budgetMin);
    expect(scenario.events.inflation.holdTurns).toBe(5);
    expect(Object.isFrozen(scenario)).toBe(true);
    expect(Object.isFrozen(scenario.events.inflation)).toBe(true);
  });

  it('does not change the object it was given', () => {
    const input = { companies: { count: 2 } };
    loadScenario(input);
    expect(input).toEqual({ companies: { count: 2 } });
  });

  it('accepts every preset shipped in scenarios/', () => {
    const names = readdirSync('scenarios').filter((f) => f.endsWith('.json'));
    expect(names.sort()).toEqual(['classic.json', 'crisis.json', 'default.json', 'large.json', 'stress.json']);
    for (const file of names) {
      const scenario = loadScenario(readFileSync(`scenarios/${file}`, 'utf8'));
      expect(scenario.name).toBe(file.replace('.json', ''));
    }
    expect(loadScenario(readFileSync('scenarios/large.json', 'utf8')).companies.count).toBe(10_000);
    expect(loadScenario(readFileSync('scenarios/stress.json', 'utf8')).companies.count).toBe(100_000);
  });
});

describe('reading a scenario file safely', () => {
  it('takes a byte order mark, refuses deep nesting, and a wrong JSON type where a section goes', () => {
    expect(readJsonObject('\uFEFF{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(readJsonObject(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`)).toMatchObject({ ok: false });
    expect(shapeProblems(ScenarioSchema, { companies: [], market: 3, events: { inflation: [] } }, '')).toEqual([
      'companies: must be an object',
      'market: must be an object',
      'events.inflation: must be an object',
    ]);
    expect(distinctProblems(['r.op: is required', 'r.op: must be one of <, >', 'r.x: must be a number'])).toEqual([
      'r.op: is required',
      'r.x: must be a number',
    ]);
  });

  it('bounds every size and amount a file can ask for', () => {
    const problemsOf = (input: object) => {
      try {
        loadScenario(input);
        return [];
      } catch (error) {
        return [...(error as TradeSimError).problems];
      }
    };
    expect(problemsOf({ companies: { count: 2_000_000 } })).toContain('companies.count: must be <= 1000000');
    // The pipeline is offers x lead time: 10 k suppliers x 1,000 products x 1,000 turns.
    expect(
      problemsOf({
        suppliers: { count: 10_000, productsMin: 1, productsMax: 1_000, leadTurns: 1_000 },
        products: { count: 1_000 },
      }),
    ).toEqual([
      'suppliers.leadTurns: offers (suppliers.count x suppliers.productsMax + products.count) x suppliers.leadTurns (orders in transit) must be <= 20000000, got 10001000000',
    ]);
    // The products no supplier draws get an offer each: counted, one supplier of one product
    // among 100,000 is 100,000 offers.
    expect(
      problemsOf({
        companies: { count: 1 },
        products: { count: 100_000 },
        suppliers: { count: 1, productsMin: 1, productsMax: 1, leadTurns: 1_000 },
      }),
    ).toEqual([
      'suppliers.leadTurns: offers (suppliers.count x suppliers.productsMax + products.count) x suppliers.leadTurns (orders in transit) must be <= 20000000, got 100001000',
    ]);
    expect(
      problemsOf({ suppliers: { count: 100_000, productsMin: 200, productsMax: 200 }, products: { count: 200 } }),
    ).toEqual([
      "suppliers.count: suppliers.count x suppliers.productsMax must be <= 10000000 (the world's size), got 20000000",
    ]);
    // Goods the world opens with stay exact in whole units: its money at a cent a unit, for
    // 2,000 turns in stock and in transit, is 2.2 x 10^18 units.
    expect(
      problemsOf({
        companies: { count: 1, budgetMin: 1e9, budgetMax: 1e9 },
        households: { moneyShare: 11_000 },
        products: { count: 1, priceMin: 0.01, priceMax: 0.01 },
        suppliers: { count: 1, productsMin: 1, productsMax: 1, initialCover: 1_000, leadTurns: 1_000 },
      }),
    ).toEqual([
      'suppliers.initialCover: the money a world starts with, at products.priceMin, for initialCover + leadTurns turns must be <= 1125899906842624 units (whole units stay exact), got 2200200000000000000',
    ]);
    expect(problemsOf(JSON.parse(readFileSync('scenarios/stress.json', 'utf8')) as object)).toEqual([]);
  });
});
