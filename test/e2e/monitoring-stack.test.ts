import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scriptBundle } from '../script-bundles.js';
import { freePort, signal, type Spawned, start, startCli, waitFor } from './processes.js';

// Needs Debian's prometheus, prometheus-alertmanager and prometheus-pushgateway.
// The script in its bundle (test/script-bundles.ts).
const monitoring = (args: readonly string[]) => start(process.execPath, [...scriptBundle('monitoring'), ...args]);
const monitoringSync = (args: readonly string[]) =>
  spawnSync(process.execPath, [...scriptBundle('monitoring'), ...args], { encoding: 'utf8' });

/** Whether a process is still there (a zombie counts as gone). */
const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

describe('npm run monitoring: the local stack in one command', () => {
  const spawned: Spawned[] = [];
  afterAll(async () => {
    // The whole group: the stack's servers run in its process group.
    for (const s of spawned) signal(s, 'SIGKILL');
    await Promise.all(spawned.map((s) => s.exited));
  });

  it('prints its usage for --help and exits 0, starting nothing', () => {
    const result = monitoringSync(['--help', '--listen', '127.0.0.1:1']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: npm run monitoring');
    expect(result.stdout).not.toContain('monitoring: Prometheus');
  });

  it.each([
    [['--nope'], "Unknown option '--nope'"],
    [['--alertmanager', 'nowhere'], "--alertmanager: must be HOST:PORT (a port from 1 to 65535), got 'nowhere'"],
    [['--listen', '127.0.0.1:99999'], "--listen: must be HOST:PORT (a port from 1 to 65535), got '127.0.0.1:99999'"],
    [['--data', 'package.json'], '--data: package.json is not a folder'],
    [['--data', '/proc/tradesim-data'], '--data: cannot make /proc/tradesim-data'],
    [['--tsdb', 'package.json'], '--tsdb: package.json is not a folder'],
    [['--lookback', 'soon'], '--lookback: must be a duration'],
    [['--lookback', '0s'], '--lookback: must be a duration above 0'],
    [['--lookback', '-5m'], "--lookback: must be a duration above 0 such as 14s or 5m, got '-5m'"],
    // Two of the stack's servers on one port: the second failed after the first had started.
    [
      ['--listen', '127.0.0.1:18740', '--alertmanager', '127.0.0.1:18740'],
      '--alertmanager: 127.0.0.1:18740 takes the port of --listen (127.0.0.1:18740): give each its own',
    ],
    [['--reload', '--listen', '127.0.0.1:1'], '--reload: no npm run monitoring running for 127.0.0.1:1'],
  ])('refuses %j with one line and exit 2', (args, message) => {
    const result = monitoringSync(args);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  it('refuses an address another server holds in one line, exit 2, rather than take its readiness for ours', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = `127.0.0.1:${(blocker.address() as AddressInfo).port}`;
    try {
      for (const flag of ['--listen', '--alertmanager', '--pushgateway']) {
        const others = ['--listen', '--alertmanager', '--pushgateway', '--sink'].filter((f) => f !== flag);
        const free = await Promise.all(others.map(async (f) => [f, `127.0.0.1:${await freePort()}`]));
        const result = monitoringSync([...free.flat(), flag, taken]);
        expect(result.status).toBe(2);
        expect(result.stderr.trim().split('\n')).toEqual([
          `monitoring: ${flag}: cannot listen on ${taken}: another server listens there`,
        ]);
      }
    } finally {
      blocker.close();
    }
  });

  it('brings Prometheus, Alertmanager and the Pushgateway up on loopback, prints a firing, reloads, and stops them all on Ctrl-C', async () => {
    const [prom, am, pgw, sink, exporter] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-stack-test-'));
    const stack = monitoring([
      ...['--listen', `127.0.0.1:${prom}`, '--alertmanager', `127.0.0.1:${am}`, '--pushgateway', `127.0.0.1:${pgw}`],
      ...['--sink', `127.0.0.1:${sink}`, '--target', `127.0.0.1:${exporter}`, '--tsdb', join(dir, 'tsdb')],
    ]);
    spawned.push(stack);
    const folder = await waitFor(
      'the stack to be ready',
      () => /logs and configs in (\S+)/.exec(stack.stdout())?.[1],
      60_000,
    );
    for (const port of [prom, am, pgw]) expect((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok).toBe(true);

    // A second stack on other ports but this one's TSDB: refused before it starts anything.
    const others = await Promise.all([0, 1, 2, 3].map(() => freePort()));
    const second = monitoringSync([
      ...['--listen', `127.0.0.1:${others[0]}`, '--alertmanager', `127.0.0.1:${others[1]}`],
      ...['--pushgateway', `127.0.0.1:${others[2]}`, '--sink', `127.0.0.1:${others[3]}`, '--tsdb', join(dir, 'tsdb')],
    ]);
    expect(second.status).toBe(2);
    expect(second.stderr.trim().split('\n')).toEqual([
      `monitoring: --tsdb: ${join(dir, 'tsdb')} is used by another stack (pid ${stack.child.pid}); give it another --tsdb`,
    ]);

    // Prometheus: the repository's configuration (the Pushgateway job keeps pushed labels), exemplars on.
    const config = (await (await fetch(`http://127.0.0.1:${prom}/api/v1/status/config`)).json()) as {
      data: { yaml: string };
    };
    expect(config.data.yaml).toMatch(
      new RegExp(`job_name: pushgateway\\n\\s+honor_labels: true[\\s\\S]*?127\\.0\\.0\\.1:${pgw}`),
    );
    const flags = (await (await fetch(`http://127.0.0.1:${prom}/api/v1/status/flags`)).json()) as {
      data: Record<string, string>;
    };
    expect(flags.data['enable-feature']).toBe('exemplar-storage');
    // Everything on loopback.
    for (const key of ['web.listen-address']) expect(flags.data[key]).toBe(`127.0.0.1:${prom}`);

    // A crisis run scraped by it: its first firing prints, naming the run and the turn the
    // rule fired at in the run's own JSONL. Its calm fires nothing, so its recall comes at
    // turn 100 (not 400) and lasts past the run's end, firing while the run lingers.
    const jsonl = join(dir, 'm.jsonl');
    const crisis = JSON.parse(readFileSync('scenarios/crisis.json', 'utf8')) as { timeline: object[] };
    crisis.timeline[0] = { at: 100, shock: 'product_recall', turns: 100 };
    const earlyRecall = join(dir, 'early-recall.json');
    writeFileSync(earlyRecall, JSON.stringify(crisis));
    const run = startCli([
      ...['--scenario', earlyRecall, '--seed', '7', '--turns', '150', '--interval', '20', '--quiet'],
      ...['--port', String(exporter), '--jsonl', jsonl, '--no-events', '--linger', '30'],
    ]);
    spawned.push(run);
    const runId = await waitFor('the run to write a line', () =>
      existsSync(jsonl) && readFileSync(jsonl, 'utf8').includes('\n')
        ? (JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[0]!) as { run: string }).run
        : undefined,
    );
    const [line, alertname, turn] = await waitFor(
      'a notification line for a firing',
      () => /^notification: FIRING +(\w+) .* turn=(\d+)$/m.exec(stack.stdout()) ?? undefined,
      60_000,
    );
    expect(line).toContain(`run=${runId}`);
    const rules = (
      parse(readFileSync('business_alerts.yml', 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }
    ).groups[0]!.rules;
    const rule = /rule="([^"]+)"/.exec(rules.find((r) => r.alert === alertname)!.expr)![1];
    const firing = (t: number) =>
      readFileSync(jsonl, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { turn: number; alerts: { rule: string; state: string }[] })
        .find((l) => l.turn === t)
        ?.alerts.some((a) => a.rule === rule && a.state === 'firing');
    expect([firing(Number(turn) - 1), firing(Number(turn))]).toEqual([false, true]);
    signal(run, 'SIGTERM');

    // --reload from another terminal: both configurations re-read.
    const reload = monitoringSync(['--reload', '--listen', `127.0.0.1:${prom}`]);
    expect(reload.stderr).toBe('');
    expect(reload.status).toBe(0);
    await waitFor('both to reload', () =>
      /prometheus reloaded its configuration/.test(stack.stdout()) &&
      /alertmanager reloaded its configuration/.test(stack.stdout())
        ? true
        : undefined,
    );

    // Ctrl-C: every server stops, and the temporary folder goes.
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(stack.child.pid)], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .map(Number);
    expect(children).toHaveLength(3);
    signal(stack, 'SIGINT');
    expect(await stack.exited).toBe(0);
    expect(stack.stdout()).toContain('stopped prometheus, alertmanager, pushgateway');
    expect(children.filter(alive)).toEqual([]);
    expect(existsSync(folder)).toBe(false);
    // The TSDB is free for the next stack.
    expect(existsSync(join(dir, 'tsdb', 'tradesim-stack.lock'))).toBe(false);
  }, 150_000);
});
