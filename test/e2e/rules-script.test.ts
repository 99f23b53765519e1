/*
 * `npm run rules` writing its two files: a path it must not write over is refused in one
 * line, exit 2, before either file is written; a good pair is written whole.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from './processes.js';

const rules = (args: readonly string[]) => runScript('rules', args);

describe('npm run rules --out --slo-out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradesim-rules-'));
  mkdirSync(join(dir, 'folder'));

  symlinkSync(join(dir, 'folder'), join(dir, 'link.yml'));
  const slo = ['--slo-out', join(dir, 'slo.yml')];

  it.each([
    // The check that keeps a device (/dev/full) from being renamed over, as root could.
    [['--out', join(dir, 'folder'), ...slo], `rules: --out: ${join(dir, 'folder')} is not a regular file`],
    [['--out', join(dir, 'same.yml'), '--slo-out', join(dir, 'same.yml')], 'rules: --out and --slo-out: one file'],
    [['--out', join(dir, 'link.yml'), ...slo], `rules: --out: ${join(dir, 'link.yml')} is a symbolic link`],
    [['--out', '', ...slo], 'rules: --out: must not be empty'],
    [['--out', join(dir, 'out.yml'), ...slo, '--out', join(dir, 'other.yml')], 'rules: --out: given more than once'],
    // The second path's folder is checked before the first file is written.
    [['--out', join(dir, 'out.yml'), '--slo-out', join(dir, 'none', 'slo.yml')], `no folder ${join(dir, 'none')}`],
  ])('%j: one line, exit 2, nothing written', async (args, line) => {
    const { code, stderr } = await rules(args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(line);
    expect(readdirSync(dir).sort()).toEqual(['folder', 'link.yml']);
  });

  it('writes both files whole, no temporary file left', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tradesim-rules-ok-'));
    // A preset by name, as tradesim takes it.
    const { code } = await rules([
      '--scenario',
      'crisis',
      '--out',
      join(out, 'b.yml'),
      '--slo-out',
      join(out, 's.yml'),
    ]);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['b.yml', 's.yml']);
    // Written again over its own files; a scenario's SLO rules go beside its --out.
    expect((await rules(['--scenario', 'crisis', '--out', join(out, 'b.yml')])).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['b.slo.yml', 'b.yml', 's.yml']);
  });

  it("never writes over a file it did not write, nor a scenario's rules over the committed ones", async () => {
    const out = mkdtempSync(join(tmpdir(), 'tradesim-rules-mine-'));
    const mine = join(out, 'notes.txt');
    writeFileSync(mine, 'my notes\n');
    const over = await rules(['--out', mine, '--slo-out', join(out, 's.yml')]);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain(`rules: --out: ${mine} exists and was not written by npm run rules`);
    expect(readFileSync(mine, 'utf8')).toBe('my notes\n');
    const bare = await rules(['--scenario', 'crisis']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('rules: --scenario: needs --out FILE (business_alerts.yml holds the default rules)');
  });
});
