import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createJsonlWriter, parseJsonl } from '../../../src/monitoring/index.js';
import { spyOnFileWrites } from './file-writes.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'tradesim-jsonl-'));
/** Keeps the size of each file write (each reported back `delayMs` after it is done); restore() ends it. */
async function recordFileWrites(delayMs = 0): Promise<{ writes: number[]; restore: () => void }> {
  const writes: number[] = [];
  const restore = await spyOnFileWrites(async (real, bytes) => {
    const done = await real(bytes);
    writes.push(done.bytesWritten);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    return done;
  });
  return { writes, restore };
}
const line = (i: number) => `${JSON.stringify({ turn: i, pad: 'x'.repeat(40) })}\n`;

describe('createJsonlWriter', () => {
  it('appends whole lines, creating the folder, and counts them', async () => {
    const path = join(tempDir(), 'deep', 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    for (let i = 1; i <= 100; i++) writer.write(line(i));
    await writer.close();
    const { lines, tornTail } = parseJsonl<{ turn: number }>(readFileSync(path, 'utf8'));
    expect(lines.map((l) => l.turn)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(tornTail).toBe(false);
    expect(writer.stats()).toMatchObject({ path, linesWritten: 100, writeErrors: 0, lastError: null });
  });

  it("moves another run's file aside at start, even with keep 0", async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    writeFileSync(path, line(0));
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    writer.write(line(1));
    await writer.close();
    const turns = (f: string) => parseJsonl<{ turn: number }>(readFileSync(f, 'utf8')).lines.map((l) => l.turn);
    expect(turns(path)).toEqual([1]);
    expect(turns(`${path}.1`)).toEqual([0]);
  });

  it('appends when asked, cutting a torn tail first so no line is glued to it', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    writeFileSync(path, `${line(0)}{"turn":1,"pa`);
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, append: true });
    writer.write(line(2));
    await writer.close();
    const { lines, tornTail } = parseJsonl<{ turn: number }>(readFileSync(path, 'utf8'));
    expect(lines.map((l) => l.turn)).toEqual([0, 2]);
    expect(tornTail).toBe(false);
  });

  it('refuses a file another live writer holds, and takes over a lock left by a dead one', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const first = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    expect(await first.started).toEqual({ state: 'open' });
    const second = createJsonlWriter({ path, maxBytes: 0, keep: 0, append: true });
    expect(await second.started).toEqual({ state: 'locked', pid: process.pid });
    second.write(line(9));
    await second.close();
    first.write(line(1));
    await first.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    // A lock whose process is gone (pid 2^22 + 1 is above Linux's default pid_max).
    writeFileSync(`${path}.lock`, `${2 ** 22 + 1}\n`);
    const third = createJsonlWriter({ path, maxBytes: 0, keep: 0, append: true });
    expect(await third.started).toEqual({ state: 'open', tookOver: `pid ${2 ** 22 + 1} is gone` });
    third.write(line(2));
    await third.close();
    expect(parseJsonl<{ turn: number }>(readFileSync(path, 'utf8')).lines.map((l) => l.turn)).toEqual([1, 2]);
  });

  it('rotates by size, keeps N files, and loses no line', async () => {
    const dir = tempDir();
    const path = join(dir, 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 1_000, keep: 3 });
    for (let i = 1; i <= 120; i++) {
      writer.write(line(i));
      // Let rotations run between bursts, as turns do.
      if (i % 10 === 0) await writer.flush();
    }
    await writer.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['metrics.jsonl', 'metrics.jsonl.1', 'metrics.jsonl.2', 'metrics.jsonl.3']);
    expect(writer.stats().rotations).toBeGreaterThan(3);
    const turnsOf = (f: string) =>
      parseJsonl<{ turn: number }>(readFileSync(join(dir, f), 'utf8')).lines.map((l) => l.turn);
    // Oldest kept file first, current file last: one unbroken, ordered run ending at 120.
    const kept = ['metrics.jsonl.3', 'metrics.jsonl.2', 'metrics.jsonl.1', 'metrics.jsonl'].flatMap(turnsOf);
    expect(kept.at(-1)).toBe(120);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => kept[0]! + i));
    // The file rotates before the line that would take it past maxBytes.
    for (const f of files) expect(readFileSync(join(dir, f)).length).toBeLessThanOrEqual(1_000);
  });

  it('rotates in one burst of writes without losing or reordering a line, every file within the limit', async () => {
    const dir = tempDir();
    const path = join(dir, 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 2_000, keep: 50 });
    // Let the first file open, then write everything without yielding.
    await writer.flush();
    for (let i = 1; i <= 300; i++) writer.write(line(i));
    await writer.close();
    const files = readdirSync(dir);
    expect(files).toContain('metrics.jsonl');
    const ordered = [...files].sort(
      (a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop()) || (a < b ? 1 : -1),
    );
    const turns = ordered
      .filter((f) => f !== 'metrics.jsonl')
      .concat('metrics.jsonl')
      .flatMap((f) => parseJsonl<{ turn: number }>(readFileSync(join(dir, f), 'utf8')).lines.map((l) => l.turn));
    expect(turns).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(2_000);
  });

  it('reports an unwritable path and never throws', async () => {
    const dir = tempDir();
    // A path under a file cannot be created.
    writeFileSync(join(dir, 'not-a-folder'), '');
    const path = join(dir, 'not-a-folder', 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, retryMs: 60_000 });
    writer.write(line(1));
    expect(await writer.started).toEqual({ state: 'failing' });
    expect(() => writer.write(line(2))).not.toThrow();
    const stats = writer.stats();
    expect(stats.lastError).toMatch(/ENOTDIR|EEXIST|ENOENT/);
    expect(stats.writeErrors).toBeGreaterThanOrEqual(2);
    // While failing, a line handed as a function is not even made.
    let made = 0;
    writer.write(() => {
      made += 1;
      return line(3);
    });
    await writer.flush();
    expect(made).toBe(0);
    await writer.close();
    expect(existsSync(path)).toBe(false);
  });

  it('settles a flush asked for while the file is still opening, once, without writing twice', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const empty = createJsonlWriter({ path: join(tempDir(), 'empty.jsonl'), maxBytes: 0, keep: 0 });
    await empty.flush();
    await empty.close();
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    for (let i = 1; i <= 300; i++) writer.write(line(i));
    await writer.flush();
    expect(parseJsonl<{ turn: number }>(readFileSync(path, 'utf8')).lines.map((l) => l.turn)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    await writer.close();
    // A file that cannot be opened: the flush settles instead of waiting for it.
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-folder'), '');
    const failing = createJsonlWriter({ path: join(dir, 'not-a-folder', 'm.jsonl'), maxBytes: 0, keep: 0 });
    failing.write(line(1));
    await failing.flush();
    await failing.close();
  });

  it('makes a line handed as a function and times the making with the queueing', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    expect(writer.stats().busySeconds).toBe(0);
    writer.write(() => {
      // About 20 ms of work, which busySeconds must include.
      const until = performance.now() + 20;
      while (performance.now() < until);
      return line(1);
    });
    writer.write(line(2));
    await writer.close();
    expect(parseJsonl<{ turn: number }>(readFileSync(path, 'utf8')).lines.map((l) => l.turn)).toEqual([1, 2]);
    expect(writer.stats().busySeconds).toBeGreaterThanOrEqual(0.02);
    expect(writer.stats().busySeconds).toBeLessThan(10);
  });
  it('takes lines as bytes, and copies bytes a line function hands back in a buffer it reuses', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 1_500, keep: 20 });
    await writer.flush();
    // One buffer, overwritten by every line made: the writer must not keep a view of it.
    const shared = Buffer.alloc(256);
    const reused = (i: number) => () => shared.subarray(0, shared.write(line(i)));
    for (let i = 1; i <= 90; i++) writer.write(i % 3 === 0 ? Buffer.from(line(i)) : i % 3 === 1 ? reused(i) : line(i));
    await writer.close();
    const dir = join(path, '..');
    const files = readdirSync(dir).sort((a, b) => Number(b.split('.').pop()) - Number(a.split('.').pop()));
    const turns = files
      .filter((f) => f !== 'metrics.jsonl')
      .concat('metrics.jsonl')
      .flatMap((f) => parseJsonl<{ turn: number }>(readFileSync(join(dir, f), 'utf8')).lines.map((l) => l.turn));
    expect(turns).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(writer.stats().rotations).toBeGreaterThan(0);
    expect(writer.stats().linesWritten).toBe(90);
  });

  it('skips and counts a line whose function throws, writing the lines around it', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    await writer.started;
    writer.write(line(1));
    writer.write(() => {
      throw new Error('no figures for turn 2');
    });
    writer.write(line(3));
    // The lines are made from setImmediate: a throw there would end the process.
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.stats()).toMatchObject({ linesWritten: 2, writeErrors: 1 });
    expect(writer.stats().lastError).toContain('no figures for turn 2');
    writer.write(line(4));
    await writer.close();
    expect(parseJsonl<{ turn: number }>(readFileSync(path, 'utf8')).lines.map((l) => l.turn)).toEqual([1, 3, 4]);
    expect(writer.stats()).toMatchObject({ linesWritten: 3, writeErrors: 1 });
  });

  it('makes queued lines together at the next pass of the event loop, in order', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    await writer.started;
    const made: number[] = [];
    const lazy = (i: number) => () => {
      made.push(i);
      return line(i);
    };
    writer.write(lazy(1));
    writer.write(line(2));
    writer.write(lazy(3));
    expect(made).toEqual([]);
    expect(writer.stats().linesWritten).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(made).toEqual([1, 3]);
    expect(writer.stats().linesWritten).toBe(3);
    await writer.close();
    expect(parseJsonl<{ turn: number }>(readFileSync(path, 'utf8')).lines.map((l) => l.turn)).toEqual([1, 2, 3]);
  });

  it('keeps up with a loop that queues lines faster than the disk writes them', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    await writer.flush();
    // A slow disk, the same on every machine: each file write reports back 10 ms after it
    // is done.
    const { writes, restore } = await recordFileWrites(10);
    const big = (i: number) => `${JSON.stringify({ turn: i, pad: 'x'.repeat(4_000) })}\n`;
    let queued = 0;
    try {
      for (let pass = 0; pass < 300; pass++) {
        // About 40 KB, then a pass of the event loop.
        for (let k = 0; k < 10; k++) {
          const text = big(pass * 10 + k);
          writer.write(text);
          queued += text.length;
        }
        // A flat-out loop yields with setImmediate: each pass polls I/O without waiting for it.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await writer.close();
    } finally {
      restore();
    }
    // Each write takes all that waits (up to 4 MiB), so a few writes carry the 300 passes'
    // lines. Writes of one pass's lines each would make 300 writes of 10 ms, and the
    // backlog would grow with everything queued meanwhile.
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThan(100);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(queued);
    expect(statSync(path).size).toBe(queued);
  });

  it('gathers the lines of many passes of the event loop into one file write, made when 20 ms have passed', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    await writer.flush();
    const { writes, restore } = await recordFileWrites();
    // The writer's timers run when the test says, so no machine is too slow for the check.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const pass = () => new Promise((resolve) => setImmediate(resolve));
    try {
      // A run flat out: a few lines, then a pass of the event loop, 20 times over.
      for (let turn = 0; turn < 20; turn++) {
        for (let k = 0; k < 3; k++) writer.write(line(turn * 3 + k));
        await pass();
      }
      // The writer checks its file (real I/O, as slow as the machine) before it starts to
      // wait: let it get there before moving the clock.
      const since = Date.now();
      while (vi.getTimerCount() === 0 && Date.now() - since < 10_000) await pass();
      expect(vi.getTimerCount()).toBe(1);
      // Before: a write per pass, each taking what waited once the last was done.
      vi.advanceTimersByTime(19);
      // Still waiting (a write begun early might not have reached the disk yet to be seen).
      expect(vi.getTimerCount()).toBe(1);
      for (let i = 0; i < 100; i++) await pass();
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(1);
      const fired = Date.now();
      while (writes.length === 0 && Date.now() - fired < 10_000) await pass();
      expect(writes).toHaveLength(1);
      expect(parseJsonl(readFileSync(path, 'utf8')).lines).toHaveLength(60);
    } finally {
      vi.useRealTimers();
      restore();
    }
    await writer.close();
  });

  it('says a failure at close (a file that cannot be removed) and still removes its lock', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const said: string[] = [];
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, onError: (m) => said.push(m) });
    await writer.flush();
    // No line written: close removes the empty file, which is now a folder with something in it.
    rmSync(path);
    mkdirSync(path);
    writeFileSync(join(path, 'x'), 'x');
    // An unhandled rejection here would fail the run of the suite.
    await writer.close();
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^the empty file could not be removed: /);
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(writer.stats().lastError).toBe(said[0]);
  });

  it('counts and says the lines a slow disk has not taken when the time to close is up', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const said: string[] = [];
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, closeTimeoutMs: 50, onError: (m) => said.push(m) });
    await writer.flush();
    // Each file write reports back 300 ms after it is done: 12 MB take three writes of 4 MiB.
    const { writes, restore } = await recordFileWrites(300);
    const big = (i: number) => `${JSON.stringify({ turn: i, pad: 'x'.repeat(4_000) })}\n`;
    const total = 3_000;
    try {
      for (let i = 1; i <= total; i++) writer.write(big(i));
      await writer.close();
      // The write under way lands; nothing else is tried.
      await new Promise((resolve) => setTimeout(resolve, 400));
    } finally {
      restore();
    }
    const { linesWritten, writeErrors, lastError } = writer.stats();
    expect(writes).toHaveLength(1);
    // The write under way had not reported back when closing gave up: its lines count as
    // lost with the rest (they did land: the count errs on the safe side, and says so).
    const landed = parseJsonl(readFileSync(path, 'utf8')).lines.length;
    expect(landed).toBeGreaterThan(0);
    expect([linesWritten, writeErrors]).toEqual([0, total]);
    expect(said).toEqual([
      `the file took nothing for 50 ms while closing: ${total} lines given up, ${landed} of them in a write that may yet land`,
    ]);
    expect(lastError).toBe(said[0]);
  });

  it('counts and says the lines of a write that never ends (a hung disk) when closing gives up', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const said: string[] = [];
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, closeTimeoutMs: 100, onError: (m) => said.push(m) });
    await writer.flush();
    const restore = await spyOnFileWrites(() => new Promise<never>(() => undefined));
    try {
      for (let i = 1; i <= 100; i++) writer.write(line(i));
      await writer.close();
    } finally {
      restore();
    }
    expect(writer.stats()).toMatchObject({ linesWritten: 0, writeErrors: 100 });
    expect(said).toEqual([
      'the file took nothing for 100 ms while closing: 100 lines given up, 100 of them in a write that may yet land',
    ]);
  });

  it('drops only the lines past a full queue, and rotates on behind a slow disk', async () => {
    const dir = tempDir();
    const path = join(dir, 'metrics.jsonl');
    const said: string[] = [];
    const writer = createJsonlWriter({
      ...{ path, maxBytes: 16 * 1024 * 1024, keep: 10, closeTimeoutMs: 20_000 },
      onError: (m) => said.push(m),
    });
    await writer.flush();
    // Each file write reports back 20 ms after it is done; 72 MB come at once (the queue holds 64 MiB).
    const { restore } = await recordFileWrites(20);
    const big = (i: number) => `${JSON.stringify({ turn: i, pad: 'x'.repeat(4_000) })}\n`;
    const total = 18_000;
    let midway: string | null | undefined;
    try {
      for (let i = 1; i <= total; i++) writer.write(big(i));
      // A few writes land while the queue is still over half full: the writer stays failing
      // (/health 503), where one landed write used to clear it.
      while (writer.stats().rotations === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      midway = writer.stats().lastError;
      await writer.close();
    } finally {
      restore();
    }
    const { linesWritten, writeErrors, lastError } = writer.stats();
    expect(midway).toBe('the file takes no lines: queue full');
    expect(lastError).toBeNull();
    expect(said).toEqual(['the file takes no lines: queue full']);
    // About 8 MB past the queue's 64 MiB are lost, nothing of what it held (before, the next
    // file after a rotation was refused while failing and the whole queue dropped).
    expect(writeErrors).toBeGreaterThan(0);
    expect(writeErrors).toBeLessThan(2_500);
    expect(linesWritten + writeErrors).toBe(total);
    const turns = readdirSync(dir)
      .filter((f) => !f.endsWith('.lock'))
      .flatMap((f) => parseJsonl<{ turn: number }>(readFileSync(join(dir, f), 'utf8')).lines.map((l) => l.turn));
    expect(turns).toHaveLength(linesWritten);
  });

  it('writes at once on flush, without waiting for more lines to join them', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    await writer.flush();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      writer.write(line(1));
      // Timers stopped: a flush that waited for more lines would not end (the test's timeout).
      await writer.flush();
      expect(parseJsonl(readFileSync(path, 'utf8')).lines).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
    await writer.close();
  });

  it('writes waiting lines without the event loop once 64 are queued, and on flush', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0 });
    await writer.started;
    for (let i = 1; i <= 63; i++) writer.write(line(i));
    expect(writer.stats().linesWritten).toBe(0);
    writer.write(line(64));
    expect(writer.stats().linesWritten).toBe(64);
    writer.write(line(65));
    const flushed = writer.flush();
    expect(writer.stats().linesWritten).toBe(65);
    await flushed;
    await writer.close();
    expect(parseJsonl(readFileSync(path, 'utf8')).lines).toHaveLength(65);
  });
});

