import { counter as c, gauge as g, type MetricDefinition } from './metric-definition.js';

/** The business metrics: the run, budgets and companies, products, suppliers, households, SLOs. */
export const BUSINESS_METRICS = [
  // --- run ---
  g(
    'tradesim_info',
    '1',
    ['run_id', 'seed', 'scenario'],
    'Always 1; its labels name the run, its seed and its scenario.',
    'exporter',
  ),
  g('tradesim_turn', 'turn', [], 'Number of the last completed turn.'),
  g('tradesim_last_turn_timestamp_seconds', 'seconds', [], 'Unix time at which the last turn was published.'),
  c('tradesim_turns_total', 'turns', [], 'Turns played since the start.'),
  g(
    'tradesim_turns_per_second',
    'turns/s',
    [],
    'Turns per second over the statistics window (pacing and pauses included).',
  ),

  // --- budgets and companies ---
  g(
    'tradesim_budget',
    'currency units',
    ['stat'],
    'Company budgets: stat is total, mean, min, max, median or initial_total.',
  ),
  g(
    'tradesim_budget_gini',
    'ratio',
    [],
    'Gini coefficient of company budgets: 0 all equal, towards 1 one company holds all.',
  ),
  g(
    'tradesim_budget_to_initial_ratio',
    'ratio',
    [],
    'Total budget / initial total budget: 1 where it started, 0.1 at a tenth.',
  ),
  g(
    'tradesim_budget_evolution_ratio',
    'ratio',
    [],
    'Change of the total budget since the start, as a fraction of the initial total.',
  ),
  g(
    'tradesim_companies',
    'companies',
    ['state'],
    'Companies by budget state: insolvent, struggling, stable, prosperous.',
  ),
  g('tradesim_companies_by_strategy', 'companies', ['strategy'], 'Companies by purchasing strategy.'),
  g('tradesim_companies_by_continent', 'companies', ['continent'], 'Companies by continent.'),
  g(
    'tradesim_company_spent',
    'currency units',
    ['company', 'name'],
    'Money a company spent since the start; the top spenders by name, the rest summed under __other__.',
  ),
  g(
    'tradesim_company_budget',
    'currency units',
    ['company', 'name'],
    'Budget of each top spender; the rest summed under __other__.',
  ),
  g(
    'tradesim_company_info',
    '1',
    ['company', 'name', 'continent', 'strategy'],
    'Always 1 for each top spender listed by the per-company families; its labels say where it is and how it buys (join on company).',
  ),

  // --- products and prices ---
  g('tradesim_products', 'products', ['status'], 'Products by status: active or inactive.'),
  g('tradesim_products_active_by_type', 'products', ['type'], 'Active products by product type.'),
  g(
    'tradesim_products_inflated',
    'products',
    ['phase'],
    'Products on an inflation curve: hold (at the peak) or decline (returning).',
  ),
  g(
    'tradesim_product_price',
    'currency units',
    ['type', 'stat'],
    'Current prices by product type (all = every product): stat is mean, min or max.',
  ),
  g('tradesim_price_index', 'index', [], 'Price index: 100 x sum of current prices / sum of base prices.'),
  g(
    'tradesim_price_volatility_ratio',
    'ratio',
    [],
    'Coefficient of variation of the price index over the statistics window.',
  ),
  g(
    'tradesim_product_units_sold',
    'units',
    ['product', 'name'],
    'Units sold since the start; the best sellers by name, the rest summed under __other__.',
  ),
  g(
    'tradesim_product_info',
    '1',
    ['product', 'name', 'type'],
    'Always 1 for each best seller listed by the per-product families; its labels give its type (join on product).',
  ),
  g(
    'tradesim_product_current_price',
    'currency units',
    ['product', 'name'],
    'Current price of each best seller; __other__ is the mean price of the rest.',
  ),

  // --- suppliers and stock ---
  g('tradesim_supplier_stock_units', 'units', ['type'], 'Units in suppliers’ stock by product type.'),
  g(
    'tradesim_out_of_stock_products',
    'products',
    [],
    'Products stocked by some supplier but with no unit left anywhere.',
  ),
  g('tradesim_out_of_stock_offers', 'offers', [], 'Offers (one product at one supplier) with no unit left.'),
  g('tradesim_suppliers', 'suppliers', [], 'Suppliers in the market.'),
  g('tradesim_suppliers_with_stock', 'suppliers', [], 'Suppliers holding at least one unit.'),
  g(
    'tradesim_supplier_units_sold',
    'units',
    ['supplier', 'name'],
    'Units each supplier sold since the start; those that sold most by name, the rest summed under __other__.',
  ),
  g(
    'tradesim_supplier_held_stock_units',
    'units',
    ['supplier', 'name'],
    'Units each supplier listed by tradesim_supplier_units_sold holds now; the rest summed under __other__.',
  ),
  g(
    'tradesim_supplier_info',
    '1',
    ['supplier', 'name', 'continent'],
    'Always 1 for each supplier listed by the per-supplier families; its labels say where it is (join on supplier).',
  ),

  // --- households, supply in transit, exits and entries ---
  g(
    'tradesim_demand_index',
    'index',
    [],
    "Households' demand index this turn: 1 is normal; the business cycle and shocks move it.",
  ),
  g(
    'tradesim_household_money',
    'currency units',
    [],
    'Money households hold: what they spend on companies is their revenue.',
  ),
  c('tradesim_revenue_total', 'currency units', [], 'Money households paid companies for goods since the start.'),
  c('tradesim_consumed_units_total', 'units', [], 'Units households bought from companies since the start.'),
  g(
    'tradesim_household_units_asked',
    'units',
    [],
    'Units households asked of companies this turn, bought or not for lack of stock.',
  ),
  g(
    'tradesim_simulated_time_seconds',
    'seconds',
    [],
    'Simulated time at which the turn started (the scenario calendar), seconds since the Unix epoch.',
  ),
  g('tradesim_orders_in_transit_units', 'units', [], 'Units suppliers ordered that have not arrived yet.'),
  g('tradesim_fill_ratio', 'ratio', [], "Units bought / units wanted by the last turn's buyers (1 without buyers)."),
  g(
    'tradesim_paid_price_index',
    'index',
    [],
    'Prices actually paid in the last turn: 100 x amount paid / the same units at base prices.',
  ),
  c('tradesim_company_exits_total', 'companies', [], 'Companies that left the market insolvent since the start.'),
  c('tradesim_company_entries_total', 'companies', [], 'New companies that took an empty slot since the start.'),
  g('tradesim_companies_active', 'companies', [], 'Companies in the market (slots not left empty by an exit).'),
  g('tradesim_shocks_in_force', 'shocks', [], 'Timeline shocks in force after the last turn, scheduled or live.'),

  // --- business SLOs (one series per SLO of the scenario) ---
  g('tradesim_slo_objective_ratio', 'ratio', ['slo'], 'Share of the events an SLO wants good (0.95: 95 %).'),
  c('tradesim_slo_events_total', 'events', ['slo'], "Events an SLO counted since the start (its total figure's sum)."),
  c(
    'tradesim_slo_good_events_total',
    'events',
    ['slo'],
    "Good events an SLO counted since the start (its good figure's sum).",
  ),
  g('tradesim_slo_sli_ratio', 'ratio', ['slo'], "Good / all events over the SLO's window (NaN without events)."),
  g(
    'tradesim_slo_error_budget_remaining_ratio',
    'ratio',
    ['slo'],
    "Error budget left over the SLO's window: 1 untouched, 0 spent, below 0 overspent.",
  ),
  g(
    'tradesim_slo_burn_rate',
    'ratio',
    ['slo', 'window'],
    'Error ratio over the window / the ratio the SLO allows: 1 spends the budget in exactly the SLO window.',
  ),
] as const satisfies readonly MetricDefinition[];
