import { describe, expect, it } from 'vitest';
import { EVENT_LOOP_REFRESH_MS, throttled } from '../../../src/monitoring/metrics/registry.js';
import { createExporter } from '../../../src/monitoring/index.js';
import { parseExposition, serviceFor } from '../fixtures.js';

describe('throttled metrics', () => {
  it('runs get() at most once per interval and serves the last result in between', async () => {
    let calls = 0;
    let now = 0;
    const metric = { name: 'm', help: 'h', get: async () => ({ call: ++calls }) };
    const wrapped = throttled(metric, 5_000, () => now);
    expect(wrapped.name).toBe('m');
    expect(await wrapped.get()).toEqual({ call: 1 });
    now = 4_999;
    expect(await wrapped.get()).toEqual({ call: 1 });
    now = 5_000;
    expect(await wrapped.get()).toEqual({ call: 2 });
    now = 9_999;
    expect(await wrapped.get()).toEqual({ call: 2 });
    expect(calls).toBe(2);
  });

  it('keeps the event-loop lag figures of back-to-back scrapes from one refresh', async () => {
    expect(EVENT_LOOP_REFRESH_MS).toBe(5_000);
    const service = serviceFor('default', 2, 3);
    const exporter = createExporter({ service, seriesBudget: 10 });
    const lag = async () => {
      const samples = parseExposition((await exporter.render()).body);
      return samples.filter((s) => s.name.startsWith('nodejs_eventloop_lag_')).map((s) => `${s.name} ${s.value}`);
    };
    const first = await lag();
    // Every figure is there: the lag, its min, max, mean, stddev and percentiles.
    expect(first.length).toBe(8);
    // Busy the event loop between the scrapes: a refresh would report other figures.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await lag()).toEqual(first);
    exporter.detach();
  });
});
