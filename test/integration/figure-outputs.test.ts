/*
 * Every figure the services produce reaches /metrics and the JSONL line, or is named below
 * with the reason it does not. Each figure is changed on its own in a copy of a real
 * snapshot; the figure reaches an output when that output changes. A figure added to a
 * service and forgotten by the exporter fails here, and so does a list entry that is no
 * longer true.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExporter } from '../../src/monitoring/index.js';
import { createLineText } from '../../src/monitoring/jsonl/line-compiler.js';
import { figureCatalogue, type TurnLoop, type TurnSnapshot } from '../../src/services/index.js';
import type { TurnReport } from '../../src/simulation/index.js';
import { loopFor } from '../monitoring/fixtures.js';

/** Figures with no series on /metrics, and why. */
const NOT_ON_METRICS: Readonly<Record<string, string>> = {
  // Refills are an optional event; the events counter and event impact carry them.
  'budget.refills.count': 'tradesim_events_total{type="budget_refill"} counts them',
  'budget.refills.amount': 'the event figures carry the last amount; the JSONL line keeps every turn',
  'budget.solvent': 'tradesim_companies{state} gives it: everything but insolvent',
  'budget.evolution': 'tradesim_budget{stat="total"} minus stat="initial_total"',
  'company.count': 'the sum of tradesim_companies{state}',
  'company.buyersThisTurn': 'one turn among many between scrapes; tradesim_transactions_total is its rate',
  'company.purchasesPerCompany.mean': 'tradesim_transactions_total / company count',
  'company.purchasesPerCompany.min': 'a spread over companies, in the JSONL line and /api/stats',
  'company.purchasesPerCompany.max': 'a spread over companies, in the JSONL line and /api/stats',
  'supplier.unitsSold': 'this turn only; tradesim_traded_units_total is its rate',
  'transaction.attempts': 'this turn only; tradesim_transactions_total is its rate',
  'transaction.successes': 'this turn only; tradesim_transactions_total is its rate',
  'transaction.failures': 'this turn only; tradesim_transactions_total is its rate',
  'transaction.failureRate': '1 - tradesim_transaction_success_ratio',
  'transaction.amount': 'this turn only; tradesim_traded_amount_total is its rate',
  'transaction.quantity': 'this turn only; tradesim_traded_units_total is its rate',
  'transaction.meanAmount': 'tradesim_transaction_amount histogram (sum / count)',
  'transaction.meanQuantity': 'tradesim_transaction_quantity_units histogram (sum / count)',
  'transaction.intercontinental': 'in the JSONL line and /api/stats',
  'transaction.intercontinentalShare': 'in the JSONL line and /api/stats',
  'transaction.budgetTotal': 'the budget service total, tradesim_budget{stat="total"}',
  'event.lastTurn': 'in the JSONL line and /api/stats',
  'event.lastMagnitude': 'in the JSONL line and /api/stats',
  'event.impact': 'in the JSONL line and /api/stats',
  'event.thisTurn': 'this turn only; tradesim_events_total is its rate',
  'market.revenue': 'this turn only; tradesim_revenue_total is its rate',
  'market.consumedUnits': 'this turn only; tradesim_consumed_units_total is its rate',
  'market.ordered': 'this turn only; orders show in tradesim_orders_in_transit_units',
  'market.exits': 'this turn only; tradesim_company_exits_total is its rate',
  'market.orders.placed': 'this turn only; tradesim_orders_total{outcome="placed"} is its rate',
  'market.orders.filled': 'this turn only; tradesim_orders_total{outcome="filled"} is its rate',
  'market.orders.cancelled': 'this turn only; tradesim_orders_total{outcome="cancelled"} is its rate',
  'market.orders.dropped': 'this turn only; tradesim_orders_total{outcome="dropped"} is its rate',
  'market.orders.late': 'this turn only; tradesim_orders_total{outcome="late"} is its rate',
  'market.orders.onTime':
    'the fulfilment_time SLO\'s good figure: tradesim_slo_good_events_total{slo="fulfilment_time"}',
  'market.orders.decided': 'the fulfilment_time SLO\'s total figure: tradesim_slo_events_total{slo="fulfilment_time"}',
  'market.orders.served': 'the fill_rate SLO\'s good figure: tradesim_slo_good_events_total{slo="fill_rate"}',
  'market.orders.ended': 'the fill_rate SLO\'s total figure: tradesim_slo_events_total{slo="fill_rate"}',
  'market.orders.fillRate': 'the ratio of the fill_rate SLO counters over any window',
  'market.orders.deliveredUnits': 'this turn only; in the JSONL line and /api/stats',
  'market.orders.fulfilment.count': 'this turn only; tradesim_order_fulfilment_seconds_count is its rate',
  'market.orders.fulfilment.meanSeconds': 'this turn only; tradesim_order_fulfilment_seconds sum / count over a window',
  'market.orders.fulfilment.maxSeconds': 'this turn only; tradesim_order_fulfilment_seconds buckets bound it',
  'market.entries': 'this turn only; tradesim_company_entries_total is its rate',
  'performance.phaseSeconds': 'summed turn by turn into tradesim_turn_phase_seconds_total as turns are published',
  'performance.clockSeconds': 'the loop clock; tradesim_last_turn_timestamp_seconds is the wall clock',
  'performance.attempts': 'tradesim_transactions_total',
  'performance.cacheHits': 'tradesim_stats_cache_hit_ratio',
  'performance.cacheMisses': 'tradesim_stats_cache_hit_ratio',
  'performance.window.turnSecondsMean': 'tradesim_turn_duration_quantiles_seconds and the histogram',
  'performance.window.turnSecondsP95': 'tradesim_turn_duration_quantiles_seconds and the histogram',
  'transaction.window': 'window statistics, on /api/stats; Prometheus computes its own windows',
  'transaction.failuresByReason': 'this turn only; tradesim_transactions_total{reason} is its rate',
  'transaction.byType': 'this turn only, by product type: in the JSONL line and /api/stats',
  'transaction.totals.attempts': 'the sum of tradesim_transactions_total',
  'slo.good': "this turn only; tradesim_slo_good_events_total is its rate (the SLO's good figure)",
  'slo.total': "this turn only; tradesim_slo_events_total is its rate (the SLO's total figure)",
  'slo.alerts': 'each is an SLO burn-rate rule: tradesim_alerts_active and tradesim_alert_firing',
  'slo.lowestBudgetRemaining': 'the least of tradesim_slo_error_budget_remaining_ratio, for the live chart',
  'slo.fastestBurnRate1h': 'the most of tradesim_slo_burn_rate{window="1h"}, for the live chart',
};

