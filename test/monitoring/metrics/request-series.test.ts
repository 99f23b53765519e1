import fc from 'fast-check';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { METRICS, type MetricDefinition } from '../../../src/monitoring/metrics/catalogue.js';
import { registerPulled } from '../../../src/monitoring/metrics/pulled-metric.js';
import { createRequestSeries } from '../../../src/monitoring/metrics/request-series.js';

const catalogue: readonly MetricDefinition[] = METRICS;
const def = (name: string) => catalogue.find((m) => m.name === name)!;
const REQUESTS = def('tradesim_http_requests_total');
const DURATION = def('tradesim_http_request_duration_seconds');
const IN_FLIGHT = def('tradesim_http_requests_in_flight');

type Request = readonly [method: string, route: string, status: number, seconds: number];

/** Both expositions of the HTTP metrics fed `requests`: prom-client's Counter, Histogram and Gauge, and ours. */
async function expositions(requests: readonly Request[], inFlight: number, contentType: client.RegistryContentType) {
  const theirs = new client.Registry<client.RegistryContentType>();
  const ours = new client.Registry<client.RegistryContentType>();
  theirs.setContentType(contentType);
  ours.setContentType(contentType);
  const counter = new client.Counter({
    name: REQUESTS.name,
    help: REQUESTS.help,
    labelNames: [...REQUESTS.labels],
    registers: [theirs],
  });
  const histogram = new client.Histogram({
    name: DURATION.name,
    help: DURATION.help,
    labelNames: [...DURATION.labels],
    buckets: [...DURATION.buckets!],
    registers: [theirs],
  });
  const gauge = new client.Gauge({ name: IN_FLIGHT.name, help: IN_FLIGHT.help, registers: [theirs] });
  const series = createRequestSeries(REQUESTS, DURATION, IN_FLIGHT);
  registerPulled(ours, series.requestsMetric());
  registerPulled(ours, series.durationMetric);
  registerPulled(ours, series.inFlightMetric);
  for (const [method, route, status, seconds] of requests) {
    counter.inc({ method, route, status: String(status) });
    histogram.observe({ method, route }, seconds);
    series.record(method, route, status, seconds);
  }
  for (let i = 0; i < inFlight; i++) {
    gauge.inc(1);
    series.trackInFlight(1);
  }
  return { theirs: await theirs.metrics(), ours: await ours.metrics() };
}

describe('request series', () => {
  it('renders, text for text, what prom-client renders for the same requests, in both formats', async () => {
    const top = DURATION.buckets!.at(-1)!;
    const request = fc.tuple(
      fc.constantFrom('GET', 'POST', 'other'),
      fc.constantFrom('/health', '/metrics', '/api/history', '__unmatched__'),
      fc.constantFrom(200, 404, 405, 499, 503),
      fc.oneof(fc.constantFrom(0, ...DURATION.buckets!), fc.double({ min: 0, max: top * 2, noNaN: true })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { maxLength: 80 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(client.Registry.PROMETHEUS_CONTENT_TYPE, client.Registry.OPENMETRICS_CONTENT_TYPE),
        async (requests, inFlight, contentType) => {
          const { theirs, ours } = await expositions(requests, inFlight, contentType);
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('counts a request whose duration is not finite, and leaves its duration out', async () => {
    const series = createRequestSeries(REQUESTS, DURATION, IN_FLIGHT);
    series.record('GET', '/health', 200, Number.NaN);
    series.record('GET', '/health', 200, 0.002);
    const registry = new client.Registry();
    registerPulled(registry, series.requestsMetric());
    registerPulled(registry, series.durationMetric);
    const text = await registry.metrics();
    expect(text).toContain('tradesim_http_requests_total{method="GET",route="/health",status="200"} 2');
    expect(text).toContain('tradesim_http_request_duration_seconds_count{method="GET",route="/health"} 1');
  });
});
