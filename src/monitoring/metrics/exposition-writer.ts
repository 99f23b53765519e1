/*
 * A registry's exposition written straight into one string: the text prom-client's
 * `Registry.metrics()` writes, without the arrays, spreads and regular expressions it spends
 * on every line (a large world's scrape allocated about 2 MiB for 70 KB of text, and the
 * young collections that follow hold the event loop).
 */
import client from 'prom-client';
import { LinePrefixes } from './line-prefixes.js';
import type { PulledSample } from './pulled-metric.js';
import { TextParts } from './text-parts.js';

/** One rendered value as a registry reads it from a metric's `get()`. */
interface ValueRead {
  readonly metricName?: string;
  readonly labels?: Readonly<Record<string, unknown>>;
  readonly sharedLabels?: Readonly<Record<string, unknown>>;
  readonly value: number;
  readonly exemplar?: {
    readonly labelSet: Readonly<Record<string, unknown>>;
    readonly value: number;
    readonly timestamp: unknown;
  } | null;
}

/** A metric as the registry reads it; `getForPromString` when it has one (prom-client's Histogram). */
interface MetricRead {
  name: string;
  readonly help: string;
  readonly type: string;
  get(): Promise<{
    readonly name: string;
    readonly help: string;
    readonly type: string;
    readonly values?: readonly ValueRead[];
  }>;
  getForPromString?: MetricRead['get'];
  /** A pulled metric's samples (pulled-metric.ts), written as they are. */
  readonly samples?: () => readonly PulledSample[];
}

const NEEDS_ESCAPE = /[\\\n]/;
const escapeText = (text: string): string =>
  NEEDS_ESCAPE.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : text;
const escapeLabelValue = (value: unknown): unknown =>
  typeof value === 'string' ? escapeText(value).replace(/"/g, '\\"') : value;

/** A number as prom-client writes it. */
const valueText = (value: number): string =>
  Number.isNaN(value) ? 'Nan' : Number.isFinite(value) ? `${value}` : value < 0 ? '-Inf' : '+Inf';

/** `name="value"` pairs, comma-separated, of `labels` less the keys of `exclude`. */
function labelPairs(labels: Readonly<Record<string, unknown>>, exclude?: Readonly<Record<string, unknown>>): string {
  let out = '';
  for (const name in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, name)) continue;
    if (exclude && Object.prototype.hasOwnProperty.call(exclude, name)) continue;
    out += `${out === '' ? '' : ','}${name}="${String(escapeLabelValue(labels[name]))}"`;
  }
  return out;
}

/** A family name ending in a base unit, which OpenMetrics names in a `# UNIT` line. */
const UNIT_SUFFIX = /_(seconds|bytes|ratio)$/;

/** A family's `# HELP` and `# TYPE` lines, and with `units` its `# UNIT` line when its name ends in a base unit. */
function headerText(name: string, help: string, type: string, units: boolean): string {
  const header = `# HELP ${name} ${escapeText(help)}\n# TYPE ${name} ${type}`;
  const unit = units ? UNIT_SUFFIX.exec(name)?.[1] : undefined;
  return unit === undefined ? header : `${header}\n# UNIT ${name} ${unit}`;
}

/** `\n` + a line's name and labels + a space: the text before its value. */
const buildPrefix = (name: string, suffix: string, labels: Readonly<Record<string, unknown>>): string => {
  const pairs = labelPairs(labels);
  return `\n${name}${suffix}${pairs === '' ? '' : `{${pairs}}`} `;
};

/** Each pulled metric's line prefixes, kept between scrapes (a gauge is one object in both registries: the same lines). */
const PREFIXES = new WeakMap<MetricRead, LinePrefixes>();

/** What prom-client's `get()` gives of a metric (its values and what names them). */
type MetricValues = Awaited<ReturnType<MetricRead['get']>>;

/** The line prefixes kept for `metric`. */
function prefixesOf(metric: MetricRead): LinePrefixes {
  let prefixes = PREFIXES.get(metric);
  if (!prefixes) PREFIXES.set(metric, (prefixes = new LinePrefixes(buildPrefix)));
  return prefixes;
}

/** An exemplar's text after its line's value (OpenMetrics). */
const exemplarText = (exemplar: {
  readonly labelSet: Readonly<Record<string, unknown>>;
  readonly value: number;
  readonly timestamp: unknown;
}) => ` # {${labelPairs(exemplar.labelSet)}} ${valueText(exemplar.value)} ${String(exemplar.timestamp)}`;