describe('createJsonlWriter under faults', () => {
  const turnsIn = (f: string) => parseJsonl<{ turn: number }>(readFileSync(f, 'utf8')).lines.map((l) => l.turn);
  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  it('says when its file falls 4 MiB behind the lines handed to it, and settles once it is back under half', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const { writes, restore } = await recordFileWrites(100);
    try {
      const said: string[] = [];
      const writer = createJsonlWriter({
        path,
        maxBytes: 0,
        keep: 0,
        // A hung limit well above a write's 100 ms, so a loaded machine's slow write is not taken for a hang.
        closeTimeoutMs: 1_000,
        onBehind: (message) => said.push(message),
      });
      await writer.started;
      expect(writer.behind()).toBeUndefined();
      // Idle for longer than the writer's hung limit: a file with nothing to do is not hung.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      // 100 lines of about 100 KB: one write of up to 1 MiB under way, over 4 MiB queued behind it.
      const big = (i: number) => `${JSON.stringify({ turn: i, pad: 'x'.repeat(100_000) })}\n`;
      for (let i = 1; i <= 100; i++) writer.write(big(i));
      await new Promise((resolve) => setImmediate(resolve));
      const waiting = writer.behind();
      expect(waiting).toBeInstanceOf(Promise);
      expect(said).toHaveLength(1);
      const behindMiB = Number(
        /^the file is (\d+) MiB behind the run \(a slow disk\): the run waits for it$/.exec(said[0]!)?.[1],
      );
      expect(behindMiB).toBeGreaterThanOrEqual(4);
      await waiting;
      // Back under 2 MiB queued: writes of up to 1 MiB landed, 100 ms each, none taken for hung.
      expect(writes.length).toBeGreaterThanOrEqual(2);
      expect(writer.behind()).toBeUndefined();
      expect(writer.stats().waitSeconds).toBeGreaterThan(0.15);
      await writer.close();
    } finally {
      restore();
    }
    const turns = parseJsonl<{ turn: number }>(readFileSync(path, 'utf8')).lines.map((l) => l.turn);
    expect(turns).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('does not wait for a file that takes nothing for its hung limit', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, closeTimeoutMs: 200 });
    await writer.started;
    const restore = await spyOnFileWrites(() => new Promise<never>(() => undefined));
    try {
      const big = (i: number) => `${JSON.stringify({ turn: i, pad: 'x'.repeat(100_000) })}\n`;
      // The hung limit counts from the first write that took nothing: time it from there.
      const started = performance.now();
      for (let i = 1; i <= 100; i++) writer.write(big(i));
      await new Promise((resolve) => setImmediate(resolve));
      const waiting = writer.behind();
      expect(waiting).toBeInstanceOf(Promise);
      await waiting;
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
      expect(writer.behind()).toBeUndefined();
    } finally {
      restore();
    }
  });

  it("stops, says so and counts its lines lost when another run's lock is found in place of its own", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const path = join(tempDir(), 'metrics.jsonl');
      const said: string[] = [];
      const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, runId: 'mine', onError: (m) => said.push(m) });
      expect(await writer.started).toEqual({ state: 'open' });
      writer.write(line(1));
      await writer.flush();
      // Another run took the lock over (two runs on a stale lock at once).
      const other = '{"pid":1,"run":"other","process":"another-token"}\n';
      writeFileSync(`${path}.lock`, other);
      vi.advanceTimersByTime(10_000);
      await until(() => said.length > 0);
      expect(said).toEqual([`another live run holds the file's lock (pid 1, run other)`]);
      writer.write(line(2));
      await writer.close();
      expect(writer.stats()).toMatchObject({ linesWritten: 1, writeErrors: 1 });
      expect(turnsIn(path)).toEqual([1]);
      // The other run's lock is left as it is.
      expect(readFileSync(`${path}.lock`, 'utf8')).toBe(other);
    } finally {
      vi.useRealTimers();
    }
  });

  it('notices a file deleted under it, opens a new one and copies over the lines the old one took', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const said: string[] = [];
    const writer = createJsonlWriter({
      path,
      maxBytes: 0,
      keep: 0,
      checkEveryMs: 20,
      onReopen: (message) => said.push(message),
    });
    for (let i = 1; i <= 5; i++) writer.write(line(i));
    await writer.flush();
    // Time must pass: the file is checked at most every 20 ms, on a write.
    await new Promise((resolve) => setTimeout(resolve, 30));
    for (let i = 6; i <= 8; i++) writer.write(line(i));
    await writer.flush();
    rmSync(path);
    for (let i = 9; i <= 12; i++) {
      // Time must pass: writes 15 ms apart, so some come after the next check is due.
      await new Promise((resolve) => setTimeout(resolve, 15));
      writer.write(line(i));
    }
    await writer.close();
    expect(writer.stats().reopens).toBe(1);
    // Lines 6-8, and those of 9-12 written before the check came due, went to the deleted file.
    expect(said).toHaveLength(1);
    const copied = Number(
      /^the file was deleted: a new one opened at its path, with the (\d+) lines written to it since it was last seen$/.exec(
        said[0]!,
      )?.[1],
    );
    expect(copied).toBeGreaterThanOrEqual(3);
    expect(copied).toBeLessThanOrEqual(7);
    // Lines 6-8 reached the deleted file after its last check: they are copied over.
    expect(turnsIn(path)).toEqual([6, 7, 8, 9, 10, 11, 12]);
  });

  it('counts and says the lines of a file deleted while its path cannot be made (a file where its folder was)', async () => {
    const dir = join(tempDir(), 'out');
    mkdirSync(dir);
    const path = join(dir, 'metrics.jsonl');
    const errors: string[] = [];
    const writer = createJsonlWriter({
      path,
      maxBytes: 0,
      keep: 0,
      checkEveryMs: 20,
      retryMs: 60_000,
      onError: (message) => errors.push(message),
    });
    for (let i = 1; i <= 3; i++) writer.write(line(i));
    await writer.flush();
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'x');
    for (let i = 4; i <= 12; i++) {
      // Time must pass: writes 15 ms apart, so the file's check comes due among them.
      await new Promise((resolve) => setTimeout(resolve, 15));
      writer.write(line(i));
    }
    await writer.close();
    // Lines 1-3 went with the folder; 4-12 could reach no file: every one is counted, and said.
    const { linesWritten, writeErrors } = writer.stats();
    expect(writeErrors).toBeGreaterThanOrEqual(6);
    expect(linesWritten + writeErrors).toBe(12);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(/ENOTDIR|EEXIST/);
  });

  it('says it is failing until a line has really reached the file again', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocked'), '');
    const path = join(dir, 'blocked', 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, retryMs: 50 });
    expect(await writer.started).toEqual({ state: 'failing' });
    writer.write(line(1));
    expect(writer.stats().lastError).toMatch(/ENOTDIR|EEXIST/);
    // The way is cleared, but no line has been written since.
    rmSync(join(dir, 'blocked'));
    // Time must pass: the writer tries the path again only once retryMs (50) has.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(writer.stats().lastError).not.toBeNull();
    writer.write(line(2));
    await writer.flush();
    expect(writer.stats().lastError).toBeNull();
    await writer.close();
    expect(turnsIn(path)).toEqual([2]);
  });

  it('cuts the torn line a full disk leaves at once, and writes again once it has room', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, retryMs: 30 });
    await writer.started;
    writer.write(line(1));
    await writer.flush();
    // The next write stores half its bytes, then the disk is full.
    const restore = await spyOnFileWrites(async (write, bytes) => {
      await write(bytes.subarray(0, bytes.length >> 1));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }, 1);
    try {
      writer.write(line(2));
      await writer.flush();
      expect(writer.stats().lastError).toMatch(/ENOSPC/);
      // A run that ended here would leave whole lines only.
      expect(parseJsonl(readFileSync(path, 'utf8'))).toEqual({
        lines: [{ turn: 1, pad: 'x'.repeat(40) }],
        tornTail: false,
      });
      // Time must pass: the writer tries again only once retryMs (30) has.
      await new Promise((resolve) => setTimeout(resolve, 40));
      writer.write(line(3));
      await until(() => writer.stats().lastError === null);
    } finally {
      restore();
    }
    await writer.close();
    const { lines, tornTail } = parseJsonl<{ turn: number }>(readFileSync(path, 'utf8'));
    expect(lines.map((l) => l.turn)).toEqual([1, 3]);
    expect(tornTail).toBe(false);
    expect(writer.stats().writeErrors).toBe(1);
  });
});

