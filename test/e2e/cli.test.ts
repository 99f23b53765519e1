import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonl } from '../../src/monitoring/index.js';
import { type Spawned, servingUrl, signal, startCli, waitFor } from './processes.js';

interface Line {
  turn: number;
  seed: number;
  business: object;
}

const running: Spawned[] = [];
const cli = (args: string[], env: Record<string, string> = {}) => {
  const spawned = startCli(args, env);
  running.push(spawned);
  return spawned;
};
const tempFile = (name = 'metrics.jsonl') => join(mkdtempSync(join(tmpdir(), 'tradesim-e2e-')), name);

afterEach(() => {
  for (const s of running.splice(0)) signal(s, 'SIGKILL');
});

describe('the tradesim command (the bundled CLI)', () => {
  it('runs N turns, writes one line per turn and exits 0', async () => {
    const jsonl = tempFile();
    const run = cli(['--seed', '3', '--turns', '25', '--interval', '0', '--port', '0', '--jsonl', jsonl, '--quiet']);
    expect(await run.exited).toBe(0);
    const { lines, tornTail } = parseJsonl<Line>(readFileSync(jsonl, 'utf8'));
    expect(lines.map((l) => l.turn)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(lines.every((l) => l.seed === 3)).toBe(true);
    expect(tornTail).toBe(false);
    expect(run.stderr()).toContain('stopped after turn 25 (seed 3)');
  });

  it('scraped, serves its held firings after its last turn, then each at 0, for their --alert-hold; unscraped, exits at once', async () => {
    const crisis = ['--scenario', 'crisis', '--seed', '7', '--turns', '1000', '--port', '0', '--no-jsonl'];
    const scraped = cli([...crisis, '--interval', '2', '--alert-hold', '3']);
    const url = await servingUrl(scraped);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    const said = /tradesim: serving the held alert firings for [3-6] s more \(--alert-hold\)/;
    await waitFor('the run to serve its held firings', () => (said.test(scraped.stderr()) ? true : undefined));
    // Its last turn is played: what a scrape gets now is what it would have missed.
    const firings = async () => {
      const body = await (await fetch(`${url}/metrics`)).text();
      expect(body).toMatch(/^tradesim_turn 1000$/m);
      return body.split('\n').filter((line) => line.startsWith('tradesim_alert_firing{'));
    };
    expect(await firings()).not.toEqual([]);
    // The run is over: every firing, the ones still open included, settles at 0 before it exits.
    await waitFor('every firing at 0', async () => {
      const lines = await firings();
      return lines.length > 0 && lines.every((line) => line.endsWith('} 0')) ? true : undefined;
    });
    expect(await scraped.exited).toBe(0);
    // Nothing scraped this one: its firings are nobody's to wait for.
    const unscraped = cli([...crisis, '--interval', '0', '--alert-hold', '60']);
    expect(await unscraped.exited).toBe(0);
    expect(unscraped.stderr()).not.toContain('serving the held alert firings');
  });

  it('stopped while a firing reads 1, serves it at 0 to its next scrape; scraped once, exits at once', async () => {
    // The default scenario with a rule of the test's own that fires from the first turn on.
    const scenario = tempFile('always-on.json');
    const defaults = JSON.parse(readFileSync('scenarios/default.json', 'utf8')) as Record<string, unknown>;
    const rule = { name: 'always_on', figure: 'product.priceIndex', op: '>', threshold: 0, severity: 'info' };
    writeFileSync(scenario, JSON.stringify({ ...defaults, alerts: { rules: [rule] } }));
    const args = ['--scenario', scenario, '--interval', '20', '--port', '0', '--no-jsonl', '--no-events'];
    // A hold of 1 s: the firing is older than its hold when the stop comes, the usual case.
    args.push('--alert-hold', '1');
    const firing = async (url: string) =>
      (await (await fetch(`${url}/metrics`)).text()).split('\n').find((l) => l.startsWith('tradesim_alert_firing{'));
    const scraped = cli(args);
    const url = await servingUrl(scraped);
    // Scraped at a pace (a second and a half), the firing read at 1.
    await waitFor('the firing at 1', async () => ((await firing(url))?.endsWith('} 1') ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await firing(url)).toMatch(/} 1$/);
    signal(scraped, 'SIGTERM');
    await waitFor('the stop to settle the firing', () =>
      scraped.stderr().includes('tradesim: serving the alert firings at 0 until the next scrape') ? true : undefined,
    );
    expect(await firing(url)).toMatch(/^tradesim_alert_firing\{rule="always_on",[^}]*fired_turn="1"\} 0$/);
    expect(await scraped.exited).toBe(0);
    // Scraped once: no pace to wait for.
    const once = cli(args);
    const onceUrl = await servingUrl(once);
    await waitFor('the rule to fire', async () => {
      const { firings } = (await (await fetch(`${onceUrl}/api/alerts`)).json()) as { firings: unknown[] };
      return firings.length > 0 ? true : undefined;
    });
    expect(await firing(onceUrl)).toMatch(/} 1$/);
    signal(once, 'SIGTERM');
    expect(await once.exited).toBe(0);
    expect(once.stderr()).not.toContain('serving the alert firings at 0');
  });

  it('gives the same business figures and events for the same seed, run after run, shocks included', async () => {
    const [a, b] = [tempFile(), tempFile()];
    const args = (path: string) => [
      '--scenario',
      'crisis',
      '--seed',
      '11',
      '--turns',
      '1000',
      '--interval',
      '0',
      '--no-server',
      '--quiet',
      '--jsonl',
      path,
    ];
    await Promise.all([cli(args(a)).exited, cli(args(b)).exited]);
    const business = (path: string) => parseJsonl<Line>(readFileSync(path, 'utf8')).lines.map((l) => l.business);
    expect(business(a)).toHaveLength(1000);
    expect(business(a)).toEqual(business(b));
    // The event logs differ only by run id; the crisis timeline's shocks are in them.
    const events = (path: string) =>
      parseJsonl<{ run: string; kind: string; type: string; turn: number }>(
        readFileSync(join(path, '..', 'events.jsonl'), 'utf8'),
      ).lines.map(({ run: _run, ...rest }) => rest);
    expect(events(a)).toEqual(events(b));
    const shocks = events(a).filter((e) => e.kind === 'shock');
    expect(shocks.slice(0, 2)).toEqual([
      expect.objectContaining({ turn: 400, type: 'product_recall', phase: 'start' }),
      expect.objectContaining({ turn: 410, type: 'product_recall', phase: 'end' }),
    ]);
    const later = shocks.filter((e) => e.turn >= 800) as unknown as { turn: number; type: string; phase: string }[];
    expect(later.map((e) => `${e.turn} ${e.type} ${e.phase}`)).toEqual([
      '800 supply_disruption start',
      '900 supply_disruption end',
      '900 inflation_shock start',
      '920 credit_freeze start',
      '980 inflation_shock end',
    ]);
  });

  it('on SIGTERM finishes the turn, writes a complete last line and exits 0', async () => {
    const jsonl = tempFile();
    const run = cli(['--seed', '5', '--interval', '20', '--port', '0', '--jsonl', jsonl]);
    const url = await servingUrl(run);
    const health = await (await fetch(`${url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', seed: 5, jsonl: { path: jsonl, lastError: null } });
    const turnOf = async () => ((await (await fetch(`${url}/health`)).json()) as { turn: number }).turn;
    await waitFor('ten turns', async () => ((await turnOf()) >= 10 ? true : undefined));
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    const last = Number(/stopped after turn (\d+)/.exec(run.stderr())?.[1]);
    const { lines, tornTail } = parseJsonl<Line>(readFileSync(jsonl, 'utf8'));
    expect(tornTail).toBe(false);
    expect(lines.at(-1)?.turn).toBe(last);
    expect(lines.map((l) => l.turn)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
  });

  it('after kill -9 leaves only whole lines, a torn tail at most', async () => {
    const jsonl = tempFile();
    const run = cli(['--seed', '6', '--interval', '0', '--no-server', '--quiet', '--jsonl', jsonl]);
    // Complete lines only: the text after the last newline may be a line still being written.
    const complete = () => (existsSync(jsonl) ? readFileSync(jsonl, 'utf8').split('\n').length - 1 : 0);
    const seen = await waitFor('lines on disk', () => (complete() > 200 ? complete() : undefined));
    signal(run, 'SIGKILL');
    await run.exited;
    const { lines } = parseJsonl<Line>(readFileSync(jsonl, 'utf8'));
    expect(lines.length).toBeGreaterThanOrEqual(seen);
    expect(lines.map((l) => l.turn)).toEqual(Array.from({ length: lines.length }, (_, i) => i + 1));
  });

  it('keeps simulating with an unwritable JSONL path and reports it in /health', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-e2e-'));
    writeFileSync(join(dir, 'file'), '');
    const run = cli(['--seed', '7', '--interval', '20', '--port', '0', '--jsonl', join(dir, 'file', 'metrics.jsonl')]);
    const url = await servingUrl(run);
    const failing = await waitFor('a failing /health', async () => {
      const res = await fetch(`${url}/health`);
      return res.status === 503
        ? ((await res.json()) as { status: string; turn: number; jsonl: { lastError: string } })
        : undefined;
    });
    expect(failing.status).toBe('failing');
    expect(failing.jsonl.lastError).toMatch(/ENOTDIR|EEXIST/);
    await waitFor('more turns', async () => {
      const health = (await (await fetch(`${url}/health`)).json()) as { turn: number };
      return health.turn > failing.turn + 5 ? true : undefined;
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(Number(/^tradesim_jsonl_write_errors_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it.each([
    [['--seed', 'abc'], /^tradesim: --seed: must be an integer .* \(TRADESIM_ERR_CLI_FLAG_INVALID\)\n$/],
    [['--scenario', 'nowhere'], /^tradesim: --scenario: no preset or file named 'nowhere' .*\n$/],
    // Nothing could see or end it: the run would hang, unseen, until a signal.
    [['--turns', '3', '--no-server', '--fault', 'type=stall'], /^tradesim: --fault type=stall: with --no-server .*\n$/],
  ])('refuses %j with one line on stderr and exit 2, touching no file', async (args, line) => {
    const jsonl = tempFile();
    const run = cli([...args, '--jsonl', jsonl]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(line);
    expect(run.stdout()).toBe('');
    expect(existsSync(jsonl)).toBe(false);
  });

  it('refuses a bad scenario file naming every bad field, exit 2', async () => {
    const scenario = tempFile('bad.json');
    writeFileSync(scenario, JSON.stringify({ companies: { count: 0 }, market: { quantityMin: 9, quantityMax: 2 } }));
    const jsonl = tempFile();
    const run = cli(['--scenario', scenario, '--jsonl', jsonl]);
    expect(await run.exited).toBe(2);
    expect(run.stderr().split('\n').filter(Boolean)).toEqual([
      'tradesim: invalid scenario: companies.count: must be >= 1; market.quantityMin: must be <= quantityMax (TRADESIM_ERR_CONFIG_INVALID)',
    ]);
    expect(existsSync(jsonl)).toBe(false);
  });

  it('refuses a scenario file giving a key twice, which JSON would read as the last one', async () => {
    const scenario = tempFile('twice.json');
    writeFileSync(scenario, '{"companies": {"count": 40}, "market": {"households": 50}, "companies": {"count": 4}}');
    const run = cli(['--scenario', scenario, '--no-jsonl', '--no-server', '--turns', '1']);
    expect(await run.exited).toBe(2);
    expect(run.stderr().split('\n').filter(Boolean)).toEqual([
      'tradesim: invalid scenario: companies: given more than once; give it once (TRADESIM_ERR_CONFIG_INVALID)',
    ]);
  });

  it('refuses a scenario that is not JSON in one line, the text it quotes escaped', async () => {
    const scenario = tempFile('bad.json');
    // A comment line and a terminal's colour escape: V8's message quotes the text as it is.
    writeFileSync(scenario, '// c\n\u001b[31m{}');
    const run = cli(['--scenario', scenario, '--no-jsonl', '--no-server']);
    expect(await run.exited).toBe(2);
    const lines = run.stderr().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tradesim: .*not valid JSON.*\\u000a.*\\u001b.* \(TRADESIM_ERR_CONFIG_INVALID\)$/);
    expect(run.stderr()).not.toContain('\u001b');
  });

  it('refuses a taken port with one line and exit 2, before writing any JSONL', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const jsonl = tempFile();
    const run = cli(['--port', String(port), '--jsonl', jsonl, '--quiet']);
    expect(await run.exited).toBe(2);
    expect(run.stderr().trim().split('\n').at(-1)).toBe(
      `tradesim: --port: 127.0.0.1:${port} is already in use (choose another with --port or TRADESIM_PORT) (TRADESIM_ERR_CLI_PORT_IN_USE)`,
    );
    expect(existsSync(jsonl)).toBe(false);
    blocker.close();
  });

  it('prints its help', async () => {
    const run = cli(['--help']);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('Usage: npm run simulate -- [options]');
  });
});
