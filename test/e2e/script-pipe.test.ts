/*
 * A script whose output is read by something that stops reading (`npm run rules | head -1`):
 * what is left is dropped without a word and the script exits as it would have, never with
 * an EPIPE stack trace.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('a script writing into a closed pipe', () => {
  it('rules: exits 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/rules.ts'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader goes before the script writes: every write meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
