import client from 'prom-client';
import type { TurnSnapshot } from '../../services/index.js';
import type { TurnReport } from '../../simulation/index.js';
import { METRICS, type MetricDefinition } from './catalogue.js';
import type { ScrapeSource } from './readers.js';
import { LINE_DECIMALS } from '../jsonl/snapshot-line.js';
import { createCountedHistogram } from './counted-histogram.js';
import { createPulledMetric, type PulledSample, registerPulled } from './pulled-metric.js';
import { exemplarOf, withTurnExemplars } from './exemplars.js';
import { createWindowSummary } from './window-summary.js';
import { createRequestSeries, type RequestSeries } from './request-series.js';

/** Money is rounded on the wire to the JSONL line's decimals. */
const SCALE = 10 ** LINE_DECIMALS;

/** The format a registry renders. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** A registry of either format. */
export type AnyRegistry = client.Registry<client.RegistryContentType>;

/** The HTTP (RED) metrics, pushed by the server's hooks (see request-series.ts). */
export type HttpMetrics = Pick<RequestSeries, 'record' | 'trackInFlight'>;

/** Both registries with every catalogued metric. */
export interface MetricRegistries {
  readonly registries: Readonly<Record<ExpositionFormat, AnyRegistry>>;
  readonly http: HttpMetrics;
  /** Observes a turn into the histograms and the summary's sum and count. */
  readonly observeTurn: (snapshot: TurnSnapshot, report: TurnReport) => void;
}

/** Default metrics left out: gauges named like counters (`promtool check metrics` flags them). */
export const DROPPED_DEFAULT_METRICS: ReadonlySet<string> = new Set([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]);

/**
 * The default metric whose collect() sets every `nodejs_eventloop_lag_*` gauge from Node's
 * event-loop delay histogram, and resets it. Its standard deviation alone is a large part of
 * a scrape, so the figures are refreshed at most this often and a scrape in between reads
 * the last ones: they then cover the delay over that interval.
 */
const EVENT_LOOP_LAG = 'nodejs_eventloop_lag_seconds';
export const EVENT_LOOP_REFRESH_MS = 5_000;

/** What a registry reads of a metric. */
interface RegisteredMetric {
  readonly name: string;
  get(): Promise<unknown>;
}

/** A metric whose get() runs at most once every `everyMs`; calls in between get the last result. */
export function throttled<M extends RegisteredMetric>(
  metric: M,
  everyMs: number,
  nowMs: () => number = () => performance.now(),
): M {
  let last: Promise<unknown> | undefined;
  let at = 0;
  // Everything else (name, help, type, reset) is read through to the metric itself.
  const wrapper = Object.create(metric) as M;
  wrapper.get = () => {
    const now = nowMs();
    if (!last || now - at >= everyMs) {
      last = metric.get();
      at = now;
    }
    return last;
  };
  return wrapper;
}

const byName = (name: string): MetricDefinition => {
  const found = METRICS.find((m) => m.name === name);
  if (!found) throw new TypeError(`metric ${name} is not catalogued`);
  return found;
};

function newRegistry(format: ExpositionFormat): AnyRegistry {
  const registry = new client.Registry<client.RegistryContentType>();
  if (format === 'openmetrics') registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  // prom-client's default metrics, each registry its own (their counters are renamed in
  // place for OpenMetrics), less the three gauges whose names end in _total; the event-loop
  // lag figures refreshed at most every EVENT_LOOP_REFRESH_MS.
  const defaults = new client.Registry();
  client.collectDefaultMetrics({ register: defaults });
  for (const metric of defaults.getMetricsAsArray() as unknown as RegisteredMetric[]) {
    if (DROPPED_DEFAULT_METRICS.has(metric.name)) continue;
    const kept = metric.name === EVENT_LOOP_LAG ? throttled(metric, EVENT_LOOP_REFRESH_MS) : metric;
    registry.registerMetric(kept as unknown as client.Metric);
  }
  return registry;
}

/**
 * Registers the pulled families in both registries: every catalogued gauge and counter with
 * a reader, and the histograms whose cumulative buckets the services keep.
 */
