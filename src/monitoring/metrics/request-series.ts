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

/** The counter's series, one record per `method`, `route`, `status`, found through a map per label. */
function createRequestCounts(): {
  countOf(method: string, route: string, status: number): RequestCount;
  samples: () => PulledSample[];
} {
  const counts: RequestCount[] = [];
  // route -> method -> status -> record.
  const index = new Map<string, Map<string, Map<number, RequestCount>>>();
  // The last series counted: a flood of one route finds it without the maps.
  let last: RequestCount | undefined;
  let lastMethod = '';
  let lastRoute = '';
  let lastStatus = 0;
  return {
    countOf(method, route, status) {
      if (last !== undefined && method === lastMethod && route === lastRoute && status === lastStatus) return last;
      let byMethod = index.get(route);
      if (!byMethod) index.set(route, (byMethod = new Map<string, Map<number, RequestCount>>()));
      let byStatus = byMethod.get(method);
      if (!byStatus) byMethod.set(method, (byStatus = new Map<number, RequestCount>()));
      let found = byStatus.get(status);
      if (!found) {
        found = { labels: { method, route, status: String(status) }, count: 0 };
        byStatus.set(status, found);
        counts.push(found);
      }
      last = found;
      lastMethod = method;
      lastRoute = route;
      lastStatus = status;
      return found;
    },
    samples: () => counts.map((c): PulledSample => [c.labels, c.count]),
  };
}

/** The histogram's series, one per `method`, `route`, with `bounds` as its buckets' upper bounds. */
function createDurations(
  name: string,
  bounds: Float64Array,
): { durationOf(method: string, route: string): DurationSeries; samples: () => PulledSample[] } {
  const durations: DurationSeries[] = [];
  // route -> method -> series.
  const index = new Map<string, Map<string, DurationSeries>>();
  const bucketName = `${name}_bucket`;
  const newSeries = (method: string, route: string): DurationSeries => {
    const bucketLabels: Readonly<Record<string, string | number>>[] = [...bounds].map((le) => ({ le, method, route }));
    bucketLabels.push({ le: '+Inf', method, route });
    return { labels: { method, route }, bucketLabels, counts: new Float64Array(bounds.length + 1), sum: 0, count: 0 };
  };
  // The last series observed, as in createRequestCounts.
  let last: DurationSeries | undefined;
  let lastMethod = '';
  let lastRoute = '';
  return {
    durationOf(method, route) {
      if (last !== undefined && method === lastMethod && route === lastRoute) return last;
      let byMethod = index.get(route);
      if (!byMethod) index.set(route, (byMethod = new Map<string, DurationSeries>()));
      let found = byMethod.get(method);
      if (!found) {
        found = newSeries(method, route);
        byMethod.set(method, found);
        durations.push(found);
      }
      last = found;
      lastMethod = method;
      lastRoute = route;
      return found;
    },
    samples: () => {
      const out: PulledSample[] = [];
      for (const series of durations) {
        let cumulative = 0;
        for (let i = 0; i < bounds.length; i++) {
          cumulative += series.counts[i]!;
          out.push([series.bucketLabels[i]!, cumulative, bucketName]);
        }
        out.push(
          [series.bucketLabels[bounds.length]!, series.count, bucketName],
          [series.labels, series.sum, `${name}_sum`],
          [series.labels, series.count, `${name}_count`],
        );
      }
      return out;
    },
  };
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
  const counts = createRequestCounts();
  const durations = createDurations(durationDef.name, bounds);
  let inFlight = 0;
  return {
    record(method, route, status, seconds) {
      counts.countOf(method, route, status).count += 1;
      // prom-client refuses a non-finite duration by throwing; the request is still counted.
      if (!Number.isFinite(seconds)) return;
      const series = durations.durationOf(method, route);
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
      createPulledMetric({ name: requestsDef.name, help: requestsDef.help, type: 'counter' }, counts.samples),
    durationMetric: createPulledMetric(
      { name: durationDef.name, help: durationDef.help, type: 'histogram' },
      durations.samples,
    ),
    inFlightMetric: createPulledMetric({ name: inFlightDef.name, help: inFlightDef.help, type: 'gauge' }, () => [
      [{}, inFlight],
    ]),
  };
}
