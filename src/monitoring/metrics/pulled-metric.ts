import type client from 'prom-client';

/** An exemplar: the labels of one observation (run and turn), its value and its time (seconds). */
export interface Exemplar {
  readonly labelSet: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestamp: number;
}

/**
 * One value to render: its labels, its value, the series name when not the metric's (a
 * summary's `_sum`), and an exemplar (rendered in OpenMetrics only).
 */
export type PulledSample = readonly [
  labels: Readonly<Record<string, string | number>>,
  value: number,
  metricName?: string | undefined,
  exemplar?: Exemplar,
];

/**
 * One rendered value, as prom-client's registries read them. A copy of a private shape, on
 * purpose: prom-client 15 exports no type for what `Registry.metrics()` reads from `get()`
 * (its d.ts types `type` as a numeric enum where the registry compares strings, and leaves
 * out `sharedLabels` and `exemplar`), and its Gauge and Counter cost too much (below). Every
 * exposition test renders through the real registry, so a change of shape fails them.
 */
interface PulledValue {
  readonly metricName?: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly sharedLabels: Readonly<Record<string, string>>;
  readonly exemplar?: Exemplar;
}

/**
 * The `sharedLabels` of every pulled value: prom-client memoizes their text in a WeakMap
 * keyed by the object, so one shared object is one entry, not one per series per scrape.
 */
const NO_SHARED_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A metric whose values are computed at scrape time and handed to prom-client's registry
 * as they are, the way the Go client's const metrics are: no per-series state, no label
 * hashing (prom-client's Gauge and Counter hash every label set into a map each scrape).
 */
export interface PulledMetric {
  /** The registry renames a counter in place (without `_total`) when it renders OpenMetrics. */
  name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter' | 'summary' | 'histogram';
  readonly aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: readonly PulledValue[] }>;
  /** The samples as computed, for a writer that reads them without get()'s objects (exposition-writer.ts). */
  readonly samples: () => readonly PulledSample[];
  reset(): void;
}

/** A metric of `type` whose samples `samples()` computes on each scrape. */
export function createPulledMetric(
  definition: { readonly name: string; readonly help: string; readonly type: PulledMetric['type'] },
  samples: () => readonly PulledSample[],
): PulledMetric {
  return {
    name: definition.name,
    help: definition.help,
    type: definition.type,
    aggregator: 'sum',
    async get() {
      const values = samples().map(([labels, value, metricName, exemplar]): PulledValue => {
        const out: PulledValue =
          metricName === undefined
            ? { labels, value, sharedLabels: NO_SHARED_LABELS }
            : { metricName, labels, value, sharedLabels: NO_SHARED_LABELS };
        return exemplar ? { ...out, exemplar } : out;
      });
      return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
    },
    samples,
    reset() {},
  };
}

/** Registers a pulled metric (prom-client types registerMetric for its own classes). */
export function registerPulled(registry: client.Registry<client.RegistryContentType>, metric: PulledMetric): void {
  registry.registerMetric(metric as unknown as client.Metric);
}