/** A pulled metric's lines, as valuesText would write them from its get(). */
function pulledText(
  out: TextParts,
  metric: MetricRead,
  samples: readonly PulledSample[],
  openMetrics: boolean,
  units: boolean,
): void {
  const prefixes = prefixesOf(metric);
  const { name: rawName, help, type } = metric;
  // A gauge's one object serves both formats: units written in OpenMetrics only.
  out.add(prefixes.header(rawName, help, type, units, () => headerText(escapeText(rawName), help, type, units)));
  const name = escapeText(rawName);
  const suffix = openMetrics && type === 'counter' ? '_total' : '';
  // Indexed reads rather than destructuring: a destructured tuple goes through an iterator.
  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    out.add(prefixes.prefix(i, sample[2] ?? name, suffix, sample[0]));
    out.add(valueText(sample[1]));
    const exemplar = sample[3];
    if (exemplar && openMetrics) out.add(exemplarText(exemplar));
  }
  prefixes.trim(samples.length);
}

const NO_LABELS: Readonly<Record<string, unknown>> = Object.freeze({});

/** True when `labels` has a label of its own. */
function hasOwnKeys(labels: Readonly<Record<string, unknown>>): boolean {
  for (const name in labels) if (Object.prototype.hasOwnProperty.call(labels, name)) return true;
  return false;
}

/** One family's lines from its `get()`, as prom-client's `getMetricsAsString` writes them (no trailing newline). */
function valuesText(
  out: TextParts,
  metric: MetricRead,
  read: MetricValues,
  openMetrics: boolean,
  units: boolean,
): void {
  const name = escapeText(read.name);
  out.add(headerText(name, read.help, read.type, units));
  const suffix = openMetrics && read.type === 'counter' ? '_total' : '';
  const prefixes = prefixesOf(metric);
  const values = read.values ?? [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const shared = v.sharedLabels;
    if (shared === undefined || !hasOwnKeys(shared)) {
      out.add(prefixes.prefix(i, v.metricName ?? name, suffix, v.labels ?? NO_LABELS));
    } else {
      // Own labels, less those the shared ones name, then the shared ones.
      let labels = v.labels ? labelPairs(v.labels, shared) : '';
      const sharedText = labelPairs(shared);
      if (sharedText !== '') labels = labels === '' ? sharedText : `${labels},${sharedText}`;
      out.add(`\n${v.metricName ?? name}${suffix}${labels === '' ? '' : `{${labels}}`} `);
    }
    out.add(valueText(v.value));
    const { exemplar } = v;
    if (exemplar && openMetrics) out.add(exemplarText(exemplar));
  }
  prefixes.trim(values.length);
}

/** The pieces of a scrape's text, reused by every scrape (each writes them in one synchronous stretch). */
const SCRAPE = new TextParts();

/**
 * The registry's exposition in its content type, text for text what `registry.metrics()`
 * returns (a test renders both). With `units` (OpenMetrics only), a family whose name ends in
 * a base unit (`_seconds`, `_bytes`, `_ratio`) also gets its `# UNIT` line after `# TYPE`,
 * which prom-client never writes. A registry with default labels is left to prom-client.
 */
export async function writeExposition(
  registry: client.Registry<client.RegistryContentType>,
  { units: unitsAsked = false }: { readonly units?: boolean } = {},
): Promise<string> {
  const defaults = (registry as unknown as { _defaultLabels?: Readonly<Record<string, unknown>> })._defaultLabels;
  if (defaults && Object.keys(defaults).length > 0) return registry.metrics();
  const openMetrics = registry.contentType === client.Registry.OPENMETRICS_CONTENT_TYPE;
  const units = unitsAsked && openMetrics;
  const metrics = registry.getMetricsAsArray() as unknown as MetricRead[];
  // As prom-client does: an OpenMetrics counter's family is named without `_total`.
  if (openMetrics) for (const m of metrics) if (m.type === 'counter') m.name = m.name.replace(/_total$/, '');
  // The families prom-client keeps (its own classes) are read first; then every family is
  // written at once, pulled ones from their samples, in the registry's order.
  const reads = await Promise.all(
    metrics.filter((m) => !m.samples).map((m) => (m.getForPromString ? m.getForPromString() : m.get())),
  );
  const out = SCRAPE;
  let read = 0;
  for (let i = 0; i < metrics.length; i++) {
    if (i > 0) out.add(openMetrics ? '\n' : '\n\n');
    const metric = metrics[i]!;
    if (metric.samples) pulledText(out, metric, metric.samples(), openMetrics, units);
    else valuesText(out, metric, reads[read++]!, openMetrics, units);
  }
  out.add(openMetrics ? '\n# EOF\n' : '\n');
  return out.text();
}
