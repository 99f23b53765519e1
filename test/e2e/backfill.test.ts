import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, signal, type Spawned, start, startCli, waitFor } from './processes.js';

const backfill = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/backfill.ts', ...args], { encoding: 'utf8' });

describe('npm run backfill: a JSONL file into Prometheus blocks on a simulated clock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-backfill-test-'));
  let prometheus: Spawned | undefined;
  afterAll(() => prometheus && signal(prometheus, 'SIGKILL'));

  it("gives, at a turn's simulated time, the value the turn's line holds", async () => {
    const jsonl = join(dir, 'metrics.jsonl');
    const run = startCli(
      ['--scenario', 'crisis', '--seed', '7', '--turns', '1000', '--interval', '0'].concat([
        '--no-server',
        '--jsonl',
        jsonl,
        '--no-events',
      ]),
    );
    expect(await run.exited).toBe(0);
    const lines = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const end = '2026-12-01T12:00:00Z';
    const blocks = join(dir, 'blocks');
    const built = backfill(jsonl, '--out', blocks, '--step', '15', '--end', end);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    expect(built.stdout).toContain(`1000 lines of run ${lines[0].run} (turns 1-1000)`);
    expect(readdirSync(blocks).length).toBeGreaterThan(0);

    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1m\n');
    const port = await freePort();
    prometheus = start('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${blocks}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // The blocks end at a fixed time in the past: keep them whatever the retention.
      '--storage.tsdb.retention.time=100y',
    ]);
    const api = `http://127.0.0.1:${port}/api/v1`;
    await waitFor(
      'Prometheus to be ready',
      async () => ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok ? true : undefined),
      30_000,
    );
    const at = (turn: number) => Date.parse(end) / 1000 - (1000 - turn) * 15;
    const query = async (figure: string, turn: number) => {
      const url = `${api}/query?query=${encodeURIComponent(`tradesim_figure{figure="${figure}"}`)}&time=${at(turn)}`;
      const body = (await (await fetch(url)).json()) as {
        data: { result: { metric: { run: string }; value: [number, string] }[] };
      };
      expect(body.data.result, `${figure} at turn ${turn}`).toHaveLength(1);
      expect(body.data.result[0]!.metric.run).toBe(lines[0].run);
      return Number(body.data.result[0]!.value[1]);
    };
    for (const turn of [1, 400, 920, 1000]) {
      const line = lines[turn - 1];
      expect(await query('turn', turn)).toBe(turn);
      expect(await query('budget.total', turn)).toBe(line.business.budget.total);
      expect(await query('transaction.failuresByReason.out_of_stock', turn)).toBe(
        line.business.transaction.failuresByReason.out_of_stock,
      );
      expect(await query('market.demandIndex', turn)).toBe(line.business.market.demandIndex);
    }
  });

  it.each([
    [[], 'give one JSONL file'],
    [['nowhere.jsonl'], 'nowhere.jsonl: no such file'],
    [['package.json'], 'package.json:1: not a JSON line'],
    [['package.json', '--step', '0'], '--step: must be seconds'],
    [['package.json', '--end', 'yesterday'], '--end: must be a date and time'],
  ])('refuses %j with one line and exit 2', (args, message) => {
    const result = backfill(...args);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });
});