function registerPulledFamilies(both: readonly AnyRegistry[], source: () => ScrapeSource): void {
  for (const def of METRICS as readonly MetricDefinition[]) {
    const { name, help, type, read: reader, turnIncrease: increase } = def;
    if (!reader || (type !== 'gauge' && type !== 'counter')) continue;
    // A value with nothing to measure (NaN) has no sample: the series is absent that scrape,
    // as every reader's figure is (docs/economy.md), whoever built the sample list.
    const present = () => reader(source()).filter(([, value]) => !Number.isNaN(value));
    // Money on the wire is rounded as the JSONL line rounds it (budgets, exact in cents, read
    // 122.37 and not 122.36999999999999; a price of 0.016676 stays one), so both say the same.
    const rounded =
      def.unit === 'currency units'
        ? () => present().map(([labels, value]) => [labels, Math.round(value * SCALE) / SCALE] as const)
        : present;
    // The transaction counters carry the latest turn as exemplar of each series it moved.
    const values: () => readonly PulledSample[] = increase
      ? () => withTurnExemplars(rounded(), source().snapshot, increase)
      : rounded;
    // Counters are read from cumulative totals, so one scrape sees one turn. They need one
    // instance per registry: prom-client renames a counter in place when it renders OpenMetrics.
    if (type === 'gauge') {
      const gauge = createPulledMetric({ name, help, type }, values);
      for (const registry of both) registerPulled(registry, gauge);
    } else {
      for (const registry of both) registerPulled(registry, createPulledMetric({ name, help, type }, values));
    }
  }

  // Histograms whose cumulative buckets the services keep: rendered from the pinned snapshot.
  for (const { name, help, readBuckets: read } of METRICS as readonly MetricDefinition[]) {
    if (!read) continue;
    const metric = createPulledMetric({ name, help, type: 'histogram' }, () => {
      const snapshot = source().snapshot;
      return snapshot ? read(snapshot) : [];
    });
    for (const registry of both) registerPulled(registry, metric);
  }
}

/** The HTTP server's own metrics: requests (a counter per registry), durations, in flight. */
function httpMetrics(both: AnyRegistry[]): HttpMetrics {
  const series = createRequestSeries(
    byName('tradesim_http_requests_total'),
    byName('tradesim_http_request_duration_seconds'),
    byName('tradesim_http_requests_in_flight'),
  );
  for (const registry of both) {
    registerPulled(registry, series.requestsMetric());
    registerPulled(registry, series.durationMetric);
    registerPulled(registry, series.inFlightMetric);
  }
  return series;
}

/**
 * Builds the Prometheus and the OpenMetrics registry. Gauges, histograms and the summary are
 * one instance registered in both (observed once per turn); counters are one instance per
 * registry, because prom-client renames a counter in place when it renders OpenMetrics.
 * Gauges and counters are pull-based: computed from `source()` on each scrape (see
 * pulled-metric.ts), one pinned snapshot per scrape. The turn-duration summary takes its
 * quantiles over `turnWindow()`, the durations of the turns the services keep in history.
 */
export function createMetricRegistries(
  source: () => ScrapeSource,
  turnWindow: () => ArrayLike<number>,
): MetricRegistries {
  const registries = { prometheus: newRegistry('prometheus'), openmetrics: newRegistry('openmetrics') };
  const both = Object.values(registries);

  registerPulledFamilies(both, source);

  // Observed every turn: counted in plain arrays (see counted-histogram.ts).
  const counted = (name: string) => {
    const h = createCountedHistogram(byName(name));
    for (const registry of both) registerPulled(registry, h.metric);
    return h;
  };
  const turnDuration = counted('tradesim_turn_duration_seconds');
  const amount = counted('tradesim_transaction_amount');
  const quantity = counted('tradesim_transaction_quantity_units');
  // Sum and count of every turn's duration; the quantiles come from the services' history.
  let turnSecondsSum = 0;
  let turnCount = 0;
  const turnSummary = createWindowSummary(byName('tradesim_turn_duration_quantiles_seconds'), () => ({
    window: turnWindow(),
    sum: turnSecondsSum,
    count: turnCount,
  }));
  for (const registry of both) registerPulled(registry, turnSummary);
  return {
    registries,
    http: httpMetrics(both),
    observeTurn(snapshot, report) {
      turnDuration.observe(snapshot.performance.turnSeconds, exemplarOf(snapshot));
      turnSecondsSum += snapshot.performance.turnSeconds;
      turnCount += 1;
      for (const t of report.transactions ?? []) {
        if (!t.success) continue;
        amount.observe(t.amountCents / 100);
        quantity.observe(t.quantity);
      }
    },
  };
}
