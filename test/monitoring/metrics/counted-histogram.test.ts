import fc from 'fast-check';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { METRICS, type MetricDefinition } from '../../../src/monitoring/metrics/catalogue.js';
import { createCountedHistogram } from '../../../src/monitoring/metrics/counted-histogram.js';
import { registerPulled } from '../../../src/monitoring/metrics/pulled-metric.js';

const catalogue: readonly MetricDefinition[] = METRICS;
const histograms = catalogue.filter((m) => m.type === 'histogram' && m.labels.length === 0);

/** Both expositions of one histogram fed `values`: prom-client's Histogram and ours. */
async function expositions(name: string, values: readonly number[], contentType: client.RegistryContentType) {
  const def = catalogue.find((m) => m.name === name)!;
  const theirs = new client.Registry<client.RegistryContentType>();
  const ours = new client.Registry<client.RegistryContentType>();
  theirs.setContentType(contentType);
  ours.setContentType(contentType);
  const reference = new client.Histogram({ name, help: def.help, buckets: [...def.buckets!], registers: [theirs] });
  const counted = createCountedHistogram(def);
  registerPulled(ours, counted.metric);
  for (const v of values) {
    reference.observe(v);
    counted.observe(v);
  }
  return { theirs: await theirs.metrics(), ours: await ours.metrics() };
}

describe('counted histogram', () => {
  it('covers the histograms observed every turn', () => {
    expect(histograms.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'tradesim_transaction_amount',
        'tradesim_transaction_quantity_units',
        'tradesim_turn_duration_seconds',
      ]),
    );
  });

  it('renders, text for text, what prom-client renders for the same values, in both formats', async () => {
    for (const def of histograms) {
      const top = def.buckets!.at(-1)!;
      // Values on, between, below and above the bounds.
      const value = fc.oneof(
        fc.constantFrom(0, ...def.buckets!),
        fc.double({ min: 0, max: top * 2, noNaN: true }),
        fc.integer({ min: 0, max: Math.ceil(top * 2) }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(value, { maxLength: 60 }),
          fc.constantFrom(client.Registry.PROMETHEUS_CONTENT_TYPE, client.Registry.OPENMETRICS_CONTENT_TYPE),
          async (values, contentType) => {
            const { theirs, ours } = await expositions(def.name, values, contentType);
            expect(ours).toBe(theirs);
          },
        ),
        { numRuns: 60 },
      );
    }
  });

  it('counts a value equal to a bound in that bound and leaves non-finite values out', async () => {
    const def = catalogue.find((m) => m.name === 'tradesim_transaction_quantity_units')!;
    const h = createCountedHistogram(def);
    const registry = new client.Registry();
    registerPulled(registry, h.metric);
    for (const v of [1, 2, 2.5, 100, 101, Number.NaN, Number.POSITIVE_INFINITY]) h.observe(v);
    const text = await registry.metrics();
    expect(text).toContain(`${def.name}_bucket{le="1"} 1\n`);
    expect(text).toContain(`${def.name}_bucket{le="2"} 2\n`);
    expect(text).toContain(`${def.name}_bucket{le="3"} 3\n`);
    expect(text).toContain(`${def.name}_bucket{le="100"} 4\n`);
    expect(text).toContain(`${def.name}_bucket{le="+Inf"} 5\n`);
    expect(text).toContain(`${def.name}_sum 206.5\n`);
    expect(text).toContain(`${def.name}_count 5\n`);
  });
});
