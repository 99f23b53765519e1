import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alertNameOf } from '../../src/monitoring/index.js';
import { freePort, type Spawned, signal, start, startCli, waitFor } from './processes.js';

// Needs Debian's `prometheus` package, which .ci/run installs.
interface RangeResult {
  data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
}

/**
 * The firings of a run as its JSONL says (a rule firing at a turn where it did not fire the
 * turn before), each with the number of turns it lasted.
 */
function firingsInJsonl(path: string): Map<string, number> {
  const firings = new Map<string, number>();
  const open = new Map<string, string>();
  let firingBefore = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const { turn, alerts } = JSON.parse(line) as { turn: number; alerts: { rule: string; state: string }[] };
    const firingNow = new Set(alerts.filter((a) => a.state === 'firing').map((a) => a.rule));
    for (const rule of firingNow) {
      if (!firingBefore.has(rule)) open.set(rule, `${alertNameOf(rule)}@${turn}`);
      const key = open.get(rule)!;
      firings.set(key, (firings.get(key) ?? 0) + 1);
    }
    firingBefore = firingNow;
  }
  return firings;
}

describe('in-process alerts forwarded to a real Prometheus', () => {
  const spawned: Spawned[] = [];
  afterAll(async () => {
    for (const s of spawned) signal(s, 'SIGTERM');
    await Promise.all(spawned.map((s) => s.exited));
  });

  it('every firing of a crisis run appears once in ALERTS, short ones included, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-alerts-'));
    const [exporterPort, prometheusPort] = [await freePort(), await freePort()];
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ['${join(process.cwd(), 'business_alerts.yml')}']`,
        'scrape_configs:',
        '  - job_name: tradesim',
        `    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]`,
      ].join('\n'),
    );
    const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    const prometheus = start('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
    ]);
    spawned.push(prometheus);
    // Discovery hands targets to the scrapers a few seconds after start: the run starts once
    // Prometheus is trying to scrape it, so that it sees the run's first turns.
    await waitFor(
      'Prometheus to try the target',
      async () => {
        const res = await fetch(`${prometheusUrl}/api/v1/targets`);
        const body = (await res.json()) as { data: { activeTargets: { health: string }[] } };
        return body.data.activeTargets[0]?.health === 'down' ? true : undefined;
      },
      30_000,
    );

    // Turns of 10 ms: a one-turn firing lasts far less than the 1 s scrape interval.
    const jsonl = join(dir, 'm.jsonl');
    const startedAt = Date.now() / 1000;
    const run = startCli([
      ...['--scenario', 'crisis', '--seed', '7', '--turns', '1000', '--interval', '10'],
      ...['--port', String(exporterPort), '--jsonl', jsonl, '--alert-hold', '3', '--linger', '4', '--quiet'],
    ]);
    spawned.push(run);
    expect(await run.exited, run.stderr()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const expected = firingsInJsonl(jsonl);
    expect(expected.size).toBeGreaterThanOrEqual(5);
    // Some last less than a scrape interval (100 turns of 10 ms).
    expect([...expected.values()].filter((turns) => turns < 50).length).toBeGreaterThan(0);
    const end = Date.now() / 1000;
    const params = new URLSearchParams({
      query: 'ALERTS',
      start: String(Math.floor(startedAt) - 5),
      end: String(Math.ceil(end)),
      step: '1',
    });
    const body = (await (await fetch(`${prometheusUrl}/api/v1/query_range?${params}`)).json()) as RangeResult;
    const series = body.data.result;
    expect(series.filter((s) => s.metric.alertstate !== 'firing').map((s) => s.metric)).toEqual([]);
    const seen = series.map((s) => `${s.metric.alertname}@${s.metric.fired_turn}`);
    // The same set, and no firing twice (once: one series, and no gap inside it).
    expect(seen.sort()).toEqual([...expected.keys()].sort());
    for (const s of series) {
      const times = s.values.map(([t]) => t);
      const gaps = times.slice(1).filter((t, i) => t - times[i]! > 1);
      expect(gaps, `${s.metric.alertname}@${s.metric.fired_turn} fired more than once`).toEqual([]);
      expect(['critical', 'warning']).toContain(s.metric.severity);
    }
  }, 90_000);
});
