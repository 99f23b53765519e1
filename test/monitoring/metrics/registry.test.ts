import { describe, expect, it } from 'vitest';
import { EVENT_LOOP_REFRESH_MS, throttled } from '../../../src/monitoring/metrics/registry.js';
import { createExporter } from '../../../src/monitoring/index.js';
import { parseExposition, loopFor } from '../fixtures.js';

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
    const loop = loopFor('default', 2, 3);
    const exporter = createExporter({ loop, seriesBudget: 10 });
    const lag = async () => {
      const samples = parseExposition((await exporter.render()).body);
      return samples.filter((s) => s.name.startsWith('nodejs_eventloop_lag_')).map((s) => `${s.name} ${s.value}`);
    };
    const first = await lag();
    // Every figure is there: the lag, its min, max, mean, stddev and percentiles.
    expect(first.length).toBe(8);
    // Time must pass between the scrapes, with the event loop busy: a refresh would report other figures.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await lag()).toEqual(first);
    exporter.detach();
  });
});

describe('metric shapes on the wire', () => {
  it('rounds money as the JSONL line does, gives total over initial as a ratio, and names top entities in info metrics', async () => {
    const loop = loopFor('default', 2, 30);
    const exporter = createExporter({ loop, seriesBudget: 3 });
    const samples = parseExposition((await exporter.render()).body);
    const snap = loop.latest()!;
    // Sums of cents read in cents, not 122.36999999999999.
    const sums = samples.filter(
      (x) =>
        x.name === 'tradesim_company_spent' ||
        (x.name === 'tradesim_budget' && ['total', 'min'].includes(x.labels.stat!)),
    );
    expect(sums.length).toBeGreaterThan(2);
    for (const s of sums)
      expect(Math.round(s.value * 100) / 100, `${s.name} ${JSON.stringify(s.labels)}`).toBe(s.value);
    // A price keeps the line's six decimals: the same number in both.
    for (const stat of ['min', 'mean', 'max'] as const) {
      const sample = samples.find(
        (x) => x.name === 'tradesim_product_price' && x.labels.type === 'all' && x.labels.stat === stat,
      );
      const price = snap.product.price[stat];
      expect(Math.round(price * 100) / 100).not.toBe(price);
      expect(sample?.value).toBe(Math.round(price * 1e6) / 1e6);
    }
    expect(samples.find((s) => s.name === 'tradesim_budget_to_initial_ratio')?.value).toBeCloseTo(
      snap.budget.total / snap.budget.initialTotal,
      9,
    );
    const info = samples.filter((s) => s.name === 'tradesim_company_info');
    expect(info).toHaveLength(2);
    expect(info[0]!.labels).toEqual({
      company: snap.company.topBySpend[0]!.id,
      name: snap.company.topBySpend[0]!.name,
      continent: snap.company.topBySpend[0]!.continent,
      strategy: snap.company.topBySpend[0]!.strategy,
    });
    expect(samples.filter((s) => s.name === 'tradesim_product_info').every((s) => s.labels.type !== undefined)).toBe(
      true,
    );
  });

  it('writes OpenMetrics UNIT lines for families named with a base unit', async () => {
    const exporter = createExporter({ loop: loopFor('default', 2, 3), seriesBudget: 3 });
    const body = (await exporter.render('application/openmetrics-text; version=1.0.0')).body;
    expect(body).toContain(
      '# TYPE tradesim_turn_duration_seconds histogram\n# UNIT tradesim_turn_duration_seconds seconds',
    );
    expect(body).toContain('# UNIT tradesim_jsonl_write_seconds seconds');
    expect(body).toContain('# UNIT tradesim_budget_evolution_ratio ratio');
    for (const [, family, unit] of body.matchAll(/^# UNIT (\S+) (\S+)$/gm))
      expect(family!.endsWith(`_${unit}`)).toBe(true);
    expect((await exporter.render()).body).not.toContain('# UNIT');
  });
});
