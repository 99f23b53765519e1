import client from 'prom-client';
import type { TurnSnapshot } from '../../services/index.js';
import type { TurnReport } from '../../simulation/index.js';
import { METRICS, type MetricDefinition } from './catalogue.js';
import { READERS, type ScrapeSource } from './readers.js';

/** The format a registry renders. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** The HTTP (RED) metrics, pushed by the server's hooks. */
export interface HttpMetrics {
  readonly requests: client.Counter<string>;
  readonly duration: client.Histogram<string>;
  readonly inFlight: client.Gauge<string>;
}

/** One registry with every catalogued metric. */
export interface MetricRegistry {
  readonly registry: client.Registry<client.RegistryContentType>;
  readonly http: HttpMetrics;
  /** Observes a turn into the histograms and the summary. */
  observeTurn(snapshot: TurnSnapshot, report: TurnReport): void;
}

/** Default metrics left out: gauges named like counters (`promtool check metrics` flags them). */
export const DROPPED_DEFAULT_METRICS: ReadonlySet<string> = new Set([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
]);

const byName = (name: string): MetricDefinition => {
  const found = METRICS.find((m) => m.name === name);
  if (!found) throw new TypeError(`metric ${name} is not catalogued`);
  return found;
};

/**
 * Builds a registry of one format: pull-based gauges and counters that read `source()` in
 * collect() (one pinned snapshot per scrape), per-turn histograms and summary, the HTTP
 * metrics, and prom-client's default process metrics under their standard names.
 */
export function createMetricRegistry(format: ExpositionFormat, source: () => ScrapeSource): MetricRegistry {
  const registry = new client.Registry<client.RegistryContentType>();
  if (format === 'openmetrics') registry.setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
  const registers = [registry];
  // prom-client's default metrics, each registry its own (OpenMetrics renames counters in
  // place), less the three gauges whose names end in _total, which promtool rejects.
  const defaults = new client.Registry();
  client.collectDefaultMetrics({ register: defaults });
  for (const metric of defaults.getMetricsAsArray()) {
    if (!DROPPED_DEFAULT_METRICS.has(metric.name)) registry.registerMetric(metric as unknown as client.Metric);
  }

  for (const def of METRICS) {
    const reader = READERS[def.name];
    if (!reader) continue;
    const common = { name: def.name, help: def.help, labelNames: [...def.labels], registers };
    if (def.type === 'gauge') {
      new client.Gauge({
        ...common,
        collect() {
          this.reset();
          for (const [labels, value] of reader(source())) this.set(labels, value);
        },
      });
    } else if (def.type === 'counter') {
      new client.Counter({
        ...common,
        collect() {
          // Counters are read from cumulative totals, so one scrape sees one turn.
          this.reset();
          for (const [labels, value] of reader(source())) this.inc(labels, value);
        },
      });
    }
  }

  const histogram = (name: string) => {
    const def = byName(name);
    return new client.Histogram({
      name,
      help: def.help,
      labelNames: [...def.labels],
      buckets: [...(def.buckets ?? [])],
      registers,
    });
  };
  const turnDuration = histogram('tradesim_turn_duration_seconds');
  const amount = histogram('tradesim_transaction_amount');
  const quantity = histogram('tradesim_transaction_quantity_units');
  const summaryDef = byName('tradesim_turn_duration_quantiles_seconds');
  const turnSummary = new client.Summary({
    name: summaryDef.name,
    help: summaryDef.help,
    percentiles: [...(summaryDef.percentiles ?? [])],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers,
  });
  const requestsDef = byName('tradesim_http_requests_total');
  const inFlightDef = byName('tradesim_http_requests_in_flight');

  return {
    registry,
    http: {
      requests: new client.Counter({
        name: requestsDef.name,
        help: requestsDef.help,
        labelNames: [...requestsDef.labels],
        registers,
      }),
      duration: histogram('tradesim_http_request_duration_seconds'),
      inFlight: new client.Gauge({ name: inFlightDef.name, help: inFlightDef.help, registers }),
    },
    observeTurn(snapshot, report) {
      turnDuration.observe(snapshot.performance.turnSeconds);
      turnSummary.observe(snapshot.performance.turnSeconds);
      for (const t of report.transactions ?? []) {
        if (!t.success) continue;
        amount.observe(t.amountCents / 100);
        quantity.observe(t.quantity);
      }
    },
  };
}
