import { readFileSync } from 'node:fs';
import { buildApp } from '../../../src/monitoring/http/app.js';
import { describe, expect, it } from 'vitest';
import {
  createExporter,
  createSystemSampler,
  METRICS,
  renderMetricsTable,
  TABLE_BEGIN,
  TABLE_END,
} from '../../../src/monitoring/index.js';
import { parseExposition, loopFor } from '../fixtures.js';

describe('metric catalogue', () => {
  it('names every metric after the conventions', () => {
    const names = METRICS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of METRICS) {
      expect(m.name).toMatch(/^tradesim_[a-z0-9_]+$/);
      expect(m.name.endsWith('_total')).toBe(m.type === 'counter');
      expect(m.help.length).toBeGreaterThan(10);
      // Latin-1 only: one character above it makes the whole scrape a two-byte string, twice the bytes.
      expect(
        [...m.help].every((c) => c.charCodeAt(0) <= 0xff),
        m.name,
      ).toBe(true);
      // The unit comes last, before a counter's _total (process_cpu_seconds_total).
      if (m.unit === 'seconds') expect(m.name).toMatch(/_seconds(_total)?$/);
      if (m.unit === 'bytes') expect(m.name).toMatch(/_bytes(_total)?$/);
    }
  });

  it('has every metric in a real exposition, with its declared labels', async () => {
    // A market that drains, so alerts go pending and fire; the exporter listens from turn 1.
    const loop = loopFor(
      {
        companies: { budgetMin: 800, budgetMax: 800 },
        market: { selectionProbability: 1, quantityMin: 20, quantityMax: 20 },
        // The industry report on, read a turn later: its cover is on /metrics from turn 2.
        suppliers: { reportLean: 0.3, reportDelayTurns: 1 },
        // A rule that always holds: an alert is firing when /metrics is read.
        alerts: { rules: [{ name: 'budgets_exist', figure: 'budget.total', op: '>=', threshold: 0 }] },
      },
      5,
      0,
    );
    const sampler = createSystemSampler();
    await sampler.sampleNow();
    const exporter = createExporter({ loop, seriesBudget: 10, system: () => sampler.latest() });
    const app = buildApp({ loop, exporter, startedAtMs: Date.now(), stallAfterSeconds: 10 });
    // Ratios are absent on a turn with nothing to measure: play on to a turn with purchases,
    // and window statistics read (the cache's hit ratio counts lookups) before it.
    const measured = () => [loop.latest()!.market.fillRate, loop.latest()!.performance.cacheHitRatio];
    for (let i = 0; i < 20 || !measured().every(Number.isFinite); i++) {
      if (i === 200) throw new Error('no turn with purchases and lookups in 200');
      if (i > 0) await app.inject({ url: '/api/stats' });
      loop.runTurn();
    }
    expect(loop.latest()!.alerts.active.length).toBeGreaterThan(0);
    await app.inject({ url: '/health' });
    const text = (await app.inject({ url: '/metrics' })).body;
    const samples = parseExposition(text);
    for (const m of METRICS) {
      expect(text, m.name).toContain(`# TYPE ${m.name} ${m.type}`);
      const suffixes =
        m.type === 'histogram' ? ['_bucket', '_sum', '_count'] : m.type === 'summary' ? ['', '_sum', '_count'] : [''];
      const own = samples.filter((s) => suffixes.some((suffix) => s.name === `${m.name}${suffix}`));
      expect(own.length, m.name).toBeGreaterThan(0);
      for (const s of own) {
        const labels = Object.keys(s.labels).filter((l) => l !== 'le' && l !== 'quantile');
        expect(labels.sort(), m.name).toEqual([...m.labels].sort());
      }
    }
    expect(samples.find((s) => s.name === 'tradesim_machine_memory_total_bytes')?.value).toBeGreaterThan(0);
    // prom-client's default metrics come along under their standard names.
    expect(text).toContain('# TYPE process_cpu_seconds_total counter');
    expect(text).not.toContain('nodejs_active_handles_total');
  });

  it('is the table in docs/metrics.md (npm run docs:metrics regenerates it)', () => {
    const readme = readFileSync('docs/metrics.md', 'utf8');
    const begin = readme.indexOf(TABLE_BEGIN);
    const end = readme.indexOf(TABLE_END);
    expect(begin).toBeGreaterThan(0);
    expect(readme.slice(begin + TABLE_BEGIN.length, end).trim()).toBe(renderMetricsTable());
  });
});
