/**
 * What every TradeSim dashboard shares: the datasource and the job / instance / run
 * variables, the selectors that read them, and small panel makers over the Grafana
 * Foundation SDK's builders.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import {
  AnnotationQueryBuilder,
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as HeatmapPanel } from '@grafana/grafana-foundation-sdk/heatmap';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** Every query goes to the datasource the `datasource` variable picks (provisioned: uid prometheus). */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** The label matchers of the job and instance variables. */
export const SEL = 'job=~"$job",instance=~"$instance"';

/** A metric selector under the variables: `sel('tradesim_companies', 'state="insolvent"')`. */
export const sel = (metric: string, matchers = '') => `${metric}{${SEL}${matchers ? `,${matchers}` : ''}}`;

/**
 * An instant vector kept to the chosen runs: `tradesim_info` names the run of each job and
 * instance, so `and on (job, instance, run)` keeps the series of the processes running them.
 * `run` tells apart the runs pushed or backfilled under one job and instance (a scraped
 * run has none: the empty label matches).
 */
export const ofRun = (vector: string) => `(${vector} and on (job, instance, run) tradesim_info{${SEL},run_id=~"$run"})`;

/** `rate()` of a counter under the variables, kept to the chosen runs. */
export const rate = (metric: string, matchers = '') => ofRun(`rate(${sel(metric, matchers)}[$__rate_interval])`);

/** One query of a panel: PromQL and the legend of its series. */
export interface Query {
  readonly expr: string;
  readonly legend?: string;
  /** Ask Grafana for the series' exemplars too (each leads to its run and turn). */
  readonly exemplar?: boolean;
}

const target = (q: Query, refId: string, format?: PromQueryFormat, instant = false) => {
  const b = new DataqueryBuilder().expr(q.expr).refId(refId).datasource(DATASOURCE);
  if (q.legend !== undefined) b.legendFormat(q.legend);
  if (format) b.format(format);
  if (instant) b.instant();
  if (q.exemplar) b.exemplar(true);
  return b;
};
const refIds = 'ABCDEFGH';

/** A time series panel. */
export function timeseries(
  title: string,
  description: string,
  unit: string,
  queries: readonly Query[],
  options: { stacked?: boolean; span?: number; min?: number } = {},
) {
  const panel = new TimeseriesPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(options.span ?? 12)
    .height(8)
    .fillOpacity(options.stacked ? 40 : 10)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List));
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.min !== undefined) panel.min(options.min);
  queries.forEach((q, i) => panel.withTarget(target(q, refIds[i]!)));
  return panel;
}

/** A single-value panel (the last value, with a sparkline). */
export function stat(title: string, description: string, unit: string, query: Query, span = 6) {
  return new StatPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(span)
    .height(4)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .withTarget(target(query, 'A'));
}

/**
 * A heatmap: of a Prometheus histogram's buckets (`sum by (le) (increase(..._bucket[...]))`),
 * or, with `rows`, of several series, one row each (the query's legend names the rows).
 */
export function heatmap(title: string, description: string, unit: string, query: Query, rows = false) {
  return new HeatmapPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(12)
    .height(8)
    .calculate(false)
    .withTarget(target(query, 'A', rows ? PromQueryFormat.TimeSeries : PromQueryFormat.Heatmap));
}

/** A table of an instant query (one row per series, its labels as columns). */
export function table(title: string, description: string, unit: string, query: Query, span = 8) {
  return new TablePanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(span)
    .height(9)
    .withTarget(target(query, 'A', PromQueryFormat.Table, true));
}

/** An annotation drawn from a PromQL query: one mark where it has a value. */
export function annotation(name: string, color: string, expr: string, title: string, text: string) {
  return new AnnotationQueryBuilder()
    .name(name)
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor(color)
    .expr(expr)
    .step('15s')
    .titleFormat(title)
    .textFormat(text);
}

// Several values (and All) for instance and run; one job at a time, so that a sum never adds
// a scraped run (job tradesim) and a pushed one (tradesim_batch) together.
const variable = (name: string, label: string, query: string, several = true) =>
  new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(several)
    .includeAll(several)
    .allValue('.*');

/** The variables' PromQL, by name (the tests list their values from a real Prometheus). */
export const VARIABLE_QUERIES = {
  job: 'label_values(tradesim_info, job)',
  instance: 'label_values(tradesim_info{job=~"$job"}, instance)',
  run: `label_values(tradesim_info{${SEL}}, run_id)`,
} as const;

/** A dashboard with TradeSim's conventions: datasource, job, instance and run variables, 5 s refresh. */
export function dashboard(uid: string, title: string, description: string) {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['tradesim', 'generated'])
    .refresh('5s')
    .time({ from: 'now-15m', to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    .withVariable(new DatasourceVariableBuilder('datasource').label('Datasource').type('prometheus'))
    .withVariable(variable('job', 'Job', VARIABLE_QUERIES.job, false))
    .withVariable(variable('instance', 'Instance', VARIABLE_QUERIES.instance))
    .withVariable(variable('run', 'Run', VARIABLE_QUERIES.run));
}
