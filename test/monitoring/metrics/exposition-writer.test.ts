import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { writeExposition } from '../../../src/monitoring/metrics/exposition-writer.js';
import { createMetricRegistries, type AnyRegistry } from '../../../src/monitoring/metrics/registry.js';
import type { ScrapeSource } from '../../../src/monitoring/metrics/readers.js';
import { loopFor } from '../fixtures.js';

const FORMATS = [client.Registry.PROMETHEUS_CONTENT_TYPE, client.Registry.OPENMETRICS_CONTENT_TYPE] as const;

/** A registry of `metrics` in `contentType`. */
function registryOf(metrics: readonly client.Metric[], contentType: client.RegistryContentType): AnyRegistry {
  const registry = new client.Registry<client.RegistryContentType>();
  registry.setContentType(contentType);
  for (const metric of metrics) registry.registerMetric(metric);
  return registry;
}

describe('exposition writer', () => {
  it("writes, text for text, what prom-client writes for every family the exporter serves but the process's own", async () => {
    // A world played with its turns observed, and every family read from it (the process and
    // Node families move between two renders, so they are compared below on fixed values).
    const loop = loopFor('crisis', 7, 0);
    const source = (): ScrapeSource => ({
      snapshot: loop.latest(),
      seriesBudget: 6,
      alertTransitions: new Map([['rule\u0000firing', { rule: 'rule', state: 'firing', count: 2 }]]),
      phaseSeconds: { prices: 0.5, purchases: 1.25, market: 2, events: 0.125, services: 1 },
      firings: [],
      firingsDropped: new Map(),
      jsonl: { linesWritten: 40, writeErrors: 1, busySeconds: 0.25, rotations: 3, reopens: 1 },
      system: undefined,
      outputErrors: { jsonl: 1, events: 0, checkpoint: 0, push: 2 },
      outputWaits: { jsonl: 1.5, events: 0 },
    });
    const built = createMetricRegistries(
      source,
      () => loop.history('performance.turnSeconds', loop.config.services.historyTurns).values,
    );
    loop.subscribe(built.observeTurn);
    for (let i = 0; i < 40; i++) loop.runTurn();
    built.http.record('GET', '/health', 200, 0.002);
    built.http.record('GET', '/metrics', 200, 0.3);
    built.http.record('other', '__unmatched__', 404, 0.001);
    built.http.trackInFlight(1);
    for (const registry of Object.values(built.registries)) {
      const own = (registry.getMetricsAsArray() as unknown as (client.Metric & { name: string })[]).filter(
        (m) => !m.name.startsWith('process_') && !m.name.startsWith('nodejs_'),
      );
      expect(own.length).toBeGreaterThan(80);
      const copy = registryOf(own, registry.contentType);
      const ours = await writeExposition(copy);
      expect(ours).toBe(await copy.metrics());
      expect(ours).toContain('tradesim_http_requests_total');
      // Exemplars (the turn that moved a counter or a bucket) are written in OpenMetrics only.
      expect(/ # \{/.test(ours)).toBe(registry.contentType === client.Registry.OPENMETRICS_CONTENT_TYPE);
    }
  });

  it("writes what prom-client writes for its own classes: labels to escape, a histogram's shared labels, exemplars", async () => {
    for (const contentType of FORMATS) {
      const registry = new client.Registry<client.RegistryContentType>();
      registry.setContentType(contentType);
      const registers = [registry];
      const gauge = new client.Gauge({
        name: 'g_ratio',
        help: 'a "gauge" \\ with\nlines',
        labelNames: ['a', 'b'],
        registers,
      });
      gauge.set({ a: 'back\\slash', b: 'quote"and\nline' }, 0.5);
      gauge.set({ a: 'x', b: 'y' }, Number.NaN);
      gauge.set({ a: 'inf', b: 'y' }, Number.POSITIVE_INFINITY);
      gauge.set({ a: '-inf', b: 'y' }, Number.NEGATIVE_INFINITY);
      new client.Gauge({ name: 'g_empty', help: 'never set', labelNames: ['a'], registers });
      const counter = new client.Counter({
        name: 'c_total',
        help: 'a counter',
        labelNames: ['route'],
        enableExemplars: contentType === client.Registry.OPENMETRICS_CONTENT_TYPE,
        registers,
      });
      if (contentType === client.Registry.OPENMETRICS_CONTENT_TYPE) {
        counter.inc({ labels: { route: '/x' }, value: 2, exemplarLabels: { turn: '7' } } as never);
      } else {
        counter.inc({ route: '/x' }, 2);
      }
      const histogram = new client.Histogram({
        name: 'h_seconds',
        help: 'a histogram',
        labelNames: ['kind'],
        buckets: [0.1, 1],
        registers,
      });
      histogram.observe({ kind: 'minor' }, 0.05);
      histogram.observe({ kind: 'major' }, 2);
      const summary = new client.Summary({ name: 's_seconds', help: 'a summary', percentiles: [0.5, 0.9], registers });
      summary.observe(3);
      expect(await writeExposition(registry)).toBe(await registry.metrics());
    }
  });

  it('adds the OpenMetrics # UNIT line of every family named for its unit, only when asked and only in OpenMetrics', async () => {
    const loop = loopFor('default', 3, 5);
    const built = createMetricRegistries(
      () => ({
        snapshot: loop.latest(),
        seriesBudget: 6,
        alertTransitions: new Map(),
        phaseSeconds: { prices: 0.5 },
        firings: [],
        firingsDropped: new Map(),
        jsonl: undefined,
        system: undefined,
        outputErrors: undefined,
        outputWaits: undefined,
      }),
      () => [0.001, 0.002],
    );
    // Every TYPE line of a family whose name ends in a base unit gets its UNIT line after it.
    const withUnits = (text: string) => text.replace(/^# TYPE (\S+_(seconds|bytes|ratio)) \w+$/gm, '$&\n# UNIT $1 $2');
    const { openmetrics, prometheus } = built.registries;
    // The process and Node families move between two renders: compared on the others.
    const own = (openmetrics.getMetricsAsArray() as unknown as (client.Metric & { name: string })[]).filter(
      (m) => !m.name.startsWith('process_') && !m.name.startsWith('nodejs_'),
    );
    const copy = registryOf(own, openmetrics.contentType);
    // Twice: the second scrape reads the headers kept from the first.
    for (let scrape = 0; scrape < 2; scrape++) {
      const text = await writeExposition(copy, { units: true });
      expect(text).toBe(withUnits(await writeExposition(copy)));
      expect(text).toContain('# UNIT tradesim_turn_duration_seconds seconds');
      expect(await writeExposition(openmetrics, { units: true })).toContain(
        '# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds',
      );
      // A gauge is one object in both registries: its header in Prometheus text stays without.
      expect(await writeExposition(prometheus, { units: true })).not.toContain('# UNIT');
    }
  });

  it("leaves a registry with default labels to prom-client's own writer", async () => {
    const registry = new client.Registry();
    registry.setDefaultLabels({ instance: 'a' });
    new client.Gauge({ name: 'g', help: 'h', registers: [registry] }).set(1);
    expect(await writeExposition(registry)).toBe(await registry.metrics());
    expect(await writeExposition(registry)).toContain('g{instance="a"} 1');
  });
});
