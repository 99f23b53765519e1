/*
 * `npm run rules` writing its two files: a path it must not write over is refused in one
 * line, exit 2, before either file is written; a good pair is written whole.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function rules(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'scripts/rules.ts', ...args], { timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr });
    });
  });
}

describe('npm run rules --out --slo-out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-rules-'));
  mkdirSync(join(dir, 'folder'));

  it.each([
    // The check that keeps a device (/dev/full) from being renamed over, as root could.
    [['--out', join(dir, 'folder')], `rules: --out: ${join(dir, 'folder')} is not a regular file`],
    [['--out', join(dir, 'same.yml'), '--slo-out', join(dir, 'same.yml')], 'rules: --out and --slo-out: one file'],
  ])('%j: one line, exit 2, nothing written', async (args, line) => {
    const { code, stderr } = await rules(['--slo-out', join(dir, 'slo.yml'), ...args]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(line);
    expect(readdirSync(dir)).toEqual(['folder']);
  });

  it('writes both files whole, no temporary file left', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tradesim-rules-ok-'));
    const { code } = await rules(['--out', join(out, 'b.yml'), '--slo-out', join(out, 's.yml')]);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['b.yml', 's.yml']);
  });
});
