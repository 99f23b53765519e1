import { COMPANY_STATES } from '../../services/index.js';
import { CONTINENTS, PRODUCT_TYPES, STRATEGIES } from '../../simulation/index.js';
import { byKey, fromFold, fromSnapshot, listed, one } from './readers.js';
import { counter as c, gauge as g, type MetricDefinition } from './metric-definition.js';

/** The business metrics of the run, budgets and companies, products and prices (the market's in market-metrics.ts). */
// Every declaration has one shape (name, unit, labels, help, reader): the list is data.
export const BUSINESS_METRICS = [
  // --- run ---
  g(
    'tradesim_info',
    '1',
    ['run_id', 'seed', 'scenario'],
    'Always 1; its labels name the run, its seed and its scenario.',
    {
      group: 'exporter',
      read: fromSnapshot((s) => [[{ run_id: s.runId, seed: String(s.seed), scenario: s.scenario }, 1]]),
    },
  ),
  g('tradesim_turn', 'turn', [], 'Number of the last completed turn.', { read: fromSnapshot((s) => one(s.turn)) }),
  g('tradesim_last_turn_timestamp_seconds', 'seconds', [], 'Unix time at which the last turn was published.', {
    read: fromSnapshot((s) => one(s.publishedAtMs / 1000)),
  }),
  c('tradesim_turns_total', 'turns', [], 'Turns played since the start.', { read: fromSnapshot((s) => one(s.turn)) }),
  g(
    'tradesim_turns_per_second',
    'turns/s',
    [],
    'Turns per second over the statistics window (pacing and pauses included; no sample on the first turn).',
    { read: fromSnapshot((s) => one(s.performance.window.turnsPerSecond)) },
  ),

  // --- budgets and companies ---
  g(
    'tradesim_budget',
    'currency units',
    ['stat'],
    'Company budgets: stat is total, mean, min, max, median or initial_total; mean to median over the companies in the market (no sample with none).',
    {
      read: fromSnapshot((s) => [
        [{ stat: 'total' }, s.budget.total],
        [{ stat: 'mean' }, s.budget.mean],
        [{ stat: 'min' }, s.budget.min],
        [{ stat: 'max' }, s.budget.max],
        [{ stat: 'median' }, s.budget.median],
        [{ stat: 'initial_total' }, s.budget.initialTotal],
      ]),
    },
  ),
  g(
    'tradesim_budget_gini',
    'ratio',
    [],
    'Gini coefficient of the budgets of the companies in the market: 0 all equal, towards 1 one company holds all (no sample with none, or none holding money).',
    { read: fromSnapshot((s) => one(s.budget.gini)) },
  ),
  g(
    'tradesim_budget_to_initial_ratio',
    'ratio',
    [],
    'Total budget / initial total budget: 1 where it started, 0.1 at a tenth (no sample when the world started with none).',
    {
      read: fromSnapshot((s) => one(s.budget.initialTotal === 0 ? Number.NaN : s.budget.total / s.budget.initialTotal)),
    },
  ),
  g(
    'tradesim_budget_evolution_ratio',
    'ratio',
    [],
    'Change of the total budget since the start, as a fraction of the initial total (no sample when that is 0).',
    { read: fromSnapshot((s) => one(s.budget.evolutionPercent / 100)) },
  ),
  g(
    'tradesim_companies',
    'companies',
    ['state'],
    "Company slots by budget state: insolvent, struggling, stable, prosperous; an exited company's empty slot counts insolvent until an entrant takes it.",
    { read: fromSnapshot((s) => byKey('state', COMPANY_STATES, (k) => s.budget.companiesByState[k])) },
  ),
  g('tradesim_companies_by_strategy', 'companies', ['strategy'], 'Companies by purchasing strategy.', {
    read: fromSnapshot((s) => byKey('strategy', STRATEGIES, (k) => s.company.byStrategy[k])),
  }),
  g('tradesim_companies_by_continent', 'companies', ['continent'], 'Companies by continent.', {
    read: fromSnapshot((s) => byKey('continent', CONTINENTS, (k) => s.company.byContinent[k])),
  }),
  g(
    'tradesim_company_spent',
    'currency units',
    ['company', 'name'],
    'Money a company spent since the start; the top spenders by name, the rest summed under __other__.',
    {
      read: fromFold('companySpent', 'company'),
    },
  ),
  g(
    'tradesim_company_budget',
    'currency units',
    ['company', 'name'],
    'Budget of each top spender; the rest summed under __other__.',
    {
      read: fromFold('companyBudget', 'company'),
    },
  ),
  g(
    'tradesim_company_info',
    '1',
    ['company', 'name', 'continent', 'strategy'],
    'Always 1 for each top spender listed by the per-company families; its labels say where it is and how it buys (join on company).',
    {
      read: fromSnapshot((s, src) =>
        listed(s.company.topBySpend, src).map(
          (c) => [{ company: c.id, name: c.name, continent: c.continent, strategy: c.strategy }, 1] as const,
        ),
      ),
    },
  ),

  // --- products and prices ---
  g('tradesim_products', 'products', ['status'], 'Products by status: active or inactive.', {
    read: fromSnapshot((s) => [
      [{ status: 'active' }, s.product.active],
      [{ status: 'inactive' }, s.product.inactive],
    ]),
  }),
  g('tradesim_products_active_by_type', 'products', ['type'], 'Active products by product type.', {
    read: fromSnapshot((s) => byKey('type', PRODUCT_TYPES, (k) => s.product.activeByType[k])),
  }),
  g(
    'tradesim_products_inflated',
    'products',
    ['phase'],
    'Products on an inflation curve: hold (at the peak) or decline (returning).',
    {
      read: fromSnapshot((s) => [
        [{ phase: 'hold' }, s.product.inflated],
        [{ phase: 'decline' }, s.product.declining],
      ]),
    },
  ),
  g(
    'tradesim_product_price',
    'currency units',
    ['type', 'stat'],
    'Current prices by product type (all = every product): stat is mean, min or max (no sample for a type with no product).',
    {
      read: fromSnapshot((s) =>
        (['all', ...PRODUCT_TYPES] as const).flatMap((type) => {
          const range = type === 'all' ? s.product.price : s.product.priceByType[type];
          return (['mean', 'min', 'max'] as const).map((stat) => [{ type, stat }, range[stat]] as const);
        }),
      ),
    },
  ),
  g(
    'tradesim_price_index',
    'index',
    [],
    'Price index: 100 x sum of current prices / sum of base prices (no sample with no product listed).',
    {
      read: fromSnapshot((s) => one(s.product.priceIndex)),
    },
  ),
  g(
    'tradesim_price_volatility_ratio',
    'ratio',
    [],
    'Coefficient of variation of the price index over the statistics window (no sample before it holds two turns).',
    { read: fromSnapshot((s) => one(s.product.volatility)) },
  ),
  g(
    'tradesim_product_units_sold',
    'units',
    ['product', 'name'],
    'Units sold since the start; the best sellers by name, the rest summed under __other__.',
    {
      read: fromFold('productUnitsSold', 'product'),
    },
  ),
  g(
    'tradesim_product_info',
    '1',
    ['product', 'name', 'type'],
    'Always 1 for each best seller listed by the per-product families; its labels give its type (join on product).',
    {
      read: fromSnapshot((s, src) =>
        listed(s.product.topBySales, src).map((p) => [{ product: p.id, name: p.name, type: p.type }, 1] as const),
      ),
    },
  ),
  g(
    'tradesim_product_current_price',
    'currency units',
    ['product', 'name'],
    'Current price of each best seller; __other__ is the mean price of the rest.',
    {
      read: fromFold('productPrice', 'product'),
    },
  ),
] as const satisfies readonly MetricDefinition[];