describe('createJsonlWriter counts what reached the file', () => {
  const turnsIn = (f: string) => parseJsonl<{ turn: number }>(readFileSync(f, 'utf8')).lines.map((l) => l.turn);

  it('counts as written only the whole lines a short write stored before the disk filled', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    const errors: string[] = [];
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, retryMs: 60_000, onError: (m) => errors.push(m) });
    await writer.started;
    // The first write stores a line and a half and says so; the next finds the disk full.
    const stored = line(1).length + (line(2).length >> 1);
    const restore = await spyOnFileWrites(async (write, bytes) => {
      if (bytes.length > stored) return write(bytes.subarray(0, stored));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }, 2);
    try {
      for (let i = 1; i <= 3; i++) writer.write(line(i));
      await writer.flush();
    } finally {
      restore();
    }
    expect(writer.stats()).toMatchObject({ linesWritten: 1, writeErrors: 2 });
    expect(errors).toEqual(['ENOSPC: no space left on device, write']);
    await writer.close();
    expect(turnsIn(path)).toEqual([1]);
  });

  it('cuts a torn tail longer than the 1 MiB it reads back at a time, wholly', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    writeFileSync(path, `${line(1)}{"v":1,"torn":"${'y'.repeat(3 * 1024 * 1024)}`);
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, append: true });
    await writer.started;
    writer.write(line(2));
    await writer.close();
    const { lines, tornTail } = parseJsonl<{ turn: number }>(readFileSync(path, 'utf8'));
    expect(lines.map((l) => l.turn)).toEqual([1, 2]);
    expect(tornTail).toBe(false);
  });

  it('cuts a file that is one torn line, with no line break at all, to nothing', async () => {
    const path = join(tempDir(), 'metrics.jsonl');
    writeFileSync(path, 'z'.repeat(2 * 1024 * 1024 + 5));
    const writer = createJsonlWriter({ path, maxBytes: 0, keep: 0, append: true });
    await writer.started;
    writer.write(line(7));
    await writer.close();
    expect(readFileSync(path, 'utf8')).toBe(line(7));
  });
});

describe('parseJsonl', () => {
  it('skips a torn last line, as left by a crash mid-write', () => {
    const text = `${line(1)}${line(2)}{"turn":3,"pa`;
    const { lines, tornTail } = parseJsonl<{ turn: number }>(text);
    expect(lines.map((l) => l.turn)).toEqual([1, 2]);
    expect(tornTail).toBe(true);
  });

  it('refuses a corrupt line that is not the last', () => {
    expect(() => parseJsonl(`${line(1)}{oops\n${line(2)}`)).toThrow();
  });
});
