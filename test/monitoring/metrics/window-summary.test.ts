import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../../src/monitoring/metrics/catalogue.js';
import { registerPulled } from '../../../src/monitoring/metrics/pulled-metric.js';
import { createWindowSummary } from '../../../src/monitoring/metrics/window-summary.js';
import { createExporter } from '../../../src/monitoring/index.js';
import { quantile } from '../../../src/services/index.js';
import { parseExposition, loopFor } from '../fixtures.js';

const def = METRICS.find((m) => m.name === 'tradesim_turn_duration_quantiles_seconds')!;

describe('window summary', () => {
  it('renders quantiles of the window and the running sum and count', async () => {
    let source = { window: [4, 1, 3, 2, 5] as ArrayLike<number>, sum: 40, count: 12 };
    const summary = createWindowSummary(def, () => source);
    const registry = new client.Registry();
    registerPulled(registry, summary);
    const samples = parseExposition(await registry.metrics());
    const at = (q: string) => samples.find((s) => s.labels.quantile === q)?.value;
    // Sorted 1..5: R-7 quantiles 3, 4.6 and 4.96.
    expect(at('0.5')).toBe(3);
    expect(at('0.9')).toBeCloseTo(4.6, 12);
    expect(at('0.99')).toBeCloseTo(4.96, 12);
    expect(samples.find((s) => s.name === `${def.name}_sum`)?.value).toBe(40);
    expect(samples.find((s) => s.name === `${def.name}_count`)?.value).toBe(12);
    expect(await registry.metrics()).toContain(`# TYPE ${def.name} summary`);
    // The window it read is left as it was.
    expect(Array.from(source.window)).toEqual([4, 1, 3, 2, 5]);

    source = { window: [], sum: 0, count: 0 };
    const empty = parseExposition(await registry.metrics());
    expect(empty.filter((s) => s.name === def.name).map((s) => s.value)).toEqual([0, 0, 0]);
  });

  it('takes the turn-duration quantiles over the services history and counts every turn seen', async () => {
    const loop = loopFor('default', 3, 0);
    const exporter = createExporter({ loop, seriesBudget: 50 });
    let sum = 0;
    for (let i = 0; i < 250; i++) sum += loop.runTurn().performance.turnSeconds;
    const samples = parseExposition((await exporter.render()).body);
    const history = loop.history('performance.turnSeconds', loop.config.services.historyTurns).values;
    expect(history.length).toBe(loop.config.services.historyTurns);
    for (const q of [0.5, 0.9, 0.99]) {
      const rendered = samples.find((s) => s.name === def.name && s.labels.quantile === String(q))!.value;
      expect(rendered).toBe(quantile(history, q));
    }
    expect(samples.find((s) => s.name === `${def.name}_count`)?.value).toBe(250);
    expect(samples.find((s) => s.name === `${def.name}_sum`)?.value).toBeCloseTo(sum, 12);
    exporter.detach();
  });
});
