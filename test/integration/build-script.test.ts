import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run build (scripts/build.mjs)', () => {
  it("replaces the last build's files: no chunk of an earlier build is left beside the new ones", () => {
    const out = mkdtempSync(join(tmpdir(), 'tradesim-build-'));
    writeFileSync(join(out, 'chunk-EARLIER0.mjs'), 'export {};\n');
    writeFileSync(join(out, 'chunk-EARLIER0.mjs.map'), '{}\n');
    writeFileSync(join(out, 'notes.txt'), 'not a build file\n');
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', out], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['tradesim.mjs', 'sweep.mjs', 'sweep-worker.mjs', 'notes.txt']));
    expect(files.filter((f) => f.includes('EARLIER'))).toEqual([]);
  });
});
