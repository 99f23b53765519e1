import type { MetricDefinition } from './catalogue.js';
import { type Exemplar, createPulledMetric, type PulledMetric, type PulledSample } from './pulled-metric.js';

/** A histogram without labels, counted per turn and rendered at scrape time. */
export interface CountedHistogram {
  /**
   * Counts one value; a non-finite value is not counted. With `exemplar` (labels and time in
   * seconds), the value becomes its bucket's exemplar, rendered in OpenMetrics.
   */
  observe(value: number, exemplar?: { labels: Readonly<Record<string, string>>; timestamp: number }): void;
  /** The metric to register; it renders what prom-client's Histogram would for the same values. */
  readonly metric: PulledMetric;
}

/**
 * A Prometheus histogram counted in a typed array, like the Go client's: an observation is
 * a bucket search and three additions, with no label hashing as prom-client's Histogram
 * does per call. It renders what prom-client's would (a test compares the two expositions);
 * non-finite values, which prom-client refuses by throwing, are left out.
 */
export function createCountedHistogram(def: MetricDefinition): CountedHistogram {
  const bounds = Float64Array.from(def.buckets ?? []);
  // counts[i]: values in (bounds[i - 1], bounds[i]]; the last slot holds those above every bound.
  const counts = new Float64Array(bounds.length + 1);
  // The latest exemplar of each bucket (the same slots as counts).
  const exemplars: (Exemplar | undefined)[] = new Array<Exemplar | undefined>(bounds.length + 1);
  let sum = 0;
  let count = 0;
  const bucketName = `${def.name}_bucket`;
  const bucketLabels = [...bounds].map((le) => ({ le }));
  const samples = (): PulledSample[] => {
    const out: PulledSample[] = [];
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += counts[i]!;
      const exemplar = exemplars[i];
      out.push(
        exemplar ? [bucketLabels[i]!, cumulative, bucketName, exemplar] : [bucketLabels[i]!, cumulative, bucketName],
      );
    }
    const above = exemplars[bounds.length];
    out.push(
      above ? [{ le: '+Inf' }, count, bucketName, above] : [{ le: '+Inf' }, count, bucketName],
      [{}, sum, `${def.name}_sum`],
      [{}, count, `${def.name}_count`],
    );
    return out;
  };
  return {
    observe(value, exemplar) {
      if (!Number.isFinite(value)) return;
      let i = 0;
      while (i < bounds.length && value > bounds[i]!) i++;
      counts[i]! += 1;
      if (exemplar) exemplars[i] = { labelSet: exemplar.labels, value, timestamp: exemplar.timestamp };
      sum += value;
      count += 1;
    },
    metric: createPulledMetric({ name: def.name, help: def.help, type: 'histogram' }, samples),
  };
}
