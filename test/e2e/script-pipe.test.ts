/*
 * A script whose output is read by something that stops reading (`npm run rules | head -1`):
 * what is left is dropped without a word and the script exits as it would have, never with
 * an EPIPE stack trace.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptBundle } from '../script-bundles.js';

describe('a script writing into a closed pipe', () => {
  it('rules: exits 0, nothing on stderr', async () => {
    // Its files in a folder of the test's: the repository's own stay as they are.
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-script-pipe-'));
    const files = ['--out', join(dir, 'business.yml'), '--slo-out', join(dir, 'slo.yml')];
    const child = spawn(process.execPath, [...scriptBundle('rules'), ...files], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes before the script writes: every write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'slo.yml'))).toBe(true);
  }, 60_000);
});
