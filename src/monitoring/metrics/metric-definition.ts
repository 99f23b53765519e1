import type { TurnSnapshot } from '../../services/index.js';
import type { TurnIncrease } from './exemplars.js';
import type { PulledSample } from './pulled-metric.js';
import type { Reader } from './readers.js';

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
  /** A gauge's or counter's samples at scrape time; without one it is pushed (HTTP) or observed per turn. */
  readonly read?: Reader;
  /** A counter whose series carry the latest turn as exemplar: what that turn added to one. */
  readonly turnIncrease?: TurnIncrease;
  /** A histogram's `_bucket`, `_sum` and `_count` samples from the snapshot's cumulative buckets. */
  readonly readBuckets?: (snapshot: TurnSnapshot) => readonly PulledSample[];
}

/** What a gauge or counter declares beyond its name, unit, labels and help. */
interface MetricExtras {
  /** A business metric unless said otherwise. */
  readonly group?: MetricGroup;
  readonly read?: Reader;
  readonly turnIncrease?: TurnIncrease;
}

/** A declaration builder for one type of pulled metric: name, unit, labels, help, extras. */
const declare =
  (type: 'gauge' | 'counter') =>
  (
    name: string,
    unit: string,
    labels: readonly string[],
    help: string,
    { group = 'business', ...extras }: MetricExtras = {},
  ): MetricDefinition => ({ name, type, unit, labels, help, group, ...extras });

/** A gauge's declaration, with its reader when it is read at scrape time. */
export const gauge = declare('gauge');
/** A counter's declaration, with its reader when it is read at scrape time. */
export const counter = declare('counter');
