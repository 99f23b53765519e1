/**
 * Every metric TradeSim exports, declared once: name, type, unit, labels and help. The
 * registries are built from this list and the table in docs/metrics.md is generated from it
 * (`npm run docs:metrics`). prom-client's default process metrics come on top, under
 * their standard names.
 */

import { FULFILMENT_BUCKETS } from '../../services/index.js';

/** Where a metric's values come from. */
export type MetricGroup = 'business' | 'exporter' | 'http' | 'system';

/** One metric's declaration. */
export interface MetricDefinition {
  readonly name: string;
  readonly type: 'gauge' | 'counter' | 'histogram' | 'summary';
  /** What one unit of the value is, for the docs. */
  readonly unit: string;
  readonly labels: readonly string[];
  readonly help: string;
  readonly group: MetricGroup;
  readonly buckets?: readonly number[];
  readonly percentiles?: readonly number[];
}

/** The label value entities beyond the cardinality budget fold into. */
export const OTHER_LABEL = '__other__';
/** The route label of requests that match no route. */
export const UNMATCHED_ROUTE = '__unmatched__';
/** The outputs a run goes on without when they fail: the `output` label of tradesim_output_errors_total. */
export const OUTPUT_KINDS = ['jsonl', 'events', 'checkpoint', 'push'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

const g = (
  name: string,
  unit: string,
  labels: readonly string[],
  help: string,
  group: MetricGroup = 'business',
): MetricDefinition => ({ name, type: 'gauge', unit, labels, help, group });
const c = (
  name: string,
  unit: string,
  labels: readonly string[],
  help: string,
  group: MetricGroup = 'business',
): MetricDefinition => ({ name, type: 'counter', unit, labels, help, group });

export const METRICS = [
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

  // --- transactions ---
  c(
    'tradesim_transactions_total',
    'transactions',
    ['outcome', 'reason'],
    'Purchase attempts since the start: outcome success (reason none) or failure with its reason.',
  ),
  c('tradesim_traded_amount_total', 'currency units', [], 'Money paid in successful purchases since the start.'),
  c('tradesim_traded_units_total', 'units', [], 'Units bought in successful purchases since the start.'),
  g(
    'tradesim_transaction_success_ratio',
    'ratio',
    [],
    'Successful purchase attempts / attempts in the last turn (0 without attempts).',
  ),
  g(
    'tradesim_transactions_per_second',
    'transactions/s',
    [],
    'Purchase attempts per second over the statistics window.',
  ),
  {
    name: 'tradesim_transaction_amount',
    type: 'histogram',
    unit: 'currency units',
    labels: [],
    help: 'Amount of each successful purchase (worlds that keep the transaction list).',
    group: 'business',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000],
  },
  {
    name: 'tradesim_transaction_quantity_units',
    type: 'histogram',
    unit: 'units',
    labels: [],
    help: 'Units in each successful purchase (worlds that keep the transaction list).',
    group: 'business',
    buckets: [1, 2, 3, 5, 10, 20, 50, 100],
  },

  // --- orders that wait (backorders) ---
  c(
    'tradesim_orders_total',
    'orders',
    ['outcome'],
    'Backorders since the start, by outcome: placed (queued when every offer was out of stock), filled, cancelled (patience, a buyer that cannot pay, an exit), dropped (a full queue), late (turned late while waiting).',
  ),
  g('tradesim_order_backlog_orders', 'orders', [], 'Backorders waiting after the last turn.'),
  g('tradesim_order_backlog_units', 'units', [], 'Units the waiting backorders wait for.'),
  g(
    'tradesim_order_backlog_value',
    'currency units',
    [],
    "Units the waiting backorders wait for, at their products' current prices.",
  ),
  g(
    'tradesim_order_oldest_age_seconds',
    'seconds',
    [],
    'Simulated seconds the oldest waiting backorder has waited (0 when none waits).',
  ),
  {
    name: 'tradesim_order_fulfilment_seconds',
    type: 'histogram',
    unit: 'seconds',
    labels: [],
    help: 'Simulated seconds each filled backorder waited, from the turn it was placed to the turn its last unit came (turns x the calendar turn).',
    group: 'business',
    // The services keep these buckets (an hour to a week): one list for both.
    buckets: FULFILMENT_BUCKETS.map(([, le]) => le),
  },

  // --- events and alerts ---
  c('tradesim_events_total', 'events', ['type'], 'Market events applied since the start, by type.'),
  g(
    'tradesim_alerts_active',
    'alerts',
    ['rule', 'severity', 'state'],
    'In-process threshold alerts now pending or firing (1 per rule).',
  ),
  c(
    'tradesim_alert_transitions_total',
    'transitions',
    ['rule', 'state'],
    'Alert state changes since the start, by rule and the state entered.',
  ),
  g(
    'tradesim_alert_firing',
    'alerts',
    ['rule', 'severity', 'fired_turn'],
    'One series per in-process firing: 1 while it fires and for --alert-hold seconds after it resolves, so Prometheus sees even a one-turn firing exactly once.',
  ),
  c(
    'tradesim_alert_firings_dropped_total',
    'firings',
    ['rule'],
    'Resolved firings dropped before their hold ended (more than 20 of one rule held at once).',
  ),

  // --- engine and services performance ---
  c(
    'tradesim_turn_phase_seconds_total',
    'seconds',
    ['phase'],
    'Time spent in each phase of the turns since the start: prices, purchases, market, events, and services (the figures and alerts of the turn before).',
  ),
  {
    name: 'tradesim_turn_duration_seconds',
    type: 'histogram',
    unit: 'seconds',
    labels: [],
    help: 'Time the engine took for one turn (prices, purchases, market, events).',
    group: 'business',
    // From the default world (microseconds) to the stress world (tens of milliseconds).
    buckets: [
      0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
    ],
  },
  {
    name: 'tradesim_turn_duration_quantiles_seconds',
    type: 'summary',
    unit: 'seconds',
    labels: [],
    help: 'Time the engine took for one turn, as quantiles over the turns the services keep in history (200 by default).',
    group: 'business',
    percentiles: [0.5, 0.9, 0.99],
  },
  g('tradesim_stats_cache_hit_ratio', 'ratio', [], 'Hits / lookups of the statistics cache since the start.'),
  c(
    'tradesim_subscriber_errors_total',
    'errors',
    [],
    'Errors thrown by turn-loop subscribers (counted, not fatal).',
    'exporter',
  ),

  // --- JSONL ---
  c('tradesim_jsonl_lines_written_total', 'lines', [], 'Snapshot lines handed to the JSONL writer.', 'exporter'),
  c(
    'tradesim_jsonl_write_errors_total',
    'errors',
    [],
    'JSONL lines or writes that failed (the simulation goes on).',
    'exporter',
  ),
  c(
    'tradesim_output_errors_total',
    'errors',
    ['output'],
    'Failures the run went on through, by output: JSONL and event-log lines lost (jsonl, events), checkpoints not written (checkpoint), pushes failed (push).',
    'exporter',
  ),
  c(
    'tradesim_jsonl_write_seconds_total',
    'seconds',
    [],
    'Time spent making JSONL lines and queueing them for the file, between turns on the loop thread.',
    'exporter',
  ),

  // --- HTTP (RED) ---
  c(
    'tradesim_http_requests_total',
    'requests',
    ['method', 'route', 'status'],
    'HTTP requests served, by method, route template (__unmatched__ for unknown paths) and status.',
    'http',
  ),
  {
    name: 'tradesim_http_request_duration_seconds',
    type: 'histogram',
    unit: 'seconds',
    labels: ['method', 'route'],
    help: 'Time to serve an HTTP request, by method and route template.',
    group: 'http',
    buckets: [0.000_1, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  },
  g('tradesim_http_requests_in_flight', 'requests', [], 'HTTP requests being served now.', 'http'),

  // --- system (node:os and process, sampled in the background) ---
  g(
    'tradesim_process_cpu_ratio',
    'ratio',
    [],
    'CPU time of this process over the last sample interval, in CPUs (1 = one core busy).',
    'system',
  ),
  g(
    'tradesim_machine_cpu_ratio',
    'ratio',
    [],
    'Busy share of the machine’s CPUs over the last sample interval.',
    'system',
  ),
  g(
    'tradesim_process_resident_memory_sampled_bytes',
    'bytes',
    [],
    'Resident memory of this process at the last sample.',
    'system',
  ),
  g('tradesim_process_heap_used_bytes', 'bytes', [], 'V8 heap in use at the last sample.', 'system'),
  g(
    'tradesim_machine_memory_used_bytes',
    'bytes',
    [],
    'Machine memory in use (total - available) at the last sample.',
    'system',
  ),
  g('tradesim_machine_memory_total_bytes', 'bytes', [], 'Machine memory in total.', 'system'),
  g('tradesim_system_sample_timestamp_seconds', 'seconds', [], 'Unix time of the last system sample.', 'system'),
] as const satisfies readonly MetricDefinition[];

/** A metric's name. */
export type MetricName = (typeof METRICS)[number]['name'];
