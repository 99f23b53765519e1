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

/** A gauge's declaration (a business one unless `group` says otherwise). */
export const gauge = (
  name: string,
  unit: string,
  labels: readonly string[],
  help: string,
  group: MetricGroup = 'business',
): MetricDefinition => ({ name, type: 'gauge', unit, labels, help, group });
/** A counter's declaration (a business one unless `group` says otherwise). */
export const counter = (
  name: string,
  unit: string,
  labels: readonly string[],
  help: string,
  group: MetricGroup = 'business',
): MetricDefinition => ({ name, type: 'counter', unit, labels, help, group });
