/*
 * The contributors' scripts that write a file of the repository, run where that file cannot
 * be read or written (outside the repository's root, as `npx tsx scripts/...` from another
 * folder would): one line naming the file and the problem, exit code 2, no stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = resolve('node_modules/.bin/tsx');

function runIn(cwd: string, script: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    execFile(tsx, [resolve(script)], { cwd, timeout: 60_000 }, (error, _stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr });
    });
  });
}

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
});
