import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingFile } from '../../../src/monitoring/jsonl/rotating-file.js';
import { WriterHealth } from '../../../src/monitoring/jsonl/writer-health.js';
import { spyOnFileWrites } from './file-writes.js';

/** Whole lines of exactly `size` bytes. */
const chunk = (size: number) => Buffer.from(`${'x'.repeat(size - 1)}\n`);

describe('RotatingFile', () => {
  it('plans the newest file, not the one being rotated to, while more rotations wait', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-rotating-'));
    const path = join(dir, 'm.jsonl');
    const health = new WriterHealth(5_000);
    const file = new RotatingFile({ path, maxBytes: 2_000, keep: 10, checkEveryMs: 250 }, health);
    expect(await file.open()).toBe(true);
    // Each file write reports back 50 ms after it is done: the queue is read slowly.
    const restore = await spyOnFileWrites(async (write, bytes) => {
      const done = await write(bytes);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return done;
    });
    try {
      // Three files planned at once: 1,500 bytes, then 100, then 1,900.
      file.take(chunk(1_500), 1);
      file.rotateHere();
      file.take(chunk(100), 1);
      file.rotateHere();
      file.take(chunk(1_900), 1);
      // Once the first rotation is done, the 1,900-byte file is still the newest planned.
      while (health.rotations === 0) await new Promise((resolve) => setImmediate(resolve));
      expect(file.wouldPassLimit(0, 500)).toBe(true);
      expect(file.wouldPassLimit(0, 100)).toBe(false);
      await file.close();
    } finally {
      restore();
    }
    const sizes = readdirSync(dir)
      .map((f) => statSync(join(dir, f)).size)
      .sort((a, b) => a - b);
    expect(sizes).toEqual([100, 1_500, 1_900]);
  });

  it('plans nothing of the lines it dropped when the file could not be opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-rotating-'));
    writeFileSync(join(dir, 'file'), '');
    const health = new WriterHealth(5_000);
    const file = new RotatingFile(
      { path: join(dir, 'file', 'm.jsonl'), maxBytes: 2_000, keep: 1, checkEveryMs: 250 },
      health,
    );
    file.take(chunk(1_500), 1);
    await file.idle();
    expect(health.writeErrors).toBe(1);
    expect(health.lastError).toMatch(/ENOTDIR/);
    // The 1,500 bytes never reached a file: the next one still has room for 2,000.
    expect(file.wouldPassLimit(0, 1_900)).toBe(false);
  });
});
