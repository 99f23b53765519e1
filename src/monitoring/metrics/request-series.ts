import type { MetricDefinition } from './catalogue.js';
import { createPulledMetric, type PulledMetric, type PulledSample } from './pulled-metric.js';

/** The HTTP server's own RED figures, counted as requests end and rendered at scrape time. */
export interface RequestSeries {
  /** Counts one finished request under its labels, and its duration in seconds. */
  record(method: string, route: string, status: number, seconds: number): void;
  /** Counts a request starting (+1) or ending (-1). */
  trackInFlight(delta: 1 | -1): void;
  /** The requests counter, a new instance per call: prom-client renames a counter in place for OpenMetrics. */
  requestsMetric(): PulledMetric;
  readonly durationMetric: PulledMetric;
  readonly inFlightMetric: PulledMetric;
}

/** One `method`, `route`, `status` series of the counter, in the order first seen. */
interface RequestCount {
  readonly labels: Readonly<Record<string, string>>;
  count: number;
}

/** One `method`, `route` series of the histogram: its buckets' counts and their labels. */
interface DurationSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** `le` first, then the series' labels, as prom-client writes a bucket; the last is +Inf. */
  readonly bucketLabels: readonly Readonly<Record<string, string | number>>[];
  /** counts[i]: durations in (bounds[i - 1], bounds[i]]; the last slot holds those above every bound. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * The series of `tradesim_http_requests_total`, `tradesim_http_request_duration_seconds` and
 * `tradesim_http_requests_in_flight`, kept in records found through maps keyed by each label
 * (no label set hashed or string built per request, as prom-client's Counter and Histogram
 * do); they render what prom-client's would for the same requests. Invariant: each series'
 * record is made once, the first time its labels are seen, and only counted after.
 */
export function createRequestSeries(
  requestsDef: MetricDefinition,
  durationDef: MetricDefinition,
  inFlightDef: MetricDefinition,
): RequestSeries {
  const bounds = Float64Array.from(durationDef.buckets ?? []);
  const counts: RequestCount[] = [];
  const durations: DurationSeries[] = [];
  // route -> method -> status -> record, and route -> method -> series.
  const countIndex = new Map<string, Map<string, Map<number, RequestCount>>>();
  const durationIndex = new Map<string, Map<string, DurationSeries>>();
  let inFlight = 0;

  const countOf = (method: string, route: string, status: number): RequestCount => {
    let byMethod = countIndex.get(route);
    if (!byMethod) countIndex.set(route, (byMethod = new Map<string, Map<number, RequestCount>>()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map<number, RequestCount>()));
    let found = byStatus.get(status);
    if (!found) {
      found = { labels: { method, route, status: String(status) }, count: 0 };
      byStatus.set(status, found);
      counts.push(found);
    }
    return found;
  };
  const durationOf = (method: string, route: string): DurationSeries => {
    let byMethod = durationIndex.get(route);
    if (!byMethod) durationIndex.set(route, (byMethod = new Map<string, DurationSeries>()));
    let found = byMethod.get(method);
    if (!found) {
      const bucketLabels: Readonly<Record<string, string | number>>[] = [...bounds].map((le) => ({
        le,
        method,
        route,
      }));
      bucketLabels.push({ le: '+Inf', method, route });
      found = {
        labels: { method, route },
        bucketLabels,
        counts: new Float64Array(bounds.length + 1),
        sum: 0,
        count: 0,
      };
      byMethod.set(method, found);
      durations.push(found);
    }
    return found;
  };

  const requestSamples = (): PulledSample[] => counts.map((c): PulledSample => [c.labels, c.count]);
  const bucketName = `${durationDef.name}_bucket`;
  const durationSamples = (): PulledSample[] => {
    const out: PulledSample[] = [];
    for (const series of durations) {
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += series.counts[i]!;
        out.push([series.bucketLabels[i]!, cumulative, bucketName]);
      }
      out.push(
        [series.bucketLabels[bounds.length]!, series.count, bucketName],
        [series.labels, series.sum, `${durationDef.name}_sum`],
        [series.labels, series.count, `${durationDef.name}_count`],
      );
    }
    return out;
  };

  return {
    record(method, route, status, seconds) {
      countOf(method, route, status).count += 1;
      // prom-client refuses a non-finite duration by throwing; the request is still counted.
      if (!Number.isFinite(seconds)) return;
      const series = durationOf(method, route);
      let i = 0;
      while (i < bounds.length && seconds > bounds[i]!) i++;
      series.counts[i]! += 1;
      series.sum += seconds;
      series.count += 1;
    },
    trackInFlight(delta) {
      inFlight += delta;
    },
    requestsMetric: () =>
      createPulledMetric({ name: requestsDef.name, help: requestsDef.help, type: 'counter' }, requestSamples),
    durationMetric: createPulledMetric(
      { name: durationDef.name, help: durationDef.help, type: 'histogram' },
      durationSamples,
    ),
    inFlightMetric: createPulledMetric({ name: inFlightDef.name, help: inFlightDef.help, type: 'gauge' }, () => [
      [{}, inFlight],
    ]),
  };
}