/** Figures left out of the JSONL line besides those computed on read (never in a line: each costs a sort or a scan). */
const NOT_IN_LINE: Readonly<Record<string, string>> = {
  'company.byStrategy': 'fixed for the run',
  'company.byContinent': 'fixed for the run',
  'event.thisTurn': 'follows from event.counts of consecutive lines',
  'transaction.budgetTotal': 'the same as budget.total in the same line',
  'performance.clockSeconds': 'the loop clock; the line has its wall-clock time',
  'performance.attempts': 'the same as transaction.attempts in the same line',
  'slo.objective': 'fixed for the run',
  'slo.good': "the SLO's good figure, in the same line",
  'slo.total': "the SLO's total figure, in the same line",
  'slo.sli': 'follows from slo.goodTotal and slo.eventsTotal of the lines in its window',
  'slo.burnRate': 'follows from slo.goodTotal and slo.eventsTotal of the lines in each window',
  'slo.alerts': "the line's alerts list has them while they fire",
  'slo.lowestBudgetRemaining': 'the least of slo.errorBudgetRemaining in the same line',
  'slo.fastestBurnRate1h': 'follows from the counts, as slo.burnRate',
};

/** The list entry that names `figure` (itself or a parent group), if any. */
const listed = (list: Readonly<Record<string, string>>, figure: string) =>
  Object.keys(list).find((name) => figure === name || figure.startsWith(`${name}.`));

