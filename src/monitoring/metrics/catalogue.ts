/**
 * Every metric TradeSim exports, declared once: name, type, unit, labels, help and, for
 * the ones read at scrape time, its reader. The
 * registries are built from this list and the table in docs/metrics.md is generated from it
 * (`npm run docs:metrics`). prom-client's default process metrics come on top, under
 * their standard names.
 */
import { ACTIVITY_METRICS } from './activity-metrics.js';
import { BUSINESS_METRICS } from './business-metrics.js';
import { MARKET_METRICS } from './market-metrics.js';
import type { MetricDefinition } from './metric-definition.js';
import { OPERATIONS_METRICS } from './operations-metrics.js';

export type { MetricDefinition, MetricGroup } from './metric-definition.js';

export { OTHER_LABEL, OUTPUT_KINDS, UNMATCHED_ROUTE } from './metric-labels.js';
export type { OutputKind } from './metric-labels.js';

/** Every metric, by area (each area in its own file). */
export const METRICS = [
  ...BUSINESS_METRICS,
  ...MARKET_METRICS,
  ...ACTIVITY_METRICS,
  ...OPERATIONS_METRICS,
] as const satisfies readonly MetricDefinition[];

/** A metric's name. */
export type MetricName = (typeof METRICS)[number]['name'];
