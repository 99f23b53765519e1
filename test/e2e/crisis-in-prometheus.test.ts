import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { alertNameOf } from '../../src/monitoring/index.js';
import {
  freePort,
  type Spawned,
  signal,
  start,
  startCli,
  waitFor,
  startPrometheus,
  writePrometheusConfig,
} from './processes.js';

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

/** Every PromQL query of a committed dashboard, named by dashboard and panel. */
function dashboardQueries(): { where: string; expr: string }[] {
  const queries: { where: string; expr: string }[] = [];
  for (const file of readdirSync('grafana/dashboards')) {
    const d = JSON.parse(readFileSync(join('grafana/dashboards', file), 'utf8')) as {
      title: string;
      panels: { title: string; targets?: { expr: string }[] }[];
      annotations?: { list: { name: string; expr?: string }[] };
    };
    for (const panel of d.panels) {
      for (const t of panel.targets ?? []) queries.push({ where: `${d.title} / ${panel.title}`, expr: t.expr });
    }
    for (const a of d.annotations?.list ?? []) {
      if (a.expr) queries.push({ where: `${d.title} / annotation ${a.name}`, expr: a.expr });
    }
  }
  return queries;
}

/** A dashboard query as Grafana sends it with every variable on All. */
const withVariables = (expr: string) =>
  expr
    .replaceAll('$__rate_interval', '10s')
    .replaceAll('$__interval', '5s')
    .replace(/\$(job|instance|run)\b/g, '.*');

