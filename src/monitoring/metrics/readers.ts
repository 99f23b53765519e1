import { BURN_WINDOWS, COMPANY_STATES, FULFILMENT_BUCKETS, type TurnSnapshot } from '../../services/index.js';
import { CONTINENTS, EVENT_TYPES, FAILURE_REASONS, PRODUCT_TYPES, STRATEGIES } from '../../simulation/index.js';
import type { Firing } from '../alert-firings.js';
import type { SystemSample } from '../system-sampler.js';
import { OUTPUT_KINDS } from './catalogue.js';
import { foldEntities } from './entity-fold.js';
import type { PulledSample } from './pulled-metric.js';

/** One sample of a metric: its labels and its value. */
export type Sample = readonly [labels: Readonly<Record<string, string>>, value: number];

/** Everything the pull-based metrics read at scrape time. */
export interface ScrapeSource {
  readonly snapshot: TurnSnapshot | undefined;
  readonly seriesBudget: number;
  /** Cumulative alert transitions by rule and state entered. */
  readonly alertTransitions: ReadonlyMap<string, { rule: string; state: string; count: number }>;
  /** Seconds spent in each turn phase since the start. */
  readonly phaseSeconds: Readonly<Record<string, number>>;
  /** In-process firings to forward: still firing or recently resolved. */
  readonly firings: readonly Firing[];
  /** Resolved firings dropped before their hold ended, by rule. */
  readonly firingsDropped: ReadonlyMap<string, number>;
  readonly jsonl:
    { readonly linesWritten: number; readonly writeErrors: number; readonly busySeconds: number } | undefined;
  readonly system: SystemSample | undefined;
  /** Failures the run went on through, by output (jsonl, events, checkpoint, push). */
  readonly outputErrors: Readonly<Record<string, number>> | undefined;
}

type Reader = (source: ScrapeSource) => readonly Sample[];
type SnapshotReader = (snapshot: TurnSnapshot, source: ScrapeSource) => readonly Sample[];

/** One sample; none when the value is absent (NaN: nothing to measure this turn). */
const one = (value: number): readonly Sample[] => (Number.isNaN(value) ? [] : [[{}, value]]);
/** A reader of the turn snapshot: nothing before the first turn. */
const fromSnapshot =
  (read: SnapshotReader): Reader =>
  (source) =>
    source.snapshot ? read(source.snapshot, source) : [];
/** One sample per SLO of the scenario. */
const bySlo = (values: Readonly<Record<string, number>>): Sample[] =>
  Object.entries(values).map(([slo, value]) => [{ slo }, value] as const);
const byKey = <K extends string>(label: string, keys: readonly K[], value: (k: K) => number): Sample[] =>
  keys.map((k) => [{ [label]: k }, value(k)] as const);

/**
 * The histograms read from the snapshot's cumulative buckets (seconds), as the text exposition
 * writes them: `_bucket` by `le`, then `_sum` and `_count`.
 */
export const HISTOGRAM_READERS: Readonly<Record<string, (s: TurnSnapshot) => readonly PulledSample[]>> = {
  tradesim_order_fulfilment_seconds: (s) => {
    const f = s.market.orders.fulfilment;
    const name = 'tradesim_order_fulfilment_seconds';
    return [
      ...FULFILMENT_BUCKETS.map(([key, le]) => [{ le }, f.buckets[key], `${name}_bucket`] as const),
      [{ le: '+Inf' }, f.countTotal, `${name}_bucket`],
      [{}, f.sumSecondsTotal, `${name}_sum`],
      [{}, f.countTotal, `${name}_count`],
    ];
  },
};