/** A deep copy with every member as plain data, lazily computed ones included. */
function plainCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (value === null || typeof value !== 'object') return value;
  const own =
    typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): object }).toJSON() : value;
  return Object.fromEntries(Object.entries(own).map(([k, v]) => [k, plainCopy(v)]));
}

/** The copy of `snapshot` with the figure at `path` changed. */
function withFigure(snapshot: TurnSnapshot, path: string): TurnSnapshot {
  const copy = plainCopy(snapshot) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  // A figure absent this turn (NaN: nothing to measure) is given a value.
  const value = node[last] as number;
  node[last] = Number.isNaN(value) ? 7.77 : value * 3 + 7.77;
  return copy as unknown as TurnSnapshot;
}

/** The tradesim_* lines of /metrics after one turn `snapshot`, read by a fresh exporter. */
async function metricsOf(loop: TurnLoop, snapshot: TurnSnapshot, report: TurnReport): Promise<string> {
  let listener: ((s: TurnSnapshot, r: TurnReport) => void) | undefined;
  const stub = {
    latest: () => snapshot,
    subscribe: (fn: (s: TurnSnapshot, r: TurnReport) => void) => {
      listener = fn;
      return () => {};
    },
    history: (figure: string, window: number) => loop.history(figure, window),
    alertFirings: () => loop.alertFirings(),
    config: loop.config,
  } as unknown as TurnLoop;
  const exporter = createExporter({ loop: stub, seriesBudget: 10 });
  listener!(snapshot, report);
  const { body } = await exporter.render();
  return body
    .split('\n')
    .filter((line) => line.startsWith('tradesim_') && !line.startsWith('tradesim_http_'))
    .join('\n');
}

describe('every figure reaches its outputs', () => {
  it('is on /metrics and in the JSONL line, or listed with its reason', async () => {
    // crisis with the industry report on (default's, read after 5 turns), so its figures have values.
    const crisis = JSON.parse(readFileSync('scenarios/crisis.json', 'utf8')) as { suppliers: object };
    crisis.suppliers = { ...crisis.suppliers, reportLean: 0.35, reportDelayTurns: 5 };
    const loop = loopFor(crisis, 3, 0);
    let report: TurnReport | undefined;
    loop.subscribe((_s, r) => {
      report = r;
    });
    for (let i = 0; i < 40; i++) loop.runTurn();
    const snapshot = loop.latest()!;
    const write = createLineText(6, 3);
    const lineOf = (s: TurnSnapshot) => Buffer.from(write(s, undefined)).toString('utf8');
    // Compiled from the real snapshot: the copies below carry lazy figures as plain data.
    const line = lineOf(snapshot);
    const metrics = await metricsOf(loop, plainCopy(snapshot) as TurnSnapshot, report!);

    const missing: string[] = [];
    const stale: string[] = [];
    const catalogue = figureCatalogue();
    for (const { name, historized } of catalogue.values()) {
      const changed = withFigure(snapshot, name);
      const onMetrics = (await metricsOf(loop, changed, report!)) !== metrics;
      const inLine = lineOf(changed) !== line;
      if (!onMetrics && !listed(NOT_ON_METRICS, name)) missing.push(`${name}: not on /metrics`);
      if (onMetrics && NOT_ON_METRICS[name]) stale.push(`${name}: listed as not on /metrics, but is`);
      const leftOut = !historized || listed(NOT_IN_LINE, name);
      if (!inLine && !leftOut) missing.push(`${name}: not in the JSONL line`);
      if (inLine && leftOut) stale.push(`${name}: listed as not in the line, but is`);
    }
    expect(missing).toEqual([]);
    expect(stale).toEqual([]);
    // The lists name real figures (or groups of them).
    for (const name of [...Object.keys(NOT_ON_METRICS), ...Object.keys(NOT_IN_LINE)]) {
      expect(
        [...catalogue.keys()].some((f) => f === name || f.startsWith(`${name}.`)),
        name,
      ).toBe(true);
    }
  });
});
