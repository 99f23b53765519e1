import { quantile } from '../../services/index.js';
import type { MetricDefinition } from './catalogue.js';

/** What a window summary reads at scrape time. */
export interface WindowSummarySource {
  /** The values the quantiles are taken over (any order; not modified). */
  readonly window: ArrayLike<number>;
  /** Sum and count of every value observed since the start. */
  readonly sum: number;
  readonly count: number;
}

/** One rendered value, as prom-client's registries read them. */
interface SummaryValue {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, number>>;
  readonly value: number;
}

/** What `get()` gives a registry. */
interface SummaryObject {
  readonly name: string;
  readonly help: string;
  readonly type: 'summary';
  readonly aggregator: 'sum';
  readonly values: readonly SummaryValue[];
}

/** A metric prom-client's registries can render (what `registerMetric` reads). */
export interface WindowSummary {
  readonly name: string;
  readonly help: string;
  readonly type: 'summary';
  readonly aggregator: 'sum';
  get(): Promise<SummaryObject>;
  reset(): void;
}

/**
 * A Prometheus summary whose quantiles are taken over values kept elsewhere (the turn
 * durations of the services' history), like the Go client's const summaries: nothing is
 * observed per turn, and a scrape sorts at most that window. prom-client's own Summary
 * pushes every observation into five t-digests and merges them all on each scrape, which
 * cost a millisecond a scrape and a few microseconds a turn.
 */
export function createWindowSummary(def: MetricDefinition, read: () => WindowSummarySource): WindowSummary {
  const percentiles = def.percentiles ?? [];
  return {
    name: def.name,
    help: def.help,
    type: 'summary',
    aggregator: 'sum',
    async get() {
      const { window, sum, count } = read();
      const sorted = Float64Array.from(window).sort();
      return {
        name: def.name,
        help: def.help,
        type: 'summary',
        aggregator: 'sum',
        values: [
          ...percentiles.map((q) => ({ labels: { quantile: q }, value: sorted.length === 0 ? 0 : quantile(sorted, q, true) })),
          { metricName: `${def.name}_sum`, labels: {}, value: sum },
          { metricName: `${def.name}_count`, labels: {}, value: count },
        ],
      };
    },
    reset() {},
  };
}
