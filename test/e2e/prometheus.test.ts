import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  type Spawned,
  servingUrl,
  signal,
  start,
  waitFor,
  startPrometheus,
  writePrometheusConfig,
} from './processes.js';

// Needs Debian's `prometheus` package (prometheus and promtool), which .ci/run installs.
const promtool = (...args: string[]) => spawnSync('promtool', args, { encoding: 'utf8' });

interface QueryResult {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe('with a real Prometheus server', () => {
  let simulate: Spawned;
  let prometheus: Spawned;
  let exporterUrl = '';
  let prometheusUrl = '';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-prom-'));
    simulate = start('npm', [
      'run',
      '-s',
      'simulate',
      '--',
      '--seed',
      '9',
      '--interval',
      '50',
      '--port',
      '0',
      '--jsonl',
      join(dir, 'm.jsonl'),
    ]);
    exporterUrl = await servingUrl(simulate);
    const target = new URL(exporterUrl).host;
    const config = writePrometheusConfig(dir, {
      rules: ['business_alerts.yml', 'alert_rules.yml'].map((f) => join(process.cwd(), f)),
      jobs: [{ name: 'tradesim', target }],
    });
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = startPrometheus({ config, dataDir: join(dir, 'data'), port });
  }, 60_000);

  afterAll(async () => {
    signal(prometheus, 'SIGTERM');
    signal(simulate, 'SIGTERM');
    await Promise.all([prometheus.exited, simulate.exited]);
  });

  const query = async (promql: string) => {
    const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    return (await res.json()) as QueryResult;
  };

  it('scrapes the exporter until the target is up', async () => {
    const health = await waitFor(
      'the target to be up',
      async () => {
        const res = await fetch(`${prometheusUrl}/api/v1/targets`);
        const body = (await res.json()) as { data: { activeTargets: { health: string; lastError: string }[] } };
        const t = body.data.activeTargets[0];
        return t?.health === 'up' ? t : undefined;
      },
      40_000,
    );
    expect(health.lastError).toBe('');
  });

  it('answers tradesim_turns_total and a business gauge through its API', async () => {
    const turns = await waitFor('tradesim_turns_total', async () => {
      const r = await query('tradesim_turns_total{job="tradesim"}');
      const v = Number(r.data.result[0]?.value[1]);
      return v > 0 ? v : undefined;
    });
    expect(turns).toBeGreaterThan(0);
    const budget = await query('tradesim_budget{job="tradesim",stat="total"}');
    expect(budget.status).toBe('success');
    expect(Number(budget.data.result[0]?.value[1])).toBeGreaterThan(0);
    const info = await query('tradesim_info{job="tradesim"}');
    expect(info.data.result[0]?.metric).toMatchObject({ seed: '9', scenario: 'default' });
    // The turn counter only goes up between two scrapes.
    const later = await waitFor('a later scrape', async () => {
      const v = Number((await query('tradesim_turns_total{job="tradesim"}')).data.result[0]?.value[1]);
      return v > turns ? v : undefined;
    });
    expect(later).toBeGreaterThan(turns);
  });

  it('loads the alert and recording rules, and evaluates every one without error', async () => {
    const rules = await waitFor('every rule evaluated', async () => {
      const body = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as {
        data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
      };
      const all = body.data.groups.flatMap((g) => g.rules);
      return all.every((r) => r.health !== 'unknown') ? all : undefined;
    });
    // business_alerts.yml: 7 threshold rules, 16 SLO burn-rate alerts (4 SLOs) and TradeSimAlert; alert_rules.yml: 18.
    expect(rules).toHaveLength(42);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    // The recording rules give the dashboards' figures from the live scrape (rate() over 1m
    // reads low until a minute of samples is in: only that it is recorded is checked here).
    const turnRate = await waitFor('a turn rate recorded', async () => {
      const v = Number((await query('job:tradesim_turns:rate1m{job="tradesim"}')).data.result[0]?.value[1]);
      return v > 0 ? v : undefined;
    });
    expect(turnRate).toBeLessThan(25);
  });

  it("answers every query of the README's PromQL cookbook with data", async () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /### PromQL cookbook[\s\S]*?```promql\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const recipes = lines.flatMap((line, i) =>
      line.startsWith('#') ? [{ what: line.slice(1).trim(), promql: lines[i + 1] ?? '' }] : [],
    );
    expect(recipes).toHaveLength(10);
    for (const { what, promql } of recipes) {
      const result = await waitFor(`data for "${what}": ${promql}`, async () => {
        const body = await query(promql);
        expect(body.status, `${what}: ${promql}`).toBe('success');
        return body.data.result.length > 0 ? body.data.result : undefined;
      });
      expect(
        result.every((r) => Number.isFinite(Number(r.value[1]))),
        `${what}: ${promql}`,
      ).toBe(true);
    }
  });

  it('a live scrape passes promtool check metrics with no finding', async () => {
    const text = await (await fetch(`${exporterUrl}/metrics`)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('promtool on the repository config', () => {
  it('accepts prometheus.yml', () => {
    const r = promtool('check', 'config', 'prometheus.yml');
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('passes the alert rule tests', () => {
    const r = promtool('test', 'rules', 'alert_rules.test.yml');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
  });
});
