import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const build = (...args: string[]) => spawnSync(process.execPath, ['scripts/build.mjs', ...args], { encoding: 'utf8' });

describe('npm run build (scripts/build.mjs)', () => {
  it("replaces the last build's files, and only them: a file it did not make stays", () => {
    const out = mkdtempSync(join(tmpdir(), 'tradesim-build-'));
    writeFileSync(join(out, 'mine.mjs'), 'export const mine = 1;\n');
    writeFileSync(join(out, 'notes.txt'), 'not a build file\n');
    const first = build('--outdir', out);
    expect(first.status, first.stderr).toBe(0);
    const made = JSON.parse(readFileSync(join(out, '.tradesim-build.json'), 'utf8')) as string[];
    expect(made).toEqual(expect.arrayContaining(['tradesim.mjs', 'sweep.mjs', 'sweep-worker.mjs']));
    // A chunk the last build made and listed, which this one does not make again: removed.
    writeFileSync(join(out, 'chunk-EARLIER0.mjs'), 'export {};\n');
    writeFileSync(join(out, '.tradesim-build.json'), JSON.stringify([...made, 'chunk-EARLIER0.mjs']));
    const second = build('--outdir', out);
    expect(second.status, second.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['tradesim.mjs', 'mine.mjs', 'notes.txt']));
    expect(files.filter((f) => f.includes('EARLIER'))).toEqual([]);
    expect(readFileSync(join(out, 'mine.mjs'), 'utf8')).toBe('export const mine = 1;\n');
  });

  it('refuses a bad --outdir in one line, exit 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tradesim-build-')), 'a-file');
    writeFileSync(file, 'x');
    for (const [args, message] of [
      [['--outdir', file], `build: --outdir: ${file} is not a folder`],
      [['--outdir', ''], 'build: --outdir: must not be empty'],
      [['--outdir', 'a', '--outdir', 'b'], 'build: --outdir: given more than once'],
      [['--outdir', '/proc/tradesim-build'], 'build: cannot build into /proc/tradesim-build: '],
      [['--bogus'], "build: Unknown option '--bogus'"],
    ] as const) {
      const r = build(...args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(message);
    }
  });
});