/** How each gauge and counter is read. The other histograms and the summary are observed per turn instead. */
export const READERS: Readonly<Record<string, Reader>> = {
  tradesim_info: fromSnapshot((s) => [[{ run_id: s.runId, seed: String(s.seed), scenario: s.scenario }, 1]]),
  tradesim_turn: fromSnapshot((s) => one(s.turn)),
  tradesim_last_turn_timestamp_seconds: fromSnapshot((s) => one(s.publishedAtMs / 1000)),
  tradesim_turns_total: fromSnapshot((s) => one(s.turn)),
  tradesim_turns_per_second: fromSnapshot((s) => one(s.performance.window.turnsPerSecond)),

  tradesim_budget: fromSnapshot((s) => [
    [{ stat: 'total' }, s.budget.total],
    [{ stat: 'mean' }, s.budget.mean],
    [{ stat: 'min' }, s.budget.min],
    [{ stat: 'max' }, s.budget.max],
    [{ stat: 'median' }, s.budget.median],
    [{ stat: 'initial_total' }, s.budget.initialTotal],
  ]),
  tradesim_budget_gini: fromSnapshot((s) => one(s.budget.gini)),
  tradesim_budget_to_initial_ratio: fromSnapshot((s) =>
    one(s.budget.initialTotal === 0 ? 0 : s.budget.total / s.budget.initialTotal),
  ),
  tradesim_budget_evolution_ratio: fromSnapshot((s) => one(s.budget.evolutionPercent / 100)),
  tradesim_companies: fromSnapshot((s) => byKey('state', COMPANY_STATES, (k) => s.budget.companiesByState[k])),
  tradesim_companies_by_strategy: fromSnapshot((s) => byKey('strategy', STRATEGIES, (k) => s.company.byStrategy[k])),
  tradesim_companies_by_continent: fromSnapshot((s) => byKey('continent', CONTINENTS, (k) => s.company.byContinent[k])),
  tradesim_company_spent: fromSnapshot((s, src) =>
    foldEntities(s, src.seriesBudget).companySpent.map((e) => [{ company: e.id, name: e.name }, e.value] as const),
  ),
  tradesim_company_budget: fromSnapshot((s, src) =>
    foldEntities(s, src.seriesBudget).companyBudget.map((e) => [{ company: e.id, name: e.name }, e.value] as const),
  ),

  tradesim_company_info: fromSnapshot((s, src) =>
    s.company.topBySpend
      .slice(0, Math.max(0, src.seriesBudget - 1))
      .map((c) => [{ company: c.id, name: c.name, continent: c.continent, strategy: c.strategy }, 1] as const),
  ),
  tradesim_product_info: fromSnapshot((s, src) =>
    s.product.topBySales
      .slice(0, Math.max(0, src.seriesBudget - 1))
      .map((p) => [{ product: p.id, name: p.name, type: p.type }, 1] as const),
  ),

  tradesim_products: fromSnapshot((s) => [
    [{ status: 'active' }, s.product.active],
    [{ status: 'inactive' }, s.product.inactive],
  ]),
  tradesim_products_active_by_type: fromSnapshot((s) => byKey('type', PRODUCT_TYPES, (k) => s.product.activeByType[k])),
  tradesim_products_inflated: fromSnapshot((s) => [
    [{ phase: 'hold' }, s.product.inflated],
    [{ phase: 'decline' }, s.product.declining],
  ]),
  tradesim_product_price: fromSnapshot((s) =>
    (['all', ...PRODUCT_TYPES] as const).flatMap((type) => {
      const range = type === 'all' ? s.product.price : s.product.priceByType[type];
      return (['mean', 'min', 'max'] as const).map((stat) => [{ type, stat }, range[stat]] as const);
    }),
  ),
  tradesim_price_index: fromSnapshot((s) => one(s.product.priceIndex)),
  tradesim_price_volatility_ratio: fromSnapshot((s) => one(s.product.volatility)),
  tradesim_product_units_sold: fromSnapshot((s, src) =>
    foldEntities(s, src.seriesBudget).productUnitsSold.map((e) => [{ product: e.id, name: e.name }, e.value] as const),
  ),
  tradesim_product_current_price: fromSnapshot((s, src) =>
    foldEntities(s, src.seriesBudget).productPrice.map((e) => [{ product: e.id, name: e.name }, e.value] as const),
  ),

  tradesim_supplier_stock_units: fromSnapshot((s) => byKey('type', PRODUCT_TYPES, (k) => s.supplier.stockByType[k])),
  tradesim_out_of_stock_products: fromSnapshot((s) => one(s.supplier.outOfStockProducts)),
  tradesim_out_of_stock_offers: fromSnapshot((s) => one(s.supplier.outOfStockOffers)),
  tradesim_suppliers: fromSnapshot((s) => one(s.supplier.count)),
  tradesim_suppliers_with_stock: fromSnapshot((s) => one(s.supplier.suppliersWithStock)),
  tradesim_supplier_units_sold: fromSnapshot((s, src) =>
    foldEntities(s, src.seriesBudget).supplierUnitsSold.map(
      (e) => [{ supplier: e.id, name: e.name }, e.value] as const,
    ),
  ),
  tradesim_supplier_held_stock_units: fromSnapshot((s, src) =>
    foldEntities(s, src.seriesBudget).supplierStock.map((e) => [{ supplier: e.id, name: e.name }, e.value] as const),
  ),
  tradesim_supplier_info: fromSnapshot((s, src) =>
    s.supplier.topBySales
      .slice(0, Math.max(0, src.seriesBudget - 1))
      .map((e) => [{ supplier: e.id, name: e.name, continent: e.continent }, 1] as const),
  ),

  tradesim_transactions_total: fromSnapshot((s) => [
    [{ outcome: 'success', reason: 'none' }, s.transaction.totals.successes],
    ...FAILURE_REASONS.map(
      (r) => [{ outcome: 'failure', reason: r }, s.transaction.totals.failuresByReason[r]] as const,
    ),
  ]),
  tradesim_traded_amount_total: fromSnapshot((s) => one(s.transaction.totals.amount)),
  tradesim_traded_units_total: fromSnapshot((s) => one(s.transaction.totals.quantity)),
  tradesim_transaction_success_ratio: fromSnapshot((s) => one(s.transaction.successRate)),
  tradesim_transactions_per_second: fromSnapshot((s) => one(s.performance.window.transactionsPerSecond)),

  tradesim_demand_index: fromSnapshot((s) => one(s.market.demandIndex)),
  tradesim_household_money: fromSnapshot((s) => one(s.market.householdMoney)),
  tradesim_revenue_total: fromSnapshot((s) => one(s.market.revenueTotal)),
  tradesim_consumed_units_total: fromSnapshot((s) => one(s.market.consumedUnitsTotal)),
  tradesim_household_units_asked: fromSnapshot((s) => one(s.market.unitsAsked)),
  tradesim_simulated_time_seconds: fromSnapshot((s) => one(s.market.simulatedTime)),
  tradesim_orders_in_transit_units: fromSnapshot((s) => one(s.market.inTransit)),
  tradesim_fill_ratio: fromSnapshot((s) => one(s.market.fillRate)),
  tradesim_paid_price_index: fromSnapshot((s) => one(s.market.paidPriceIndex)),
  tradesim_company_exits_total: fromSnapshot((s) => one(s.market.exitsTotal)),
  tradesim_company_entries_total: fromSnapshot((s) => one(s.market.entriesTotal)),
  tradesim_companies_active: fromSnapshot((s) => one(s.market.activeCompanies)),
  tradesim_shocks_in_force: fromSnapshot((s) => one(s.market.shocksInForce)),
  tradesim_orders_total: fromSnapshot((s) => {
    const o = s.market.orders;
    return [
      [{ outcome: 'placed' }, o.placedTotal],
      [{ outcome: 'filled' }, o.filledTotal],
      [{ outcome: 'cancelled' }, o.cancelledTotal],
      [{ outcome: 'dropped' }, o.droppedTotal],
      [{ outcome: 'late' }, o.lateTotal],
    ];
  }),
  tradesim_order_backlog_orders: fromSnapshot((s) => one(s.market.orders.backlogOrders)),
  tradesim_order_backlog_units: fromSnapshot((s) => one(s.market.orders.backlogUnits)),
  tradesim_order_backlog_value: fromSnapshot((s) => one(s.market.orders.backlogValue)),
  tradesim_order_oldest_age_seconds: fromSnapshot((s) => one(s.market.orders.oldestAgeSeconds)),
  tradesim_slo_objective_ratio: fromSnapshot((s) => bySlo(s.slo.objective)),
  tradesim_slo_events_total: fromSnapshot((s) => bySlo(s.slo.eventsTotal)),
  tradesim_slo_good_events_total: fromSnapshot((s) => bySlo(s.slo.goodTotal)),
  tradesim_slo_sli_ratio: fromSnapshot((s) => bySlo(s.slo.sli)),
  tradesim_slo_error_budget_remaining_ratio: fromSnapshot((s) => bySlo(s.slo.errorBudgetRemaining)),
  tradesim_slo_burn_rate: fromSnapshot((s) =>
    Object.entries(s.slo.burnRate).flatMap(([slo, rates]) =>
      BURN_WINDOWS.map((window) => [{ slo, window }, rates[window]] as const),
    ),
  ),
  tradesim_events_total: fromSnapshot((s) => byKey('type', EVENT_TYPES, (k) => s.event.counts[k])),
  tradesim_alerts_active: fromSnapshot((s) =>
    s.alerts.active.map((a) => [{ rule: a.rule, severity: a.severity, state: a.state }, 1] as const),
  ),
  tradesim_alert_transitions_total: (src) =>
    [...src.alertTransitions.values()].map((t) => [{ rule: t.rule, state: t.state }, t.count] as const),
  tradesim_turn_phase_seconds_total: (src) =>
    Object.entries(src.phaseSeconds).map(([phase, seconds]) => [{ phase }, seconds] as const),
  tradesim_alert_firing: (src) =>
    src.firings.map((f) => [{ rule: f.rule, severity: f.severity, fired_turn: String(f.firedTurn) }, 1] as const),
  tradesim_alert_firings_dropped_total: (src) =>
    [...src.firingsDropped].map(([rule, count]) => [{ rule }, count] as const),
  tradesim_stats_cache_hit_ratio: fromSnapshot((s) => one(s.performance.cacheHitRatio)),
  tradesim_subscriber_errors_total: fromSnapshot((s) => one(s.performance.subscriberErrors)),

  tradesim_jsonl_lines_written_total: (src) => one(src.jsonl?.linesWritten ?? 0),
  tradesim_jsonl_write_errors_total: (src) => one(src.jsonl?.writeErrors ?? 0),
  tradesim_output_errors_total: (src) =>
    OUTPUT_KINDS.map((output) => [{ output }, src.outputErrors?.[output] ?? 0] as const),
  tradesim_jsonl_write_seconds_total: (src) => one(src.jsonl?.busySeconds ?? 0),

  tradesim_process_cpu_ratio: (src) => (src.system ? one(src.system.processCpu) : []),
  tradesim_machine_cpu_ratio: (src) => (src.system ? one(src.system.machineCpu) : []),
  tradesim_process_resident_memory_sampled_bytes: (src) => (src.system ? one(src.system.processRssBytes) : []),
  tradesim_process_heap_used_bytes: (src) => (src.system ? one(src.system.processHeapUsedBytes) : []),
  tradesim_machine_memory_used_bytes: (src) => (src.system ? one(src.system.machineMemoryUsedBytes) : []),
  tradesim_machine_memory_total_bytes: (src) => (src.system ? one(src.system.machineMemoryTotalBytes) : []),
  tradesim_system_sample_timestamp_seconds: (src) => (src.system ? one(src.system.sampledAtMs / 1000) : []),
};
