import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupUrl } from '../../src/monitoring/index.js';
import { dashboardQueries, withVariables } from '../grafana/dashboard-queries.js';
import {
  freePort,
  servingUrl,
  signal,
  type Spawned,
  start,
  startCli,
  waitFor,
  startPrometheus,
  writePrometheusConfig,
} from './processes.js';

/** Debian's Pushgateway (apt-get install prometheus-pushgateway). */
const PUSHGATEWAY = process.env.PUSHGATEWAY_PATH ?? '/usr/bin/prometheus-pushgateway';

/** The sample lines of one run's group on the Pushgateway's /metrics. */
async function groupLines(gateway: string, run: string): Promise<string[]> {
  const text = await (await fetch(`${gateway}/metrics`)).text();
  return text.split('\n').filter((l) => l.includes(`run="${run}"`) && l.includes('job="tradesim_batch"'));
}

/** The samples of one run's group on the Pushgateway's /metrics, by metric name. */
async function groupSamples(gateway: string, run: string): Promise<Map<string, number>> {
  const samples = new Map<string, number>();
  for (const line of await groupLines(gateway, run)) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m) samples.set(m[1]!, Number(m[3]));
  }
  return samples;
}

describe("--pushgateway with Debian's prometheus-pushgateway", () => {
  let gateway: Spawned;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gateway = start(PUSHGATEWAY, [`--web.listen-address=127.0.0.1:${port}`]);
    await waitFor('the Pushgateway to answer', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
  });
  afterAll(() => signal(gateway, 'SIGKILL'));

  it('keeps a run id a path cannot carry (a slash, a space, `..`, empty) as its own group, label intact', async () => {
    const ids = ['odd/run id', '..', ''];
    for (const id of ids) {
      const put = await fetch(groupUrl(url, 'tradesim_batch', id), { method: 'PUT', body: 'tradesim_turn 7\n' });
      expect(put.status).toBe(200);
    }
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const id of ids) expect(text).toContain(`tradesim_turn{instance="",job="tradesim_batch",run="${id}"} 7`);
    for (const id of ids) await fetch(groupUrl(url, 'tradesim_batch', id), { method: 'DELETE' });
  });

  it('pushes the final state of a flat-out batch run that no scrape would see', async () => {
    const run = startCli([
      ...['--scenario', 'crisis', '--seed', '7', '--turns', '300', '--interval', '0'],
      // The final state is checked here: its firings' hold is waited out for a second only.
      ...['--no-server', '--no-jsonl', '--pushgateway', url, '--alert-hold', '1'],
    ]);
    expect(await run.exited).toBe(0);
    const runId = /run ([0-9a-f-]{36})/.exec(run.stderr())![1]!;
    const samples = await groupSamples(url, runId);
    expect(samples.get('tradesim_turns_total')).toBe(300);
    expect(samples.get('tradesim_turn')).toBe(300);
    expect(samples.has('tradesim_demand_index')).toBe(true);
    // The Pushgateway took the push as it is: its own record of the group's last push.
    expect(samples.get('push_failure_time_seconds')).toBe(0);
    expect(run.stderr()).not.toContain('push failed');
  });

  it('pushes every --push-every seconds while a run goes on, and keeps each run in its own group', async () => {
    const run = startCli([
      ...['--scenario', 'default', '--seed', '1', '--interval', '20', '--no-jsonl', '--port', String(await freePort())],
      ...['--pushgateway', url, '--push-every', '1'],
    ]);
    const runId = await waitFor('the run id', () => /run ([0-9a-f-]{36})/.exec(run.stderr())?.[1]);
    const first = await waitFor('a first push', async () => (await groupSamples(url, runId)).get('tradesim_turn'));
    const later = await waitFor('a later push', async () => {
      const turn = (await groupSamples(url, runId)).get('tradesim_turn');
      return turn !== undefined && turn > first + 20 ? turn : undefined;
    });
    expect(later).toBeGreaterThan(first);
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    const final = (await groupSamples(url, runId)).get('tradesim_turns_total');
    expect(final).toBeGreaterThanOrEqual(later);
  });

  it('goes on when the Pushgateway cannot be reached, with one warning', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const run = startCli([
      ...['--scenario', 'default', '--seed', '1', '--turns', '200', '--interval', '10'],
      ...['--no-server', '--no-jsonl', '--pushgateway', nowhere, '--push-every', '1', '--alert-hold', '1'],
    ]);
    expect(await run.exited).toBe(0);
    const lines = run.stderr().split('\n');
    // The pushes during the run: one warning a minute. The last: said on its own.
    const warnings = lines.filter((l) => l.startsWith('tradesim: warning: push failed'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${nowhere}/metrics/job/tradesim_batch/run/`);
    expect(
      lines.filter((l) => l.includes("the last push failed, the run's final state is not on the Pushgateway")),
    ).toHaveLength(1);
  });

  it('ends a crisis batch with its final state and nothing firing, so the pushed run never pages', async () => {
    // Past the recall (turns 400-409), whose firings are over by turn 431.
    const run = startCli([
      ...['--scenario', 'crisis', '--seed', '7', '--turns', '450', '--interval', '0'],
      ...['--no-server', '--no-jsonl', '--pushgateway', url, '--alert-hold', '4'],
    ]);
    // After the last turn the held firings are pushed, and kept there for their hold, so that
    // Prometheus scrapes each (flat out, they fired and resolved within a second).
    await waitFor('the held firings', () =>
      run.stderr().includes('pushing the held alert firings') ? true : undefined,
    );
    const runId = /run ([0-9a-f-]{36})/.exec(run.stderr())![1]!;
    const held = await groupLines(url, runId);
    expect(held.filter((l) => l.startsWith('tradesim_alert_firing{')).length).toBeGreaterThan(0);
    expect(await run.exited).toBe(0);
    const lines = await groupLines(url, runId);
    // Rules fired during the run...
    const fired = lines.filter(
      (l) => l.startsWith('tradesim_alert_transitions_total{') && l.includes('state="firing"'),
    );
    expect(fired.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)).toBeGreaterThan(0);
    // ...and the final state has none of them firing: they are there at 0, none at 1.
    const firingLines = lines.filter((l) => l.startsWith('tradesim_alert_firing{'));
    expect(firingLines.length).toBeGreaterThan(0);
    expect(firingLines.filter((l) => !l.endsWith('} 0'))).toEqual([]);
    expect(
      lines
        .find((l) => l.startsWith('tradesim_turn{'))
        ?.split(' ')
        .at(-1),
    ).toBe('450');
    // The Pushgateway's own time of the last push: what a rule reads to call the batch done.
    expect(lines.some((l) => l.startsWith('push_time_seconds{'))).toBe(true);
  });

  it('--push-delete leaves nothing of the run on the Pushgateway', async () => {
    const run = startCli([
      ...['--scenario', 'default', '--seed', '2', '--interval', '20', '--no-jsonl', '--no-server'],
      ...['--pushgateway', url, '--push-every', '1', '--push-delete'],
    ]);
    const runId = await waitFor('the run id', () => /run ([0-9a-f-]{36})/.exec(run.stderr())?.[1]);
    await waitFor('a first push', async () => (await groupSamples(url, runId)).get('tradesim_turn'));
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(await groupLines(url, runId)).toEqual([]);
    expect(run.stderr()).not.toContain('push failed');
  });

  it('stops within 2 s of SIGTERM when the Pushgateway takes connections and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const run = startCli([
      ...['--scenario', 'default', '--seed', '2', '--interval', '20', '--no-jsonl', '--no-server'],
      ...['--pushgateway', `http://127.0.0.1:${port}`, '--push-every', '1'],
    ]);
    // A periodic push is under way (and will never be answered) when the stop comes.
    await waitFor('a push to hang', () => (sockets.length > 0 ? true : undefined));
    const stoppedAt = Date.now();
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    expect(run.stderr()).toMatch(/push failed: .*no answer within \d+ ms/);
    for (const socket of sockets) socket.destroy();
    silent.close();
  });

  it('prints the first KB of a huge error answer on one line, control characters escaped', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      res.statusCode = 500;
      res.write('\u001b[2Jgateway\nbroken\n');
      // About 50 MB more, as fast as it is read: the run must read none of it.
      let left = 6_000;
      const more = () => {
        while (left > 0 && res.write('z'.repeat(8192))) left -= 1;
        if (left > 0) res.once('drain', more);
        else res.end();
      };
      more();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const run = startCli([
      ...['--scenario', 'default', '--seed', '1', '--turns', '50', '--interval', '0'],
      ...['--no-server', '--no-jsonl', '--pushgateway', `http://127.0.0.1:${port}`],
    ]);
    expect(await run.exited).toBe(0);
    server.closeAllConnections();
    server.close();
    const warnings = run
      .stderr()
      .split('\n')
      .filter((l) => l.includes('push failed'));
    // The first push's warning, and the last push's own.
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('the last push failed');
    expect(warnings[1]!.length).toBeLessThan(1_400);
    expect(warnings[0]).toContain('HTTP 500: \\u001b[2Jgateway\\nbroken\\nzzz');
    expect(warnings[0]!.length).toBeLessThan(1_300);
    expect(run.stderr()).not.toContain('\u001b');
  });

  describe('with a real Prometheus scraping a live run and the Pushgateway side by side', () => {
    let live: Spawned;
    let prometheus: Spawned;
    let prometheusUrl = '';
    const query = async (promql: string) => {
      const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
      return (await res.json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
    };
    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tradesim-pushprom-'));
      live = startCli(['--seed', '9', '--interval', '50', '--port', '0', '--no-jsonl']);
      const target = new URL(await servingUrl(live)).host;
      const config = writePrometheusConfig(dir, {
        // The repository's rules, business and service: none may fire or pend on the pushed run.
        rules: ['business_alerts.yml', 'alert_rules.yml'].map((f) => join(process.cwd(), f)),
        jobs: [
          { name: 'tradesim', target },
          { name: 'pushgateway', target: new URL(url).host, honorLabels: true },
        ],
      });
      const port = await freePort();
      prometheusUrl = `http://127.0.0.1:${port}`;
      prometheus = startPrometheus({ config, dataDir: join(dir, 'data'), port });
    }, 60_000);
    afterAll(async () => {
      signal(prometheus, 'SIGTERM');
      signal(live, 'SIGTERM');
      await Promise.all([prometheus.exited, live.exited]);
    });

    it('a pushed crisis run never fires after its end, and every cookbook query holds with both present', async () => {
      const batch = startCli([
        ...['--scenario', 'crisis', '--seed', '7', '--turns', '300', '--interval', '0'],
        ...['--no-server', '--no-jsonl', '--pushgateway', url, '--alert-hold', '2'],
      ]);
      expect(await batch.exited).toBe(0);
      const endedAt = Date.now();
      const runId = /run ([0-9a-f-]{36})/.exec(batch.stderr())![1]!;
      const pushed = `job="tradesim_batch",run="${runId}"`;
      // Three scrapes of the final push: every business rule has been evaluated on it.
      await waitFor(
        'three scrapes of the pushed run',
        async () => {
          const r = await query(`count_over_time(tradesim_turn{${pushed}}[1m])`);
          return Number(r.data.result[0]?.value[1]) >= 3 ? true : undefined;
        },
        40_000,
      );
      expect((await query(`tradesim_turn{${pushed}}`)).data.result[0]?.value[1]).toBe('300');
      // Not now, and at no evaluation since the final push was scraped: no alert of the pushed
      // run, firing or pending, business or service (alert_rules.test.yml holds the same ten
      // minutes later, with the pushed group unchanged and its last turn long past).
      expect((await query('ALERTS{job="tradesim_batch"}')).data.result).toEqual([]);
      const sinceEnd = `${Math.floor((Date.now() - endedAt) / 1000)}s`;
      expect((await query(`count_over_time(ALERTS{run="${runId}"}[${sinceEnd}])`)).data.result).toEqual([]);
      expect((await query(`count_over_time(ALERTS{job="tradesim_batch"}[${sinceEnd}])`)).data.result).toEqual([]);

      const readme = readFileSync('README.md', 'utf8');
      const block = /### PromQL cookbook[\s\S]*?```promql\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
      const recipes = block.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
      expect(recipes).toHaveLength(10);
      for (const promql of recipes) {
        // The live run's answer: data, from the live run only.
        const result = await waitFor(`data for ${promql}`, async () => {
          const body = await query(promql);
          expect(body.status, `${promql}: ${body.error}`).toBe('success');
          return body.data.result.length > 0 ? body.data.result : undefined;
        });
        expect(
          result.every((r) => Number.isFinite(Number(r.value[1]))),
          promql,
        ).toBe(true);
        // The same query for the pushed run: no error (no many-to-many), and data for a gauge.
        const forPushed = promql.replaceAll('job="tradesim"', pushed);
        const body = await query(forPushed);
        expect(body.status, `${forPushed}: ${body.error}`).toBe('success');
        if (!/rate\(|increase\(/.test(promql)) expect(body.data.result.length, forPushed).toBeGreaterThan(0);
      }

      // Every dashboard query, for the live job and for the pushed run: no error (no
      // many-to-many), and the recorded rates of each run apart (by job, instance and run).
      const [liveId] = (await query('tradesim_info{job="tradesim"}')).data.result.map((r) => r.metric.run_id!);
      for (const [job, run] of [
        ['tradesim', liveId!],
        ['tradesim_batch', runId],
        // Every run the Pushgateway holds (this file's earlier tests pushed several).
        ['tradesim_batch', '.*'],
      ] as const) {
        for (const { where, expr } of dashboardQueries()) {
          const promql = withVariables(expr, { rateInterval: '10s', interval: '1s', job, run });
          const body = await query(promql);
          expect(body.status, `${job} ${where}: ${body.error}`).toBe('success');
        }
        const turns = await waitFor(`the recorded turn rate of ${job}`, async () => {
          const turnsPerSecond = withVariables(
            dashboardQueries().find((q) => q.where === 'TradeSim / Overview / Turns per second')!.expr,
            { rateInterval: '10s', interval: '1s', job, run },
          );
          const { result } = (await query(turnsPerSecond)).data;
          return result.length > 0 ? result : undefined;
        });
        expect(turns).toHaveLength(1);
      }
      const recorded = (await query('job:tradesim_turns:rate1m')).data.result.map((r) => r.metric);
      expect(recorded.filter((m) => m.job === 'tradesim' && m.run === undefined)).toHaveLength(1);
      expect(recorded.filter((m) => m.job === 'tradesim_batch' && m.run === runId)).toHaveLength(1);
    });
  });
});
