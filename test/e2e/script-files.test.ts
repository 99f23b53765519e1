/*
 * The contributors' scripts that write a file of the repository, run where that file cannot
 * be read or written (outside the repository's root, as `npx tsx scripts/...` from another
 * folder would): one line naming the file and the problem, exit code 2, no stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = resolve('node_modules/.bin/tsx');

function runArgs(
  cwd: string,
  script: string,
  args: readonly string[],
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    execFile(tsx, [resolve(script), ...args], { cwd, timeout: 60_000 }, (error, _stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr });
    });
  });
}

const runIn = (cwd: string, script: string) => runArgs(cwd, script, []);

describe("scripts writing the repository's files, from a folder without them", () => {
  it.each([
    [
      'scripts/docs-metrics.ts',
      "docs:metrics: cannot read docs/metrics.md: ENOENT (run it from the repository's root)",
    ],
    [
      'scripts/dashboards.ts',
      "dashboards: cannot write grafana/dashboards/tradesim-overview.json: ENOENT (run it from the repository's root)",
    ],
  ])('%s: one line naming the file, exit 2, nothing written', async (script, line) => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-script-files-'));
    const { code, stderr } = await runIn(dir, script);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(line)]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [
      ['--presets', 'classic', '--turns', 'abc'],
      "economy:figures: --turns: must be a whole number from 2 to 1000000, got 'abc'",
    ],
    [['--presets', 'nope'], "economy:figures: --presets: no preset 'nope' in scenarios/"],
  ])('economy:figures %j: one line, exit 2, no figure drawn', async (args, line) => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-script-files-'));
    const { code, stderr } = await runArgs(dir, 'scripts/economy-figures.ts', args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringContaining(line)]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('dashboards: a link where a dashboard goes is refused before any is written, not followed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-script-files-'));
    const folder = join(dir, 'grafana', 'dashboards');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(dir, 'victim.txt'), 'precious');
    symlinkSync(join(dir, 'victim.txt'), join(folder, 'tradesim-overview.json'));
    const { code, stderr } = await runIn(dir, 'scripts/dashboards.ts');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'dashboards: cannot write grafana/dashboards/tradesim-overview.json: it is not a file (a link or a folder): remove it first',
    ]);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('precious');
    expect(readdirSync(folder)).toEqual(['tradesim-overview.json']);
  });

  it('regimes: a preset without criteria is refused; a look at other seeds leaves docs/incidents.md as it is', async () => {
    const before = readFileSync('docs/incidents.md', 'utf8');
    const refused = await runArgs(process.cwd(), 'scripts/regimes.ts', ['--presets', 'classic', '--seeds', '1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      'regimes: --presets: classic has no criteria of its own (those judged: default, large, crisis)',
    );
    const look = await runArgs(process.cwd(), 'scripts/regimes.ts', [
      '--presets',
      'crisis',
      '--seeds',
      '1',
      '--turns',
      '2000',
    ]);
    expect(look.code, look.stderr).not.toBe(2);
    expect(readFileSync('docs/incidents.md', 'utf8')).toBe(before);
  });
});
