/**
 * Every metric TradeSim exports, declared once: name, type, unit, labels and help. The
 * registries are built from this list and the table in docs/metrics.md is generated from it
 * (`npm run docs:metrics`). prom-client's default process metrics come on top, under
 * their standard names.
 */
import { ACTIVITY_METRICS } from './activity-metrics.js';
import { BUSINESS_METRICS } from './business-metrics.js';
import type { MetricDefinition } from './metric-definition.js';
import { OPERATIONS_METRICS } from './operations-metrics.js';

export type { MetricDefinition, MetricGroup } from './metric-definition.js';

/** The label value entities beyond the cardinality budget fold into. */
export const OTHER_LABEL = '__other__';
/** The route label of requests that match no route. */
export const UNMATCHED_ROUTE = '__unmatched__';
/** The outputs a run goes on without when they fail: the `output` label of tradesim_output_errors_total. */
export const OUTPUT_KINDS = ['jsonl', 'events', 'checkpoint', 'push'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** Every metric, by area (each area in its own file). */
export const METRICS = [
  ...BUSINESS_METRICS,
  ...ACTIVITY_METRICS,
  ...OPERATIONS_METRICS,
] as const satisfies readonly MetricDefinition[];

/** A metric's name. */
export type MetricName = (typeof METRICS)[number]['name'];