// One crisis run of 10 ms turns, scraped every second by a real Prometheus with the
// repository's rules: the forwarded alerts and the dashboards are checked against it.
describe('a crisis run in a real Prometheus', () => {
  const spawned: Spawned[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-crisis-'));
  const jsonl = join(dir, 'm.jsonl');
  let prometheusUrl = '';
  let startedAt = 0;
  let endedAt = 0;

  const queryRange = async (query: string) => {
    const params = new URLSearchParams({
      query,
      start: String(Math.floor(startedAt) - 5),
      end: String(Math.ceil(endedAt)),
      step: '1',
    });
    const res = await fetch(`${prometheusUrl}/api/v1/query_range?${params}`);
    const body = (await res.json()) as RangeResult & { status: string; error?: string };
    if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
    return body.data.result;
  };

  // What Alertmanager notified: one entry per webhook call, with its group's firing alerts.
  const notifications: { status: string; alerts: { status: string; labels: Record<string, string> }[] }[] = [];
  let webhook: Server | undefined;

  beforeAll(async () => {
    const [exporterPort, prometheusPort, alertmanagerPort] = [await freePort(), await freePort(), await freePort()];
    // The repository's alertmanager.yml, its receiver a webhook of this test.
    webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        notifications.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => webhook!.listen(0, '127.0.0.1', resolve));
    const webhookPort = (webhook.address() as { port: number }).port;
    const am = parse(readFileSync('alertmanager.yml', 'utf8')) as { receivers: { name: string }[] };
    am.receivers = am.receivers.map((r) =>
      r.name === 'tradesim' ? { ...r, webhook_configs: [{ url: `http://127.0.0.1:${webhookPort}/` }] } : r,
    );
    writeFileSync(join(dir, 'alertmanager.yml'), stringify(am));
    spawned.push(
      start('prometheus-alertmanager', [
        `--config.file=${join(dir, 'alertmanager.yml')}`,
        `--storage.path=${join(dir, 'am')}`,
        `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
        '--cluster.listen-address=',
      ]),
    );
    const config = writePrometheusConfig(dir, {
      rules: ['business_alerts.yml', 'alert_rules.yml'].map((f) => join(process.cwd(), f)),
      alertmanager: `127.0.0.1:${alertmanagerPort}`,
      jobs: [{ name: 'tradesim', target: `127.0.0.1:${exporterPort}` }],
    });
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    spawned.push(startPrometheus({ config, dataDir: join(dir, 'data'), port: prometheusPort }));
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
    // A one-turn firing lasts 10 ms, far less than the 1 s scrape interval.
    startedAt = Date.now() / 1000;
    const run = startCli([
      ...['--scenario', 'crisis', '--seed', '7', '--turns', '1000', '--interval', '10'],
      // No --linger: a scraped run serves on until a scrape carried its last firings.
      ...['--port', String(exporterPort), '--jsonl', jsonl, '--alert-hold', '8', '--quiet'],
    ]);
    spawned.push(run);
    expect(await run.exited, run.stderr()).toBe(0);
    const exitedAt = Date.now();
    // Prometheus has seen the end: a scrape of the target after the run exited, and every rule
    // group evaluated after that scrape. A loaded machine (the whole suite at once) delays both
    // well past their 1 s.
    await waitFor(
      'a scrape and an evaluation after the run',
      async () => {
        const { data: targets } = (await (await fetch(`${prometheusUrl}/api/v1/targets`)).json()) as {
          data: { activeTargets: { lastScrape: string }[] };
        };
        const { data: rules } = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as {
          data: { groups: { lastEvaluation: string }[] };
        };
        const scrapedAt = Date.parse(targets.activeTargets[0]?.lastScrape ?? '');
        return scrapedAt > exitedAt && rules.groups.every((g) => Date.parse(g.lastEvaluation) > scrapedAt)
          ? true
          : undefined;
      },
      45_000,
    );
    endedAt = Date.now() / 1000;
  }, 150_000);

  afterAll(async () => {
    for (const s of spawned) signal(s, 'SIGTERM');
    webhook?.close();
    await Promise.all(spawned.map((s) => s.exited));
  });

  it('every in-process firing appears once in ALERTS, short ones included, and nothing else', async () => {
    const expected = firingsInJsonl(jsonl);
    expect(expected.size).toBeGreaterThanOrEqual(5);
    // Some last less than a scrape interval (100 turns of 10 ms).
    expect([...expected.values()].filter((turns) => turns < 50).length).toBeGreaterThan(0);
    // Forwarded alerts carry the rule's name; the service rules' alerts do not.
    const series = await queryRange('ALERTS{rule!=""}');
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
  });

  it("Alertmanager, with the repository's routes, notifies each firing once", async () => {
    const expected = [...firingsInJsonl(jsonl).keys()].sort();
    const firingNotices = () =>
      notifications
        .filter((n) => n.status === 'firing')
        // Forwarded business alerts (the service rules' carry no rule label).
        .flatMap((n) => n.alerts.filter((a) => a.status === 'firing' && a.labels.rule))
        .map((a) => `${a.labels.alertname}@${a.labels.fired_turn}`);
    await waitFor('a notification for every firing', () =>
      new Set(firingNotices()).size >= expected.length ? true : undefined,
    );
    // Longer than the group wait: a second notification of a firing would have come.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(firingNotices().sort()).toEqual(expected);
  }, 40_000);

  it("every dashboard panel's query returns data, but the industry report's, which crisis does not keep", async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(40);
    const empty: string[] = [];
    for (const { where, expr } of queries) {
      const result = await queryRange(withVariables(expr));
      if (!result.some((s) => s.values.length > 0)) empty.push(`${where}: ${expr}`);
    }
    // No sample without suppliers.reportLean, never a made-up one; the cover aimed for is there.
    expect(empty).toHaveLength(1);
    expect(empty[0]).toMatch(
      /^TradeSim \/ Business \/ Suppliers' cover and the industry report: .*tradesim_supply_cover_turns\{/,
    );
  });

  it('every PromQL of docs/metrics-mapping.md returns data', async () => {
    const rows = readFileSync('docs/metrics-mapping.md', 'utf8')
      .split('\n')
      .flatMap((line) => {
        const m = /^\| `(tradesim_\w+)` \| `(.+?)` \|/.exec(line);
        return m ? [{ original: m[1]!, promql: m[2]! }] : [];
      });
    expect(rows.length).toBeGreaterThan(100);
    const empty: string[] = [];
    for (const { original, promql } of rows) {
      const result = await queryRange(promql);
      if (!result.some((s) => s.values.length > 0)) empty.push(`${original}: ${promql}`);
    }
    expect(empty).toEqual([]);
  });

  it("the dashboards' variables list the run's job, instance and run id", async () => {
    const { run } = JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[0]!) as { run: string };
    const values = async (label: string) => {
      const params = new URLSearchParams({
        'match[]': 'tradesim_info',
        start: String(Math.floor(startedAt)),
        end: String(Math.ceil(endedAt)),
      });
      const res = await fetch(`${prometheusUrl}/api/v1/label/${label}/values?${params}`);
      return ((await res.json()) as { data: string[] }).data;
    };
    expect(await values('job')).toEqual(['tradesim']);
    expect((await values('instance'))[0]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await values('run_id')).toEqual([run]);
  });
});
