import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { evaluateRecordingRules } from '../../scripts/backfill-rules.js';
import { dashboardQueries, withVariables } from '../grafana/dashboard-queries.js';
import { scriptBundle } from '../script-bundles.js';
import {
  freePort,
  signal,
  type Spawned,
  start,
  startCli,
  waitFor,
  startPrometheus,
  writePrometheusConfig,
} from './processes.js';

// Needs Debian's `prometheus` package (prometheus and promtool). The script in its bundle
// (test/script-bundles.ts).
const backfill = (args: readonly string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [...scriptBundle('backfill'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

interface Line {
  run: string;
  turn: number;
  business: { budget: { total: number }; transaction: { totals: { successes: number } } };
  alerts: { rule: string; state: string }[];
}

/** The ten recipes of the README's PromQL cookbook (or docs/prometheus.md's, wherever it is). */
function cookbook(): { what: string; promql: string }[] {
  const text = ['README.md', 'docs/prometheus.md'].map((f) => readFileSync(f, 'utf8')).join('\n');
  const block = /#+ PromQL cookbook[\s\S]*?```promql\n([\s\S]*?)```/.exec(text)?.[1] ?? '';
  const lines = block.split('\n').filter((l) => l.trim() !== '');
  return lines.flatMap((line, i) =>
    line.startsWith('#') ? [{ what: line.slice(1).trim(), promql: lines[i + 1]! }] : [],
  );
}

// One crisis run of 1,000 turns backfilled at 15 s a turn, read by a real Prometheus whose
// lookback is just under a turn (a backfill has no staleness markers: see docs/prometheus.md).
describe('npm run backfill: a JSONL file into Prometheus blocks in the live layout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-backfill-test-'));
  const jsonl = join(dir, 'metrics.jsonl');
  const end = '2026-12-01T12:00:00Z';
  const STEP = 15;
  const TURNS = 1000;
  const at = (turn: number) => Date.parse(end) / 1000 - (TURNS - turn) * STEP;
  let lines: Line[] = [];
  let api = '';
  let prometheus: Spawned | undefined;

  const queryRange = async (query: string) => {
    const params = new URLSearchParams({ query, start: String(at(1)), end: String(at(TURNS)), step: String(STEP) });
    const body = (await (await fetch(`${api}/query_range?${params}`)).json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
    return body.data.result;
  };

  beforeAll(async () => {
    const run = startCli(
      ['--scenario', 'crisis', '--seed', '7', '--turns', String(TURNS), '--interval', '0', '--no-server'].concat([
        '--jsonl',
        jsonl,
        '--no-events',
        '--quiet',
      ]),
    );
    expect(await run.exited).toBe(0);
    lines = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    const blocks = join(dir, 'blocks');
    const built = backfill([jsonl, '--out', blocks, '--step', String(STEP), '--end', end, '--figures']);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(built.stdout).toContain(`${TURNS} lines of run ${lines[0]!.run} (turns 1-${TURNS})`);
    expect(built.stdout).toContain('6 recording rules evaluated every 7.5 s;');

    const config = writePrometheusConfig(dir, { interval: '1m' });
    const port = await freePort();
    prometheus = startPrometheus({
      config,
      dataDir: blocks,
      port,
      // The blocks end at a fixed time in the past: keep them whatever the retention.
      flags: ['--storage.tsdb.retention.time=100y', `--query.lookback-delta=${STEP - 1}s`],
    });
    api = `http://127.0.0.1:${port}/api/v1`;
    await waitFor(
      'Prometheus to be ready',
      async () => ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok ? true : undefined),
      30_000,
    );
  }, 120_000);
  afterAll(async () => {
    if (!prometheus) return;
    signal(prometheus, 'SIGTERM');
    await prometheus.exited;
  });

  it("gives, at a turn's simulated time, the live names with the turn's values", async () => {
    const query = async (promql: string, turn: number) => {
      const url = `${api}/query?query=${encodeURIComponent(promql)}&time=${at(turn)}`;
      const body = (await (await fetch(url)).json()) as {
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      expect(body.data.result, `${promql} at turn ${turn}`).toHaveLength(1);
      return body.data.result[0]!;
    };
    for (const turn of [1, 400, 920, 1000]) {
      const line = lines[turn - 1]!;
      expect(Number((await query('tradesim_turn', turn)).value[1])).toBe(turn);
      // The tutorial's tradesim_budget_total (docs/metrics-mapping.md).
      expect(Number((await query('tradesim_budget{stat="total"}', turn)).value[1])).toBe(line.business.budget.total);
      expect(Number((await query('tradesim_transactions_total{outcome="success"}', turn)).value[1])).toBe(
        line.business.transaction.totals.successes,
      );
      // --figures: the numbers /metrics has no family for, by dotted name.
      expect(Number((await query('tradesim_figure{figure="market.revenue"}', turn)).value[1])).toBe(
        (line.business as unknown as { market: { revenue: number } }).market.revenue,
      );
      const info = await query('tradesim_info', turn);
      // The live scrape's job, the run as its instance and run labels.
      expect(info.metric).toMatchObject({ job: 'tradesim', instance: line.run, run: line.run, run_id: line.run });
      expect(info.metric.scenario).toBe('crisis');
    }
  });

  it('answers every cookbook query with data', async () => {
    const recipes = cookbook();
    expect(recipes).toHaveLength(10);
    const empty: string[] = [];
    for (const { what, promql } of recipes) {
      const result = await queryRange(promql);
      if (!result.some((s) => s.values.some(([, v]) => Number.isFinite(Number(v))))) empty.push(`${what}: ${promql}`);
    }
    expect(empty).toEqual([]);
  });

  it("answers at least 90 % of the business dashboards' queries with data; the Exporter dashboard is live-only", async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(50);
    const empty: string[] = [];
    for (const { file, where, expr } of queries) {
      // A stat's fallback answers always: the query must find data without it.
      const promql = withVariables(expr, { rateInterval: '1m', interval: `${STEP}s` }).replaceAll(' or vector(0)', '');
      const result = await queryRange(promql);
      if (!result.some((s) => s.values.length > 0)) empty.push(`${file}: ${where}: ${expr}`);
    }
    const business = queries.filter((q) => q.file !== 'tradesim-exporter.json');
    const emptyBusiness = empty.filter((q) => !q.startsWith('tradesim-exporter.json'));
    // What no line holds of the business: the Gini coefficient, computed on read (docs/prometheus.md),
    // the industry report's cover, which crisis does not keep (suppliers.reportLean 0), and the
    // statistics cache's hit ratio, absent in a run no reader asked for a window statistic.
    expect(emptyBusiness.map((q) => q.split(': ')[1])).toEqual([
      'TradeSim / Business / Entries, exits and budget inequality',
      "TradeSim / Business / Suppliers' cover and the industry report",
      'TradeSim / Performance / Statistics cache hit ratio',
    ]);
    expect(emptyBusiness[0]).toContain('tradesim_budget_gini');
    expect(emptyBusiness[1]).toContain('tradesim_supply_cover_turns');
    expect(emptyBusiness[2]).toContain('tradesim_stats_cache_hit_ratio');
    expect(1 - emptyBusiness.length / business.length).toBeGreaterThanOrEqual(0.9);
    // The Exporter dashboard is the live process: its HTTP, scrape, writer and Node series are on no line.
    const exporter = queries.filter((q) => q.file === 'tradesim-exporter.json');
    expect(exporter.length).toBeGreaterThan(10);
    expect(empty.length - emptyBusiness.length).toBeGreaterThanOrEqual(exporter.length - 1);
  });

  it("gives the recording rules' series at every turn, as Prometheus records them live", async () => {
    const recorded = await queryRange('job:tradesim_turns:rate1m');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.metric).toMatchObject({ job: 'tradesim', instance: lines[0]!.run, run: lines[0]!.run });
    // One turn every STEP seconds: 1/STEP turns a second once a minute of turns is in the window.
    const settled = recorded[0]!.values.filter(([t]) => t >= at(10));
    expect(settled.length).toBeGreaterThan(TURNS - 20);
    for (const [, v] of settled) expect(Number(v)).toBeCloseTo(1 / STEP, 6);
    // The failure ratio as recorded, at the times the rule was evaluated (its group's own phase
    // in each interval, as live), against the raw expression evaluated at those very times.
    const url = `${api}/query?query=${encodeURIComponent(`job:tradesim_transaction_failures:ratio_rate1m[${TURNS * STEP}s]`)}&time=${at(TURNS)}`;
    const body = (await (await fetch(url)).json()) as { data: { result: { values: [number, string][] }[] } };
    const evaluations = body.data.result[0]!.values;
    expect(evaluations.length).toBeGreaterThan(2 * TURNS - 40);
    // Half a turn apart whatever the group's phase, so a lookback just under a turn finds one at
    // any time; a turn apart only across a 2-hour block's start, where promtool's importer may
    // skip the evaluation in the last second before it.
    for (let i = 1; i < evaluations.length; i++) {
      const [before, after] = [evaluations[i - 1]![0], evaluations[i]![0]];
      if (Math.floor(after / 7_200) === Math.floor(before / 7_200)) expect(after - before).toBeCloseTo(STEP / 2, 6);
      else expect(after - before).toBeLessThanOrEqual(STEP + 1e-6);
    }
    const params = new URLSearchParams({
      query:
        'sum by (job, instance, run) (rate(tradesim_transactions_total{outcome="failure"}[1m])) / sum by (job, instance, run) (rate(tradesim_transactions_total[1m]))',
      start: String(evaluations[0]![0]),
      end: String(evaluations.at(-1)![0]),
      step: String(STEP / 2),
    });
    const raw = (await (await fetch(`${api}/query_range?${params}`)).json()) as {
      data: { result: { values: [number, string][] }[] };
    };
    const rawAt = new Map(raw.data.result[0]!.values.map(([t, v]) => [Math.round(t * 1000), v]));
    for (const [t, v] of evaluations) {
      const expected = rawAt.get(Math.round(t * 1000));
      expect(expected, `a raw value at ${t}`).toBeDefined();
      if (v === 'NaN') expect(expected).toBe('NaN');
      else expect(Number(v), `at ${t}`).toBeCloseTo(Number(expected), 9);
    }
  });

  it("fires every business alert rule at the very turns the JSONL's alerts fire", async () => {
    const expected = new Set<string>();
    for (const line of lines) {
      for (const a of line.alerts) if (a.state === 'firing') expected.add(`${a.rule}@${line.turn}`);
    }
    expect(expected.size).toBeGreaterThan(20);
    const rules = (parse(readFileSync('business_alerts.yml', 'utf8')) as { groups: { rules: { expr: string }[] }[] })
      .groups[0]!.rules;
    const seen = new Set<string>();
    // Each rule evaluated over the blocks at every turn: no `for:`, so it fires where its expression has a result.
    for (const rule of rules) {
      for (const series of await queryRange(rule.expr)) {
        for (const [t] of series.values) seen.add(`${series.metric.rule}@${Math.round((t - at(0)) / STEP)}`);
      }
    }
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('escapes names: a newline, quotes and a backslash in a company name reach the blocks as they are', () => {
    const odd = join(dir, 'odd.jsonl');
    const text = readFileSync(jsonl, 'utf8')
      .split('\n')
      .slice(0, 5)
      .join('\n')
      .replaceAll(/"name":"([^"]+)"/g, '"name":"$1\\n\\"q\\" \\\\"');
    writeFileSync(odd, `${text}\n`);
    const blocks = join(dir, 'odd-blocks');
    const built = backfill([odd, '--out', blocks, '--end', end]);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    // promtool dump reads a folder with a WAL; the names print Go-quoted.
    mkdirSync(join(blocks, 'wal'));
    const dump = spawnSync('promtool', ['tsdb', 'dump', blocks], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const info = dump.stdout.split('\n').find((l) => l.includes('tradesim_company_info'));
    expect(info).toMatch(/name="[^"\\]+\\n\\"q\\" \\\\"/);
    // A label no line holds is empty (absent), never the text "undefined".
    expect(dump.stdout).not.toContain('"undefined"');
  });

  it('stamps lines that carry a simulated time (business.market.simulatedTime) at that time when --step is not given', () => {
    // Five lines at 0, 30, 90, 100 and 250 simulated minutes.
    const minutes = [0, 30, 90, 100, 250];
    const calendar = join(dir, 'calendar.jsonl');
    const text = readFileSync(jsonl, 'utf8')
      .split('\n')
      .slice(0, minutes.length)
      .map((l, i) => {
        const line = JSON.parse(l) as { business: { market: Record<string, unknown> } };
        // The calendar's field: seconds since the epoch.
        line.business.market.simulatedTime = Date.UTC(2030, 0, 1) / 1000 + minutes[i]! * 60;
        return JSON.stringify(line);
      });
    writeFileSync(calendar, `${text.join('\n')}\n`);
    const blocks = join(dir, 'calendar-blocks');
    const built = backfill([calendar, '--out', blocks, '--end', end]);
    expect(built.stderr).toBe('');
    expect(built.stdout).toContain("(the lines' simulated time)");
    // Turns 10 minutes apart at the closest: the repository's [1m] recording rules would record nothing.
    expect(built.stdout).toContain('no recording rules (their [1m] rates find one sample at 600 s a turn');
    mkdirSync(join(blocks, 'wal'));
    const dump = spawnSync('promtool', ['tsdb', 'dump', blocks], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const stamps = dump.stdout
      .split('\n')
      .filter((l) => l.startsWith('{__name__="tradesim_turn",'))
      .map((l) => Number(l.split(' ').at(-1)));
    const endMs = Date.parse(end);
    expect(stamps).toEqual(minutes.map((m) => endMs - (250 - m) * 60_000));
  });

  it('says so and still writes the blocks of the samples when the recording rules cannot be evaluated', () => {
    // A PATH with promtool but no prometheus to serve the blocks to the rule importer.
    const bin = join(dir, 'bin-promtool-only');
    mkdirSync(bin);
    symlinkSync(
      spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).stdout.trim(),
      join(bin, 'promtool'),
    );
    const blocks = join(dir, 'no-rules-blocks');
    const built = backfill([jsonl, '--out', blocks, '--end', end, '--step', '15'], { PATH: bin });
    expect(built.status).toBe(0);
    expect(built.stderr.trim().split('\n')).toHaveLength(1);
    expect(built.stderr).toContain('backfill: no recording-rule series: prometheus');
    expect(built.stdout).not.toContain('recording rules evaluated');
    expect(readdirSync(blocks).filter((b) => /^[0-9A-Z]{26}$/.test(b)).length).toBeGreaterThan(0);
    // Without promtool there are no blocks at all: one line, exit 2.
    const none = backfill([jsonl, '--out', join(dir, 'no-blocks'), '--end', end], { PATH: join(dir, 'nowhere') });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('promtool tsdb create-blocks-from openmetrics failed');
  });

  it('says so when blocks in --out already hold samples of the same times (an earlier backfill)', () => {
    const out = join(dir, 'twice');
    const args = [jsonl, '--out', out, '--end', end, '--step', '15', '--no-rules'];
    const once = backfill(args);
    expect(once.status, once.stderr).toBe(0);
    expect(once.stderr).not.toContain('already hold');
    const again = backfill(args);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/backfill: warning: \d+ blocks? in .* already hold samples of these times/);
  });

  it('says so when the recording rules find no data to record, and still writes the samples', () => {
    const rules = join(dir, 'finds-nothing.yml');
    writeFileSync(
      rules,
      'groups:\n  - name: nothing\n    rules:\n      - record: job:nothing:rate1m\n        expr: rate(nothing_here_total[1m])\n',
    );
    const blocks = join(dir, 'finds-nothing-blocks');
    const built = backfill([jsonl, '--out', blocks, '--step', String(STEP), '--end', end, '--rules', rules]);
    expect(built.status).toBe(0);
    expect(built.stderr.trim().split('\n')).toEqual([
      'backfill: no recording-rule series: the recording rule found no data to record',
    ]);
    expect(built.stdout).not.toContain('recording rules evaluated');
    expect(readdirSync(blocks).filter((b) => /^[0-9A-Z]{26}$/.test(b)).length).toBeGreaterThan(0);
  });

  it('evaluates the rules no closer than 0.66 s apart: Prometheus answers 11,000 points a query, a block is 2 hours', () => {
    // At --step 1, half a turn is 0.5 s: 14,400 points for a full block, which Prometheus refuses.
    const built = backfill([jsonl, '--out', join(dir, 'step-1-blocks'), '--step', '1', '--end', end]);
    expect(built.stderr).toBe('');
    expect(built.stdout).toContain('6 recording rules evaluated every 0.66 s;');
  });

  it('gives a failure to prepare the evaluation back as its reason, never throws it', async () => {
    const common = { rulesFile: 'alert_rules.yml', startMs: 0, endMs: 1_000, intervalS: 15 };
    const work = join(dir, 'unprepared-work');
    mkdirSync(work);
    const outDir = join(work, 'recorded');
    await expect(
      evaluateRecordingRules({ ...common, blocks: join(dir, 'no-such-blocks'), work, outDir }),
    ).resolves.toEqual({ error: `cannot prepare the evaluation in ${work}: ENOENT` });
    const blocks = join(dir, 'unprepared-blocks');
    mkdirSync(blocks);
    const noPort = async (): Promise<number> => Promise.reject(new Error('EMFILE: too many open files'));
    await expect(evaluateRecordingRules({ ...common, blocks, work, outDir, port: noPort })).resolves.toEqual({
      error: 'no free port for prometheus: EMFILE: too many open files',
    });
  });

  /** Evaluates the rules with `holder` on the first port given them, the next ports free. */
  async function evaluateBeside(name: string, holder: NetServer) {
    const samples = join(dir, `${name}-samples`);
    expect(backfill([jsonl, '--out', samples, '--step', String(STEP), '--end', end, '--no-rules']).status).toBe(0);
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const ports = [(holder.address() as AddressInfo).port];
    try {
      const work = join(dir, `${name}-work`);
      mkdirSync(work);
      const outDir = join(work, 'recorded');
      const outcome = await evaluateRecordingRules({
        rulesFile: 'alert_rules.yml',
        blocks: samples,
        work,
        outDir,
        startMs: at(1) * 1000,
        endMs: at(TURNS) * 1000,
        intervalS: STEP,
        port: async () => ports.shift() ?? (await freePort()),
      });
      expect(outcome).toEqual({ rules: 6 });
      expect(readdirSync(outDir).filter((b) => /^[0-9A-Z]{26}$/.test(b)).length).toBeGreaterThan(0);
    } finally {
      holder.close();
    }
  }

  it('evaluates the rules on a Prometheus of its own: another server that took its port is not asked', async () => {
    // A server that answers as a ready Prometheus, with another data folder.
    const asked: string[] = [];
    const impostor = createServer((request, response) => {
      asked.push(request.url ?? '');
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ status: 'success', data: { 'storage.tsdb.path': '/elsewhere' } }));
    });
    await evaluateBeside('impostor', impostor);
    expect(asked).toEqual(['/-/ready', '/api/v1/status/flags']);
  });

  it('tries another port when its own is held by a listener that never answers', async () => {
    // Prometheus cannot bind it, and a request to it would wait for ever: each is bounded.
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => void sockets.push(socket));
    silent.on('close', () => sockets.forEach((s) => s.destroy()));
    await evaluateBeside('silent', silent);
    sockets.forEach((s) => s.destroy());
  }, 60_000);

  it('stopped while it evaluates the rules, leaves no server, no importer and no temporary folder', async () => {
    const tmp = join(dir, 'tmp-stopped');
    mkdirSync(tmp);
    const blocks = join(dir, 'stopped-blocks');
    const run = start(
      process.execPath,
      [...scriptBundle('backfill'), jsonl, '--out', blocks, '--step', '15', '--end', end],
      { TMPDIR: tmp },
    );
    const childOf = (name: string) => {
      const found = spawnSync('pgrep', ['-P', String(run.child.pid), '-f', name], { encoding: 'utf8' }).stdout.trim();
      return found ? Number(found.split('\n')[0]) : undefined;
    };
    const importer = await waitFor('the rules importer to start', () => childOf('create-blocks-from rules'), 60_000);
    const server = childOf('prometheus --config.file');
    expect(server).toBeDefined();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(130);
    // Gone, or a zombie the backfill's end left to init: neither runs any more.
    const running = (pid: number) =>
      /^[^Z]/.test(spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim());
    await waitFor('both to stop', () => (!running(importer) && !running(server!) ? true : undefined));
    expect(readdirSync(tmp).filter((f) => f.startsWith('tradesim-backfill-'))).toEqual([]);
  });

  it('prints its usage for --help and exits 0, writing nothing', () => {
    const out = join(dir, 'never');
    const result = backfill(['--help', jsonl, '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: npm run backfill -- FILE');
    expect(() => readdirSync(out)).toThrow();
  });

  const deep = join(dir, 'deep.jsonl');
  writeFileSync(deep, `${'['.repeat(200_000)}${']'.repeat(200_000)}\n{"run":"r","turn":1,"business":{}}\n`);
  const nested = join(dir, 'nested.jsonl');
  writeFileSync(nested, `{"run":"r","turn":1,"business":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}\n{}\n`);
  // A line past 4 MiB with no newline: measured as it is read, not once readline has joined it
  // (a file of gigabytes ran that out of string length).
  const endless = join(dir, 'endless.jsonl');
  writeFileSync(endless, `{"run":"r","turn":1,"business":{}}\n${'x'.repeat(5 * 1024 * 1024)}`);
  const refusedTmp = join(dir, 'tmp-refused');
  const tiny = join(dir, 'tiny.jsonl');
  writeFileSync(tiny, '{"run":"r","seed":1,"turn":1,"business":{"scenario":"x"},"alerts":[]}\n');
  const notRules = join(dir, 'not-rules.yml');
  writeFileSync(notRules, 'x\n');
  // A last line that ends with a newline is whole, not torn: judged as any other.
  const garbageLast = join(dir, 'garbage-last.jsonl');
  writeFileSync(garbageLast, `${readFileSync(tiny, 'utf8')}GARBAGE not json\n`);
  // Simulated time running backwards: stamped by it, turn 2 would go before turn 1.
  const timed = (turn: number, seconds: number) =>
    `{"run":"r","seed":1,"turn":${turn},"business":{"scenario":"x","market":{"simulatedTime":${seconds}}},"alerts":[]}\n`;
  const backwards = join(dir, 'backwards.jsonl');
  writeFileSync(backwards, timed(1, 7_200) + timed(2, 3_600));
  const alertsOnly = join(dir, 'alerts-only.yml');
  writeFileSync(alertsOnly, 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: vector(1)\n');
  it.each([
    [[], 'give one JSONL file'],
    // A rules file that records nothing is refused before any work, not found out at the end.
    [[tiny, '--rules', notRules], `--rules: ${notRules}: not a rules file promtool takes`],
    [[tiny, '--rules', alertsOnly], `--rules: ${alertsOnly}: no recording rule in it`],
    [[tiny, '--rules', alertsOnly, '--no-rules'], '--rules: cannot be used with --no-rules'],
    [[tiny, '--step', '5', '--step', '7'], '--step: given more than once'],
    [[tiny, '--out', '/dev/null/blocks'], '--out: cannot make /dev/null/blocks'],
    // A file was taken for the folder until the blocks were built, then a stack trace.
    [[tiny, '--out', 'package.json'], '--out: package.json is not a folder'],
    [[garbageLast], 'garbage-last.jsonl:2: not a JSON line'],
    [[backwards], "backwards.jsonl: turn 2's simulated time is not after turn 1's; it must increase (or give --step)"],
    [[tiny, '--step', '-1'], "--step: must be seconds from 0.001 to 86400, got '-1'"],
    // Under /proc mkdir answers ENOENT for ever: Node's recursive mkdirSync spun on it.
    [[tiny, '--out', '/proc/tradesim-blocks'], '--out: cannot make /proc/tradesim-blocks'],
    [[tiny, '--step', '0.0001'], '--step: must be seconds from 0.001 to 86400'],
    [['package.json', '--end', '0'], '--end: must be a date and time'],
    [[tiny, '--rules', 'nowhere.yml'], '--rules: nowhere.yml: no such file'],
    [['nowhere.jsonl'], 'nowhere.jsonl: no such file'],
    [['package.json'], 'package.json:1: not a JSON line'],
    [['package.json', '--step', '0'], '--step: must be seconds'],
    [['package.json', '--end', 'yesterday'], '--end: must be a date and time'],
    [['package.json', '--end', '0001-01-01T00:00:00Z'], '--end: must be between 1970 and 9999'],
    [['package.json', '--end', '+275760-09-13T00:00:00Z'], '--end: must be between 1970 and 9999'],
    [['package.json', '--nope'], "Unknown option '--nope'"],
    [[deep], 'deep.jsonl:1: nested deeper than 32 levels'],
    [[nested], 'nested.jsonl:1: nested deeper than 32 levels'],
    [[endless], 'endless.jsonl:2: a line longer than 4194304 bytes'],
  ])('refuses %j with one line and exit 2, leaving no temporary folder', (args, message) => {
    // One folder for every case (the cases run one after another).
    mkdirSync(refusedTmp, { recursive: true });
    const result = backfill(args, { TMPDIR: refusedTmp });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(readdirSync(refusedTmp).filter((f) => f.startsWith('tradesim-'))).toEqual([]);
  });
});
