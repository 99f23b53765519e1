import { quantile } from '../../services/index.js';
import type { MetricDefinition } from './catalogue.js';
import { createPulledMetric, type PulledMetric } from './pulled-metric.js';

/** What a window summary reads at scrape time. */
export interface WindowSummarySource {
  /** The values the quantiles are taken over (any order; not modified). */
  readonly window: ArrayLike<number>;
  /** Sum and count of every value observed since the start. */
  readonly sum: number;
  readonly count: number;
}

/**
 * A Prometheus summary whose quantiles are taken over values kept elsewhere (the turn
 * durations of the services' history), like the Go client's const summaries: nothing is
 * observed per turn, and a scrape sorts at most that window (prom-client's own Summary
 * merges t-digests on every scrape).
 */
export function createWindowSummary(def: MetricDefinition, read: () => WindowSummarySource): PulledMetric {
  const percentiles = def.percentiles ?? [];
  return createPulledMetric({ name: def.name, help: def.help, type: 'summary' }, () => {
    const { window, sum, count } = read();
    const sorted = Float64Array.from(window).sort();
    return [
      ...percentiles.map((q) => [{ quantile: q }, sorted.length === 0 ? 0 : quantile(sorted, q, true)] as const),
      [{}, sum, `${def.name}_sum`] as const,
      [{}, count, `${def.name}_count`] as const,
    ];
  });
}
