/*
 * Break it live, with the real CLI: market shocks started and stopped over HTTP replay byte
 * for byte; each exporter fault makes its rule fire in a real Prometheus and resolve once
 * off; exemplars lead from the turn histogram to a turn.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { businessAlertRules } from '../../src/monitoring/index.js';
import { loadRunConfig } from '../../src/services/index.js';
import {
  freePort,
  servingUrl,
  signal,
  type Spawned,
  startCli,
  waitFor,
  startPrometheus,
  writePrometheusConfig,
} from './processes.js';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const turnOf = async (base: string) => ((await (await fetch(`${base}/api/stats`)).json()) as { turn: number }).turn;

/** Each JSONL line's turn and business fields, as written (bytes, not parsed). */
function businessOf(path: string): string[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const m = /"turn":(\d+),.*?("business":.*),"system":/.exec(line);
      if (!m) throw new Error(`no business fields in ${line.slice(0, 80)}`);
      return `${m[1]} ${m[2]}`;
    });
}

describe('live shocks over HTTP', () => {
  it('are in the event log at their turn, and a replay flat out writes the same business fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-shocks-'));
    const played = startCli([
      ...['--seed', '5', '--turns', '160', '--interval', '15', '--port', '0'],
      ...['--jsonl', join(dir, 'played.jsonl'), '--shock', 'type=demand_surge,at=+30,turns=20,severity=0.5'],
      ...['--checkpoint', join(dir, 'played.ckpt')],
    ]);
    const url = await servingUrl(played);
    await waitFor('turn 20', async () => ((await turnOf(url)) >= 20 ? true : undefined));
    // Refused as the controls are: another origin.
    const foreign = await fetch(`${url}/api/shocks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ action: 'start', shock: 'credit_freeze' }),
    });
    expect(foreign.status).toBe(403);
    const started = (await (
      await post(`${url}/api/shocks`, { action: 'start', shock: 'credit_freeze', severity: 0.8 })
    ).json()) as { applied: { index: number; turn: number } };
    const at = started.applied.turn;
    await waitFor('ten turns of the freeze', async () => ((await turnOf(url)) >= at + 10 ? true : undefined));
    const stopped = (await (
      await post(`${url}/api/shocks`, { action: 'stop', index: started.applied.index })
    ).json()) as {
      applied: { turn: number };
    };
    expect(await played.exited).toBe(0);

    const events = readFileSync(join(dir, 'played.events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const shocks = events.filter((e) => e.kind === 'shock' && e.source === 'live');
    expect(shocks).toHaveLength(4);
    expect(shocks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ turn: 30, type: 'demand_surge', phase: 'start', at: 30, turns: 20 }),
        expect.objectContaining({ turn: at, type: 'credit_freeze', phase: 'start', severity: 0.8 }),
        expect.objectContaining({ turn: 50, type: 'demand_surge', phase: 'end' }),
        expect.objectContaining({ turn: stopped.applied.turn, type: 'credit_freeze', phase: 'end', stopped: true }),
      ]),
    );

    const replay = startCli([
      ...['--seed', '5', '--turns', '160', '--interval', '0', '--no-server', '--quiet'],
      ...['--jsonl', join(dir, 'replay.jsonl'), '--replay-shocks', join(dir, 'played.events.jsonl')],
    ]);
    expect(await replay.exited).toBe(0);
    const a = businessOf(join(dir, 'played.jsonl'));
    expect(a).toHaveLength(160);
    expect(businessOf(join(dir, 'replay.jsonl'))).toEqual(a);
    // The checkpoint holds the same record.
    const fromCheckpoint = startCli([
      ...['--seed', '5', '--turns', '160', '--interval', '0', '--no-server', '--quiet'],
      ...['--jsonl', join(dir, 'from-checkpoint.jsonl'), '--replay-shocks', join(dir, 'played.ckpt')],
    ]);
    expect(await fromCheckpoint.exited).toBe(0);
    expect(businessOf(join(dir, 'from-checkpoint.jsonl'))).toEqual(a);
    // The shocks moved the market: the run without them differs from the first one's turn on
    // (the live freeze's turn, when it came before the surge's turn 30).
    const plain = startCli([
      ...['--seed', '5', '--turns', '160', '--interval', '0', '--no-server', '--quiet'],
      ...['--jsonl', join(dir, 'plain.jsonl')],
    ]);
    expect(await plain.exited).toBe(0);
    const b = businessOf(join(dir, 'plain.jsonl'));
    const first = Math.min(30, at);
    expect(b.slice(0, first - 1)).toEqual(a.slice(0, first - 1));
    expect(b[first - 1]).not.toEqual(a[first - 1]);
    expect(a[at - 1]).not.toContain('"shocksInForce":0}');
  }, 90_000);

  it('replays shocks of more than 6 decimals exactly: the event log keeps their severity and percent as given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-exact-'));
    const run = (name: string, extra: string[]) =>
      startCli([
        '--seed',
        '8',
        '--turns',
        '30',
        '--interval',
        '0',
        '--no-server',
        '--jsonl',
        join(dir, `${name}.jsonl`),
        ...extra,
      ]);
    const played = run('played', [
      ...['--shock', 'type=credit_freeze,at=3,turns=20,severity=0.1234567891'],
      ...['--shock', 'type=inflation_shock,at=4,turns=20,percent=12.34567891'],
    ]);
    expect(await played.exited).toBe(0);
    const log = readFileSync(join(dir, 'played.events.jsonl'), 'utf8');
    expect(log).toContain('"severity":0.1234567891');
    expect(log).toContain('"percent":12.34567891');
    const replay = run('replay', ['--replay-shocks', join(dir, 'played.events.jsonl')]);
    expect(await replay.exited).toBe(0);
    expect(businessOf(join(dir, 'replay.jsonl'))).toEqual(businessOf(join(dir, 'played.jsonl')));
  }, 60_000);

  it('never rotates the event log, whose shocks a replay reads: --jsonl-max-bytes rotates the JSONL alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-rotate-'));
    const played = startCli([
      ...['--seed', '5', '--turns', '60', '--interval', '0', '--no-server', '--jsonl', join(dir, 'rot.jsonl')],
      ...['--jsonl-max-bytes', '1500', '--jsonl-keep', '100'],
      ...['--shock', 'type=credit_freeze,at=5,turns=10,severity=0.7', '--shock', 'type=demand_surge,at=50,turns=5'],
    ]);
    expect(await played.exited).toBe(0);
    expect(existsSync(join(dir, 'rot.jsonl.1'))).toBe(true);
    expect(existsSync(join(dir, 'rot.events.jsonl.1'))).toBe(false);
    const replay = startCli([
      ...['--seed', '5', '--turns', '60', '--interval', '0', '--no-server', '--jsonl', join(dir, 'replay.jsonl')],
      ...['--replay-shocks', join(dir, 'rot.events.jsonl')],
    ]);
    expect(await replay.exited).toBe(0);
    const rotated = readdirSync(dir)
      .filter((f) => /^rot\.jsonl(\.\d+)?$/.test(f))
      .sort((a, b) => Number(b.split('.')[2] ?? 0) - Number(a.split('.')[2] ?? 0));
    const played60 = rotated.flatMap((f) => businessOf(join(dir, f)));
    expect(businessOf(join(dir, 'replay.jsonl'))).toEqual(played60);
  }, 60_000);

  // A hand-edited event log: a disruption of 50 times the supply would drive stock negative.
  const replayDir = mkdtempSync(join(tmpdir(), 'tradesim-replay-'));
  const edited = join(replayDir, 'edited.jsonl');
  const notALog = join(replayDir, 'notes.txt');
  writeFileSync(notALog, 'not an event log\n');
  writeFileSync(
    edited,
    `${JSON.stringify({ turn: 2, kind: 'shock', type: 'supply_disruption', phase: 'start', timelineIndex: 0, severity: 50, source: 'live', at: 2, turns: 10, percent: 30 })}\n`,
  );

  it.each([
    [['--shock', 'type=volcano'], /^tradesim: --shock: (shock|type): .*volcano/],
    [['--shock', 'credit_freeze'], /--shock: each part must be key=value/],
    [['--fault', 'type=leak,maxMib=0'], /--fault: fault\/maxMib/],
    [['--replay-shocks', '/nonexistent/events.jsonl'], /--replay-shocks: cannot read/],
    // A device reports no size: read whole, it never ended, and held off the stop signals.
    [['--replay-shocks', '/dev/zero'], /--replay-shocks: cannot read \/dev\/zero: not a regular file/],
    [['--replay-shocks', edited], /--replay-shocks: .*edited.jsonl: line 1: .*severity/],
    [['--replay-shocks', notALog], /--replay-shocks: .*notes.txt: not a TradeSim event log/],
  ])('refuses %j in one line, exit 2', async (args, message) => {
    const cli = startCli(['--turns', '1', '--no-server', '--no-jsonl', ...args]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr().trim().split('\n')).toHaveLength(1);
    expect(cli.stderr()).toMatch(message);
  });
});

/**
 * The test copy of alert_rules.yml: the same expressions with windows and `for:` short enough
 * for a test (1 s scrapes): every `for:` 2 s, windows of 5m/1h/30m/6h become 10s/30s/20s/60s,
 * and the stall threshold 60 s becomes 5 s. Each rewrite must find its text, so a rule
 * changed under the test fails here rather than as an alert that never fires in time.
 */
function testRules(): string {
  const rewrites: [RegExp, string][] = [
    [/for: \d+m/g, 'for: 2s'],
    [/\[5m\]/g, '[10s]'],
    [/\[1h\]/g, '[30s]'],
    [/\[30m\]/g, '[20s]'],
    [/\[6h\]/g, '[60s]'],
    [/(time\(\) - tradesim_last_turn_timestamp_seconds(?:\{[^}]*\})?) > 60\b/g, '$1 > 5'],
  ];
  return rewrites.reduce(
    (rules, [from, to]) => {
      if (!from.test(rules)) throw new Error(`alert_rules.yml no longer has ${from}`);
      return rules.replace(from, to);
    },
    readFileSync('alert_rules.yml', 'utf8'),
  );
}

/** A rule of the test's own that fires from the first turn and never resolves: one firing for the run. */
const ALWAYS_ON = { name: 'always_on', figure: 'product.priceIndex', op: '>', threshold: 0, severity: 'info' };

/** The values of a range query from `from` to `to` (seconds), one step a second, by series. */
async function rangeOf(prometheusUrl: string, query: string, from: number, to: number) {
  const q = encodeURIComponent(query);
  const res = await fetch(`${prometheusUrl}/api/v1/query_range?query=${q}&start=${from}&end=${to}&step=1`);
  const body = (await res.json()) as {
    data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
  };
  return body.data.result;
}

/**
 * The CLI at 50 ms a turn (the default scenario and ALWAYS_ON), scraped every second by a
 * Prometheus of its own with the test rules and the business rules generated for the scenario.
 */
interface Stack {
  readonly simulate: Spawned;
  readonly prometheus: Spawned;
  readonly exporterUrl: string;
  readonly prometheusUrl: string;
  readonly dir: string;
}

/** Starts a stack and resolves once Prometheus has scraped the run (its target up). */
async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-faults-'));
  const scenario = join(dir, 'always-on.json');
  const defaults = JSON.parse(readFileSync('scenarios/default.json', 'utf8')) as Record<string, unknown>;
  writeFileSync(scenario, JSON.stringify({ ...defaults, alerts: { rules: [ALWAYS_ON] } }));
  writeFileSync(join(dir, 'business.yml'), businessAlertRules(loadRunConfig(readFileSync(scenario, 'utf8')).alerts));
  const simulate = startCli([
    ...['--scenario', scenario, '--seed', '3', '--interval', '50', '--port', '0'],
    ...['--jsonl', join(dir, 'm.jsonl')],
  ]);
  const exporterUrl = await servingUrl(simulate);
  writeFileSync(join(dir, 'rules.yml'), testRules());
  const config = writePrometheusConfig(dir, {
    rules: [join(dir, 'rules.yml'), join(dir, 'business.yml')],
    jobs: [{ name: 'tradesim', target: new URL(exporterUrl).host }],
  });
  const port = await freePort();
  const prometheusUrl = `http://127.0.0.1:${port}`;
  const prometheus = startPrometheus({
    config,
    dataDir: join(dir, 'data'),
    port,
    flags: ['--enable-feature=exemplar-storage'],
  });
  const stack = { simulate, prometheus, exporterUrl, prometheusUrl, dir };
  try {
    await waitFor(
      'the target to be up',
      async () => {
        const res = await fetch(`${prometheusUrl}/api/v1/query?query=up`);
        const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
        return body.data.result[0]?.value[1] === '1' ? true : undefined;
      },
      40_000,
    );
  } catch (error) {
    await stopStack(stack);
    throw error;
  }
  return stack;
}

async function stopStack(stack: Stack): Promise<void> {
  signal(stack.prometheus, 'SIGTERM');
  signal(stack.simulate, 'SIGTERM');
  await Promise.all([stack.prometheus.exited, stack.simulate.exited]);
}

// Each case on a run and a Prometheus of its own, all at once: most of a case is waiting
// out a rule's window and its `for:`, which one case at a time would add up.
describe.concurrent('exporter faults and exemplars in a real Prometheus', () => {
  it('stores exemplars that name a turn of the run', async ({ expect, onTestFinished }) => {
    const stack = await startStack();
    onTestFinished(() => stopStack(stack));
    const { exporterUrl, prometheusUrl, dir } = stack;
    const exemplar = await waitFor('an exemplar of the turn histogram', async () => {
      const now = Date.now() / 1000;
      const q = encodeURIComponent('tradesim_turn_duration_seconds_bucket');
      const res = await fetch(`${prometheusUrl}/api/v1/query_exemplars?query=${q}&start=${now - 300}&end=${now}`);
      const body = (await res.json()) as { data: { exemplars: { labels: Record<string, string> }[] }[] };
      return body.data.flatMap((s) => s.exemplars)[0];
    });
    const turn = Number(exemplar.labels.turn);
    expect(turn).toBeGreaterThan(0);
    const stats = (await (await fetch(`${exporterUrl}/api/stats`)).json()) as { runId: string };
    expect(exemplar.labels.run_id).toBe(stats.runId);
    // The turn leads to its JSONL line.
    expect(readFileSync(join(dir, 'm.jsonl'), 'utf8')).toContain(`"turn":${turn},`);
  }, 60_000);

  const firing = async (prometheusUrl: string, alert: string) => {
    const q = encodeURIComponent(`ALERTS{alertname="${alert}",alertstate="firing"}`);
    const body = (await (await fetch(`${prometheusUrl}/api/v1/query?query=${q}`)).json()) as {
      data: { result: unknown[] };
    };
    return body.data.result.length > 0;
  };

  it.for([
    [{ fault: 'latency', target: 'metrics', ms: 700 }, ['TradeSimHttpLatencyHigh']],
    [
      { fault: 'errors', target: 'metrics', share: 0.5 },
      ['TradeSimHttpErrorRatioHigh', 'TradeSimScrapeErrorBudgetBurnFast'],
    ],
    [{ fault: 'stall' }, ['TradeSimTurnLoopStalled']],
    [{ fault: 'leak', mibPerSecond: 200, maxMib: 1024 }, ['TradeSimMemoryHigh']],
  ] as [{ fault: string } & Record<string, unknown>, string[]][])(
    '%j makes %j fire, and resolve once off',
    { timeout: 180_000 },
    async ([fault, alerts], { expect, onTestFinished }) => {
      const stack = await startStack();
      onTestFinished(() => stopStack(stack));
      const { exporterUrl, prometheusUrl } = stack;
      for (const alert of alerts) expect(await firing(prometheusUrl, alert)).toBe(false);
      expect((await post(`${exporterUrl}/api/faults`, { action: 'start', ...fault })).status).toBe(200);
      for (const alert of alerts)
        await waitFor(
          `${alert} to fire`,
          async () => ((await firing(prometheusUrl, alert)) ? true : undefined),
          60_000,
        );
      expect((await post(`${exporterUrl}/api/faults`, { action: 'stop', fault: fault.fault })).status).toBe(200);
      for (const alert of alerts) {
        await waitFor(
          `${alert} to resolve`,
          async () => ((await firing(prometheusUrl, alert)) ? undefined : true),
          60_000,
        );
      }
    },
  );

  it('keeps a forwarded business alert firing through failed scrapes: one alert, no gap', async ({
    expect,
    onTestFinished,
  }) => {
    const stack = await startStack();
    onTestFinished(() => stopStack(stack));
    const { exporterUrl, prometheusUrl } = stack;
    const alwaysOn = 'ALERTS{alertname="TradeSimAlwaysOn",alertstate="firing"}';
    const seconds = () => Math.floor(Date.now() / 1000);
    await waitFor('the always-on firing in ALERTS', async () =>
      (await firing(prometheusUrl, 'TradeSimAlwaysOn')) ? true : undefined,
    );
    // The first whole second after the alert was seen: the range starts with it firing.
    const from = seconds() + 1;
    const start = { action: 'start', fault: 'errors', target: 'metrics', share: 1 };
    expect((await post(`${exporterUrl}/api/faults`, start)).status).toBe(200);
    // Every scrape fails: Prometheus marks the run's series stale, the firing's included.
    await waitFor(
      'four failed scrapes',
      async () => {
        const up = await rangeOf(prometheusUrl, 'up{job="tradesim"}', from, seconds());
        const failed = (up[0]?.values ?? []).filter(([, v]) => v === '0').length;
        return failed >= 4 ? true : undefined;
      },
      30_000,
    );
    expect((await post(`${exporterUrl}/api/faults`, { action: 'stop', fault: 'errors' })).status).toBe(200);
    await waitFor('good scrapes again', async () => {
      const up = await rangeOf(prometheusUrl, 'up{job="tradesim"}', seconds() - 2, seconds());
      return up[0]?.values.at(-1)?.[1] === '1' ? true : undefined;
    });
    const to = seconds();
    const alerts = await rangeOf(prometheusUrl, alwaysOn, from, to);
    // One firing, one alert, at every evaluation of the span: it never resolved and re-fired.
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.metric.fired_turn).toBe('1');
    expect(alerts[0]!.values.map(([t]) => t)).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
  }, 90_000);
});
