import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Checkpoint, readCheckpoint, writeCheckpoint } from '../../src/cli/checkpoint-file.js';
import { parseJsonl } from '../../src/monitoring/index.js';
import { CLI, servingUrl, signal, start, startCli, waitFor } from './processes.js';

// The files a run writes, with the real CLI: whole or not at all, never over what TradeSim did
// not make, one live run per file, and every loss said and counted.
// Each case spawns the CLI a few times; on a loaded machine that is many seconds.
vi.setConfig({ testTimeout: 120_000 });
const root = mkdtempSync(join(tmpdir(), 'tradesim-files-'));
let dirs = 0;
const tempDir = () => {
  const dir = join(root, String(dirs++));
  mkdirSync(dir);
  return dir;
};
const cli = (args: readonly string[]) =>
  spawnSync(process.execPath, [...CLI, '--no-server', '--interval', '0', '--quiet', ...args], { encoding: 'utf8' });
const turnsIn = (path: string) =>
  parseJsonl<{ turn: number }>(readFileSync(path, 'utf8')).lines.map((line) => line.turn);
/** A refusal: exit 2 and one line naming the problem, never a stack. */
const expectRefused = (r: ReturnType<typeof cli>, text: string) => {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(text);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

const mounts: string[] = [];
afterAll(() => {
  for (const dir of mounts) spawnSync('umount', [dir]);
  rmSync(root, { recursive: true, force: true });
});

/** A 2 MiB tmpfs, or the reason none can be mounted here (not root, no mount permission). */
function smallDisk(): { dir: string } | { skip: string } {
  const dir = tempDir();
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return { skip: `cannot mount a tmpfs: ${(r.stderr || String(r.error)).trim()}` };
  mounts.push(dir);
  return { dir };
}

describe('a checkpoint on a nearly full disk', () => {
  const disk = smallDisk();
  it.skipIf('skip' in disk)('keeps the previous checkpoint, warns, and exits 3', () => {
    const dir = (disk as { dir: string }).dir;
    const checkpoint = join(dir, 'c.ckpt');
    const first = cli([
      '--scenario',
      'crisis',
      '--seed',
      '7',
      '--turns',
      '30',
      '--no-jsonl',
      '--checkpoint',
      checkpoint,
    ]);
    expect(first.status, first.stderr).toBe(0);
    const good = readFileSync(checkpoint);
    // Fill the disk but for 40 KB: less than a checkpoint.
    const free = Number(spawnSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' }).stdout.split('\n')[1]);
    expect(good.length).toBeGreaterThan(40_000);
    writeFileSync(join(dir, 'fill'), Buffer.alloc(free - 40_000));
    const resumed = cli(['--resume', checkpoint, '--turns', '5', '--no-jsonl', '--checkpoint', checkpoint]);
    expect(resumed.status, resumed.stderr).toBe(3);
    expect(resumed.stderr).toContain(
      `tradesim: warning: checkpoint not written to ${checkpoint} (the previous one is kept): ENOSPC`,
    );
    expect(resumed.stderr).toContain(`output lost: the checkpoint of turn 35 (${checkpoint}) (exit 3)`);
    expect(readFileSync(checkpoint).equals(good)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['c.ckpt', 'fill']);
    // And the kept one still resumes.
    rmSync(join(dir, 'fill'));
    expect(cli(['--resume', checkpoint, '--turns', '5', '--no-jsonl']).status).toBe(0);
  });
  it.skipIf('skip' in disk)('JSONL lines a full disk refuses: one warning, counted exactly, exit 3', () => {
    const dir = join((disk as { dir: string }).dir, 'logs');
    const path = join(dir, 'm.jsonl');
    const r = cli(['--scenario', 'crisis', '--seed', '7', '--turns', '700', '--no-events', '--jsonl', path]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr.match(/warning: JSONL/g)).toHaveLength(1);
    expect(r.stderr).toContain(`warning: JSONL ${path}: lines not written: ENOSPC`);
    const lost = Number(/output lost: (\d+) JSONL lines/.exec(r.stderr)?.[1]);
    const kept = turnsIn(path);
    expect(kept.length).toBeGreaterThan(0);
    // In order, no line twice (a retry after 5 s may add some after a gap).
    expect(kept.every((turn, i) => turn >= 1 && turn <= 700 && (i === 0 || turn > kept[i - 1]!))).toBe(true);
    // Every line is either whole in the file or counted as lost, never both.
    expect(kept.length + lost).toBe(700);
  });
  if ('skip' in disk) it.skip(`(skipped: ${disk.skip})`, () => {});
});

describe('a JSONL file on a full disk', () => {
  const disk = smallDisk();
  it.skipIf('skip' in disk)('leaves no lock behind (an empty one was taken over by the next run)', () => {
    const dir = (disk as { dir: string }).dir;
    const free = Number(spawnSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' }).stdout.split('\n')[1]);
    writeFileSync(join(dir, 'fill'), Buffer.alloc(free));
    const path = join(dir, 'm.jsonl');
    const r = cli(['--seed', '1', '--turns', '5', '--no-events', '--jsonl', path]);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain(`warning: JSONL ${path}: lines not written: ENOSPC`);
    expect(r.stderr).toContain(`output lost: 5 JSONL lines (${path}) (exit 3)`);
    expect(readdirSync(dir)).toEqual(['fill']);
    // With room again, the next run takes the lock with no word of a stale one.
    rmSync(join(dir, 'fill'));
    const next = cli(['--seed', '1', '--turns', '5', '--no-events', '--jsonl', path]);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).not.toContain('stale lock');
    expect(turnsIn(path)).toEqual([1, 2, 3, 4, 5]);
  });

  const later = smallDisk();
  it.skipIf('skip' in later)(
    'takes the lock and moves the older file aside once there is room: a second run is refused, nothing mixed in',
    async () => {
      const dir = (later as { dir: string }).dir;
      const path = join(dir, 'm.jsonl');
      // An older run's file: moved aside once there is room, never appended to.
      writeFileSync(path, '{"v":1,"run":"older","seed":7,"turn":1}\n');
      const free = Number(spawnSync('df', ['-B1', '--output=avail', dir], { encoding: 'utf8' }).stdout.split('\n')[1]);
      writeFileSync(join(dir, 'fill'), Buffer.alloc(free));
      const first = startCli(['--seed', '1', '--interval', '20', '--port', '0', '--no-events', '--jsonl', path]);
      try {
        await servingUrl(first);
        rmSync(join(dir, 'fill'));
        // The writer tries again every 5 s: the lock first, then the file.
        await waitFor(
          'the first run writing',
          () => (existsSync(`${path}.1`) && existsSync(path) && turnsIn(path).length > 0 ? true : undefined),
          15_000,
        );
        expect(existsSync(`${path}.lock`)).toBe(true);
        const second = cli(['--seed', '2', '--turns', '3', '--no-events', '--jsonl', path]);
        expectRefused(second, 'TRADESIM_ERR_CLI_JSONL_IN_USE');
        signal(first, 'SIGTERM');
        expect(await first.exited).toBe(0);
      } finally {
        // A failed expectation must not leave the run going (and its disk mounted).
        signal(first, 'SIGKILL');
      }
      const seeds = new Set(parseJsonl<{ seed: number }>(readFileSync(path, 'utf8')).lines.map((l) => l.seed));
      expect([...seeds]).toEqual([1]);
      expect(readFileSync(`${path}.1`, 'utf8')).toBe('{"v":1,"run":"older","seed":7,"turn":1}\n');
    },
    60_000,
  );
  if ('skip' in disk) it.skip(`(skipped: ${disk.skip})`, () => {});
});

describe('output paths a run refuses, exit 2 and one line, the file untouched', () => {
  it.each([
    ['the scenario file', (dir: string) => ['--scenario', join(dir, 'sc.json'), '--checkpoint', join(dir, 'sc.json')]],
    ['the JSONL file', (dir: string) => ['--jsonl', join(dir, 'x.jsonl'), '--checkpoint', join(dir, 'x.jsonl')]],
    ['the event log', (dir: string) => ['--events', join(dir, 'e.jsonl'), '--checkpoint', join(dir, 'e.jsonl')]],
    [
      "the JSONL file's lock",
      (dir: string) => ['--jsonl', join(dir, 'x.jsonl'), '--events', join(dir, 'x.jsonl.lock')],
    ],
  ])('--checkpoint or --events onto %s', (what, argsIn) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sc.json'), readFileSync('scenarios/default.json'));
    writeFileSync(join(dir, 'x.jsonl'), '{"v":1,"run":"r","turn":1}\n');
    writeFileSync(join(dir, 'e.jsonl'), '{"v":1,"run":"r","turn":1,"kind":"event"}\n');
    const before = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
    const r = cli(['--turns', '3', ...argsIn(dir)]);
    expectRefused(r, `it is also ${what}`);
    expect(r.stderr).toContain('TRADESIM_ERR_CLI_OUTPUT_REFUSED');
    expect(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')])).toEqual(before);
  });

  it('a device, a FIFO, a file that is not a checkpoint, a JSONL file without TradeSim lines', () => {
    const dir = tempDir();
    spawnSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
    expectRefused(
      cli(['--turns', '3', '--no-jsonl', '--checkpoint', '/dev/null']),
      '--checkpoint: refusing /dev/null: it is a device',
    );
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expectRefused(cli(['--turns', '3', '--jsonl', '/dev/null']), '--jsonl: refusing /dev/null: it is a device');
    expectRefused(cli(['--turns', '3', '--no-jsonl', '--checkpoint', join(dir, 'fifo')]), 'it is a FIFO');
    expectRefused(
      cli(['--turns', '3', '--no-jsonl', '--checkpoint', join(dir, 'notes.txt')]),
      'it exists and is not a TradeSim checkpoint',
    );
    expectRefused(cli(['--turns', '3', '--jsonl', join(dir, 'notes.txt')]), 'it exists and holds no TradeSim lines');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(readdirSync(dir).sort()).toEqual(['fifo', 'notes.txt']);
  });

  it('a hard link to a JSONL file, when appending (its other name is another lock)', () => {
    const dir = tempDir();
    const path = join(dir, 'a.jsonl');
    expect(cli(['--seed', '1', '--turns', '3', '--jsonl', path]).status).toBe(0);
    linkSync(path, join(dir, 'b.jsonl'));
    expectRefused(
      cli(['--seed', '1', '--turns', '3', '--jsonl', join(dir, 'b.jsonl'), '--jsonl-append']),
      'it has 2 names (hard links)',
    );
    expect(turnsIn(path)).toEqual([1, 2, 3]);
  });

  // This case and the next run side by side: each is mostly its run's paced turns.
  it.concurrent(
    'a checkpoint replaced by a folder mid-run: the warning says no checkpoint is kept, exit 3',
    async ({ expect }) => {
      const checkpoint = join(tempDir(), 'c.ckpt');
      const run = startCli([
        ...['--seed', '3', '--turns', '400', '--interval', '10', '--no-server', '--quiet', '--no-jsonl'],
        ...['--no-events', '--checkpoint', checkpoint, '--checkpoint-every', '20'],
      ]);
      await waitFor('a first checkpoint', () => (existsSync(checkpoint) ? true : undefined));
      // The run may write its next checkpoint between the two: until the name is the folder's.
      for (;;) {
        rmSync(checkpoint, { force: true });
        try {
          mkdirSync(checkpoint);
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
      expect(await run.exited).toBe(3);
      const warnings = run
        .stderr()
        .split('\n')
        .filter((l) => l.includes('checkpoint not written'));
      expect(warnings.length).toBeGreaterThan(0);
      for (const warning of warnings) {
        expect(warning).toContain(`checkpoint not written to ${checkpoint}: `);
        expect(warning).not.toContain('kept');
      }
    },
  );

  it.concurrent(
    'a paced run whose folder is replaced by a file for 2 s: the lines it could not write are counted, said, exit 3',
    async ({ expect }) => {
      const dir = tempDir();
      const out = join(dir, 'out');
      mkdirSync(out);
      const path = join(out, 'm.jsonl');
      const run = startCli([
        '--seed',
        '3',
        '--turns',
        '900',
        '--interval',
        '10',
        '--no-server',
        '--quiet',
        '--no-events',
        '--jsonl',
        path,
      ]);
      await waitFor('40 lines in the file', () =>
        existsSync(path) && readFileSync(path, 'utf8').split('\n').length > 40 ? true : undefined,
      );
      rmSync(out, { recursive: true });
      writeFileSync(out, 'x');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      rmSync(out);
      expect(await run.exited).toBe(3);
      const lost = Number(/output lost: (\d+) JSONL lines/.exec(run.stderr())?.[1]);
      expect(run.stderr()).toMatch(/lines not written: ENOTDIR/);
      // Every turn is in the new file or counted lost, but those that went with the deleted folder.
      const kept = turnsIn(path);
      expect(kept.at(-1)).toBe(900);
      expect(lost).toBeGreaterThan(50);
      expect(kept[0]! - 1).toBeGreaterThanOrEqual(lost);
    },
  );

  it("a user's NAME.tmp beside the checkpoint is left as it was: the checkpoint goes through a name of its process's", () => {
    const dir = tempDir();
    const checkpoint = join(dir, 'c.ckpt');
    writeFileSync(`${checkpoint}.tmp`, 'my tmp notes\n');
    const r = cli(['--seed', '5', '--turns', '5', '--no-jsonl', '--no-events', '--checkpoint', checkpoint]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(`${checkpoint}.tmp`, 'utf8')).toBe('my tmp notes\n');
    expect(readFileSync(checkpoint).subarray(0, 19).toString('latin1')).toBe('TRADESIM-CHECKPOINT');
    expect(readdirSync(dir).sort()).toEqual(['c.ckpt', 'c.ckpt.tmp']);
  });

  it("a symbolic link as the JSONL file (/dev/stdout, a user's file, another run's file), and a log whose rotated files are not TradeSim's", () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'user-empty.txt'), '');
    symlinkSync('user-empty.txt', join(dir, 'link.jsonl'));
    // A link to /proc/self/fd/1 where /dev is a system's (a FIFO or a device past it): never renamed away.
    const stdoutWasLink = lstatSync('/dev/stdout').isSymbolicLink();
    expectRefused(cli(['--turns', '3', '--jsonl', '/dev/stdout']), '--jsonl: refusing /dev/stdout: it is a');
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(stdoutWasLink);
    expectRefused(
      cli(['--turns', '3', '--jsonl', join(dir, 'link.jsonl')]),
      'it is a symbolic link (to user-empty.txt): name the file itself',
    );
    const path = join(dir, 'a.jsonl');
    expect(cli(['--seed', '1', '--turns', '3', '--jsonl', path, '--no-events']).status).toBe(0);
    symlinkSync('a.jsonl', join(dir, 'to-a.jsonl'));
    expectRefused(
      cli(['--seed', '2', '--turns', '3', '--jsonl', join(dir, 'to-a.jsonl'), '--jsonl-append', '--no-events']),
      'it is a symbolic link (to a.jsonl)',
    );
    writeFileSync(`${path}.1`, 'my precious notes\n');
    expectRefused(
      cli(['--seed', '1', '--turns', '3', '--jsonl', path, '--no-events']),
      `${path}.1 is not a file of TradeSim's, and moving the log aside would move or delete it`,
    );
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('my precious notes\n');
    expect(turnsIn(path)).toEqual([1, 2, 3]);
    expect(lstatSync(join(dir, 'link.jsonl')).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'a.jsonl.1', 'link.jsonl', 'to-a.jsonl', 'user-empty.txt']);
  });
});

describe('JSONL and event-log failures are said, counted and end a batch run with 3', () => {
  it('a --turns run writing into a folder: one warning, exit 3 naming the lines lost', () => {
    const dir = tempDir();
    const r = cli(['--seed', '1', '--turns', '20', '--jsonl', dir, '--no-events']);
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr.match(/warning: JSONL/g)).toHaveLength(1);
    expect(r.stderr).toContain(`tradesim: warning: JSONL ${dir}: lines not written: ${dir} is not a regular file`);
    expect(r.stderr).toContain(`output lost: 20 JSONL lines (${dir}) (exit 3)`);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('a live run: the failure is on /metrics by output, and a stop still exits 0, saying what was lost', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    const run = startCli(['--seed', '2', '--interval', '5', '--port', '0', '--jsonl', join(dir, 'file', 'm.jsonl')]);
    const url = await servingUrl(run);
    const counted = await waitFor('JSONL errors on /metrics', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const jsonl = Number(/^tradesim_output_errors_total\{output="jsonl"\} (\d+)/m.exec(text)?.[1]);
      return jsonl > 0 ? text : undefined;
    });
    expect(counted).toMatch(/^tradesim_output_errors_total\{output="checkpoint"\} 0$/m);
    expect(counted).toMatch(/^tradesim_output_errors_total\{output="events"\} \d+$/m);
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr().match(/warning: JSONL .*lines not written: .*ENOTDIR/g)).toHaveLength(1);
    // What was lost is said at the end of a run stopped by a signal too, every line counted.
    const lost = /^tradesim: output lost: (\d+) JSONL lines \(.*m\.jsonl\).* \(exit 0\)$/m.exec(run.stderr());
    const turn = Number(/stopped after turn (\d+)/.exec(run.stderr())?.[1]);
    expect(turn).toBeGreaterThan(0);
    expect(Number(lost?.[1])).toBe(turn);
  });
});

describe('a disk slower than the run', () => {
  // strace delays every write(2) of the process by 20 ms: the file takes about 13 MB/s in
  // writes of up to 1 MiB, while classic hands over about 80 MB/s of lines flat out. Before the
  // run waited for its file, a run like this lost a sixth of its lines (a full queue) and
  // exited 3.
  const strace = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true']).status === 0;
  /** The CLI flat out with no server and no event log, its system calls faulted as strace's `-e` options say. */
  const underStrace = (faults: readonly string[], args: readonly string[]) =>
    spawnSync(
      'strace',
      ['-f', '-qq', '--seccomp-bpf', ...faults, '-o', '/dev/null', process.execPath, ...CLI, ...args].concat([
        '--interval',
        '0',
        '--no-server',
        '--no-events',
        '--quiet',
      ]),
      { encoding: 'utf8', timeout: 60_000 },
    );
  it.skipIf(!strace)(
    'holds the run back rather than drop lines, and says so once',
    () => {
      const path = join(tempDir(), 'm.jsonl');
      const r = underStrace(
        ['-e', 'trace=write', '-e', 'inject=write:delay_enter=20000'],
        ['--scenario', 'classic', '--seed', '1', '--turns', '20000', '--jsonl', path, '--jsonl-max-bytes', '0'],
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr.match(/the run waits for it/g)).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^tradesim: JSONL .*m\.jsonl: the file is \d+ MiB behind the run \(a slow disk\): the run waits for it$/m,
      );
      expect(r.stderr).not.toContain('lines not written');
      expect(turnsIn(path)).toEqual(Array.from({ length: 20_000 }, (_, i) => i + 1));
    },
    90_000,
  );

  it.skipIf(!strace)(
    'a file that takes 5 s to open: the run waits a while, keeps 1,024 lines in memory, and counts the rest lost',
    () => {
      // The lock's link(2) held 5 s: the run waits 2 s for the file, then 1.5 s more once lines
      // pile up, then goes on. Before, the lines made meanwhile reached the file as one chunk
      // past its queue's limit, and all 30,000 were lost.
      const path = join(tempDir(), 'm.jsonl');
      const r = underStrace(
        ['-e', 'trace=link,linkat', '-e', 'inject=link,linkat:delay_enter=5000000'],
        // One file: on a loaded machine the run is slower, the file opens at an earlier turn,
        // and the lines after it pass the default 100 MiB (the first ones then rotate away).
        ['--scenario', 'classic', '--seed', '1', '--turns', '30000', '--jsonl-max-bytes', '0', '--jsonl', path],
      );
      expect(r.status, r.stderr).toBe(3);
      expect(r.stderr).toContain(`tradesim: JSONL ${path}: the file is not open yet: the run waits for it`);
      expect(r.stderr).toContain(`warning: JSONL ${path}: lines not written: the file is not open yet: lines dropped`);
      const lost = Number(/output lost: (\d+) JSONL lines/.exec(r.stderr)?.[1]);
      const kept = turnsIn(path);
      expect(kept.slice(0, 1_024)).toEqual(Array.from({ length: 1_024 }, (_, i) => i + 1));
      expect(kept.every((turn, i) => i === 0 || turn > kept[i - 1]!)).toBe(true);
      expect(kept.length + lost).toBe(30_000);
    },
    60_000,
  );

  it.skipIf(!strace)(
    'a file system without hard links: the lock is created, then written, and removed at the end',
    () => {
      const dir = tempDir();
      const path = join(dir, 'm.jsonl');
      const r = underStrace(
        ['-e', 'trace=link,linkat', '-e', 'inject=link,linkat:error=EXDEV'],
        ['--seed', '1', '--turns', '5', '--jsonl', path],
      );
      expect(r.status, r.stderr).toBe(0);
      expect(turnsIn(path)).toEqual([1, 2, 3, 4, 5]);
      expect(readdirSync(dir)).toEqual(['m.jsonl']);
    },
    60_000,
  );
});

describe('the lock names a run', () => {
  const unshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
  it.skipIf(!unshare)('a run killed with -9 as PID 1 restarts as PID 1 in a new PID namespace', async () => {
    const dir = tempDir();
    const path = join(dir, 'm.jsonl');
    const inNamespace = (args: readonly string[]) =>
      start('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, ...CLI, ...args]);
    const args = ['--seed', '3', '--no-server', '--quiet', '--no-events', '--jsonl', path];
    const first = inNamespace([...args, '--interval', '20']);
    const holder = await waitFor('the lock', () =>
      existsSync(`${path}.lock`) && existsSync(path)
        ? (JSON.parse(readFileSync(`${path}.lock`, 'utf8')) as { pid: number })
        : undefined,
    );
    expect(holder.pid).toBe(1);
    signal(first, 'SIGKILL');
    await first.exited;
    expect(existsSync(`${path}.lock`)).toBe(true);
    const again = inNamespace([...args, '--interval', '0', '--turns', '5', '--jsonl-append']);
    expect(await again.exited, again.stderr()).toBe(0);
    expect(again.stderr()).toContain(`warning: JSONL ${path}: took over a stale lock (pid 1, run `);
    expect(again.stderr()).toContain('is this process now (a restart in a new PID namespace)');
    expect(turnsIn(path).slice(-5)).toEqual([1, 2, 3, 4, 5]);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe('a resumed run goes on in its own files', () => {
  it('appends to the JSONL file of the run it resumes, or moves it aside with --no-jsonl-append or when another run wrote it', () => {
    const dir = tempDir();
    const [path, checkpoint] = [join(dir, 'm.jsonl'), join(dir, 'c.ckpt')];
    expect(cli(['--seed', '4', '--turns', '10', '--jsonl', path, '--checkpoint', checkpoint]).status).toBe(0);
    expect(cli(['--resume', checkpoint, '--turns', '5', '--jsonl', path, '--checkpoint', checkpoint]).status).toBe(0);
    expect(turnsIn(path)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const apart = cli(['--resume', checkpoint, '--turns', '2', '--jsonl', path, '--no-jsonl-append']);
    expect(apart.status, apart.stderr).toBe(0);
    expect(turnsIn(path)).toEqual([16, 17]);
    expect(turnsIn(`${path}.1`)).toHaveLength(15);
    // Another run's file is never appended to by a resumed run: it is moved aside.
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, '{"v":1,"run":"another-run","turn":99}\n');
    expect(cli(['--resume', checkpoint, '--turns', '2', '--jsonl', other]).status).toBe(0);
    expect(turnsIn(other)).toEqual([16, 17]);
    expect(turnsIn(`${other}.1`)).toEqual([99]);
  });

  it("says when --checkpoint holds another run's checkpoint, which this run replaces; not its own run's", () => {
    const dir = tempDir();
    const checkpoint = join(dir, 'c.ckpt');
    expect(
      cli(['--scenario', 'crisis', '--seed', '7', '--turns', '20', '--no-jsonl', '--checkpoint', checkpoint]).status,
    ).toBe(0);
    const other = cli([
      '--scenario',
      'classic',
      '--seed',
      '3',
      '--turns',
      '5',
      '--no-jsonl',
      '--checkpoint',
      checkpoint,
    ]);
    expect(other.status, other.stderr).toBe(0);
    expect(other.stderr).toContain(
      `tradesim: --checkpoint ${checkpoint} holds another run's checkpoint (crisis, seed 7, turn 20): this run's first save replaces it`,
    );
    const resumed = cli(['--resume', checkpoint, '--turns', '5', '--no-jsonl', '--checkpoint', checkpoint]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toContain('holds another run');
  });

  it('resumed from a checkpoint newer than its JSONL file, says which turns the file lost', () => {
    const dir = tempDir();
    const [log, checkpoint] = [join(dir, 'm.jsonl'), join(dir, 'c.ckpt')];
    expect(cli(['--seed', '3', '--turns', '120', '--jsonl', log, '--checkpoint', checkpoint]).status).toBe(0);
    // The run's lines of turns 51-120 never reached the disk before it died.
    const lines = readFileSync(log, 'utf8').split('\n');
    writeFileSync(log, `${lines.slice(0, 50).join('\n')}\n`);
    const resumed = cli(['--resume', checkpoint, '--turns', '5', '--jsonl', log]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `JSONL ${log} ends at turn 50 of this run, before the checkpoint of turn 120: its lines after turn 50, up to the checkpoint's, are not in it`,
    );
    expect(turnsIn(log)).toEqual([...Array.from({ length: 50 }, (_, i) => i + 1), 121, 122, 123, 124, 125]);
    // A file written a line every 100 turns, whose run died at turn 150 after its checkpoint:
    // turn 100's line is its last, and nothing is missing, whatever the resumed run's cycle.
    const [sparse, sparseCheckpoint] = [join(dir, 's.jsonl'), join(dir, 's.ckpt')];
    const at150 = ['--seed', '3', '--turns', '150', '--checkpoint', sparseCheckpoint, '--no-events'];
    expect(cli([...at150, '--jsonl', sparse, '--jsonl-every', '100']).status).toBe(0);
    expect(turnsIn(sparse)).toEqual([100, 150]);
    writeFileSync(sparse, `${readFileSync(sparse, 'utf8').split('\n')[0]}\n`);
    const quiet = cli(['--resume', sparseCheckpoint, '--turns', '5', '--jsonl', sparse, '--no-events']);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('are not in it');
  });

  it('resumed from a checkpoint older than its files, writes none of the turns they hold again, and says so', () => {
    const dir = tempDir();
    const [log, events, checkpoint] = [join(dir, 'm.jsonl'), join(dir, 'e.jsonl'), join(dir, 'c.ckpt')];
    const files = ['--jsonl', log, '--events', events];
    // Seed 2: its event log has a line at turn 300, the last turn the dead run wrote.
    expect(cli(['--seed', '2', '--turns', '200', ...files, '--checkpoint', checkpoint]).status).toBe(0);
    // The run goes on to turn 300 and dies there: its last checkpoint is still turn 200's.
    const on = cli(['--resume', checkpoint, '--turns', '100', ...files]);
    expect(on.status, on.stderr).toBe(0);
    expect(on.stderr).not.toContain('holds turns');
    const again = cli(['--resume', checkpoint, '--turns', '150', ...files]);
    expect(again.status, again.stderr).toBe(0);
    const held = 'holds turns 201-300 of this run already (written after the checkpoint of turn 200)';
    expect(again.stderr).toContain(`JSONL ${log} ${held}`);
    expect(again.stderr).toContain(`event log ${events} ${held}`);
    expect(turnsIn(log)).toEqual(Array.from({ length: 350 }, (_, i) => i + 1));
    // The same lines as one run of 350 turns: business fields, and every event line once.
    const [straightLog, straightEvents] = [join(dir, 'straight.jsonl'), join(dir, 'straight-events.jsonl')];
    expect(cli(['--seed', '2', '--turns', '350', '--jsonl', straightLog, '--events', straightEvents]).status).toBe(0);
    const business = (path: string) =>
      parseJsonl<{ turn: number; business: unknown }>(readFileSync(path, 'utf8')).lines.map((l) =>
        JSON.stringify([l.turn, l.business]),
      );
    expect(business(log)).toEqual(business(straightLog));
    const eventLines = (path: string) =>
      parseJsonl<{ run: string }>(readFileSync(path, 'utf8')).lines.map(({ run: _run, ...line }) =>
        JSON.stringify(line),
      );
    const straight = eventLines(straightEvents);
    expect(straight.filter((line) => line.includes('"turn":300,')).length).toBeGreaterThan(0);
    expect(eventLines(events)).toEqual(straight);
    // A resumed run that ends on the last turn the file holds writes nothing, not that turn again.
    const onTail = cli(['--resume', checkpoint, '--turns', '150', ...files]);
    expect(onTail.status, onTail.stderr).toBe(0);
    expect(turnsIn(log)).toEqual(Array.from({ length: 350 }, (_, i) => i + 1));
    expect(eventLines(events)).toEqual(straight);
  });
});

describe('crafted checkpoint payloads with a correct checksum: exit 2, one line, no stack', () => {
  const dir = tempDir();
  const base = join(dir, 'base.ckpt');
  const crafted = (name: string, change: (c: Record<string, unknown>) => unknown): string => {
    if (!existsSync(base)) {
      const r = cli(['--scenario', 'crisis', '--seed', '7', '--turns', '80', '--no-jsonl', '--checkpoint', base]);
      expect(r.status, r.stderr).toBe(0);
    }
    const checkpoint = readCheckpoint(base) as unknown as Record<string, unknown>;
    const changed = (change(checkpoint) ?? checkpoint) as Checkpoint;
    const path = join(dir, `${name}.ckpt`);
    writeCheckpoint(path, changed);
    return path;
  };
  const world = (c: Record<string, unknown>) => (c.simulation as { world: Record<string, unknown> }).world;
  it.each<[string, (c: Record<string, unknown>) => unknown, string]>([
    ['an empty loop state', (c) => void (c.loop = {}), 'loop.services: expected an object'],
    ['no world', (c) => void (c.simulation = { rng: (c.simulation as { rng: unknown }).rng }), 'no world'],
    [
      '10^6 recent alert events',
      (c) => {
        const loop = c.loop as { recentAlertEvents: unknown[] };
        const event = { rule: 'x', severity: 'info', from: 'pending', to: 'firing', turn: 1, value: 0, threshold: 0 };
        loop.recentAlertEvents = Array.from({ length: 1_000_000 }, () => event);
      },
      '1000000 events, at most 100 are kept',
    ],
    [
      'a NaN budget',
      (c) => void ((world(c).budgetCents as Float64Array)[1] = NaN),
      'world.budgetCents[1]: expected a finite number',
    ],
    [
      'a typed array of the wrong length',
      (c) => void (world(c).price = new Float64Array(3)),
      'world.price: length 3, expected 40 (products)',
    ],
    ['turn 1e300', (c) => void ((c.turn = 1e300), (world(c).turn = 1e300)), 'corrupt header'],
    [
      'a live-shock record that is not one',
      (c) => void ((c.loop as Record<string, unknown>).liveShocks = [{ bogus: true }]),
      "loop.liveShocks[0]: expected a shock's start or stop",
    ],
    [
      'a live shock at place 10^9 of the timeline',
      (c) => void ((c.loop as Record<string, unknown>).liveShocks = [{ turn: 1, action: 'stop', index: 1e9 }]),
      'loop.liveShocks[0]',
    ],
    ["a world's turn that is not the checkpoint's", (c) => void (world(c).turn = 1e300), "the world's turn is not"],
    [
      'a negative stock',
      (c) => void ((world(c).offerStock as Float64Array)[0] = -1),
      'world.offerStock[0]: not a count of units (-1)',
    ],
    [
      'an offer of a product that is not there',
      (c) => void ((world(c).offerProduct as Int32Array)[0] = 500),
      'is outside',
    ],
    [
      'a rule state that is not one',
      (c) => void ((c.loop as { alerts: Record<string, unknown> }).alerts.BudgetCollapse = { state: 'gone' }),
      'loop.alerts.BudgetCollapse: expected a rule state',
    ],
    [
      'a firing rule with no turn it fired at',
      (c) =>
        void ((c.loop as { alerts: Record<string, unknown> }).alerts.budget_critical = {
          state: 'firing',
          held: 0,
          cleared: 0,
          activeSince: 5,
          firingSince: null,
        }),
      'loop.alerts.budget_critical: expected a rule state',
    ],
    // Past the checksum, a record the engine would index by crashed the run (a stack, exit 1).
    [
      'a product whose type index names no type',
      (c) => void ((world(c).products as { typeIndex: number }[])[0]!.typeIndex = 99),
      'world.products[0]: type',
    ],
  ])('%s', (name, change, message) => {
    const path = crafted(name.replace(/\W+/g, '-'), change);
    expectRefused(cli(['--resume', path, '--turns', '3', '--no-jsonl']), message);
  });

  it('a payload that is not an object, under a header that matches it', () => {
    const path = join(dir, 'number.ckpt');
    const payload = serialize(42);
    const header = { version: 1, scenario: 's', seed: 1, runId: 'r', turn: 1, payloadBytes: payload.length };
    const sha256 = createHash('sha256').update(payload).digest('hex');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from(`TRADESIM-CHECKPOINT 1\n${JSON.stringify({ ...header, sha256 })}\n`), payload]),
    );
    expectRefused(cli(['--resume', path, '--turns', '3', '--no-jsonl']), 'corrupt (the state is not an object)');
  });

  it('a header line `null`', () => {
    const path = join(dir, 'null-header.ckpt');
    writeFileSync(path, 'TRADESIM-CHECKPOINT 1\nnull\n');
    expectRefused(cli(['--resume', path, '--turns', '3', '--no-jsonl']), `checkpoint ${path}: corrupt header`);
  });
});

describe('inputs bounded', () => {
  it('a scenario whose lead-time pipeline is too large is refused in one line', () => {
    const path = join(tempDir(), 'pipeline.json');
    writeFileSync(
      path,
      JSON.stringify({
        suppliers: { count: 10_000, productsMin: 1, productsMax: 1_000, leadTurns: 1_000 },
        products: { count: 1_000 },
      }),
    );
    expectRefused(
      cli(['--scenario', path, '--turns', '1', '--no-jsonl']),
      'suppliers.leadTurns: offers (suppliers.count x suppliers.productsMax + products.count) x suppliers.leadTurns',
    );
  });

  it('alert rules are bounded (64 of a file), so a JSONL line with every rule active stays under 20 KB', () => {
    const dir = tempDir();
    const rules = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `r${i}_`.padEnd(64, 'x'),
        figure: 'budget.total',
        op: '>',
        threshold: -1e300,
      }));
    writeFileSync(join(dir, 'many.json'), JSON.stringify({ alerts: { rules: rules(65) } }));
    expectRefused(
      cli(['--scenario', join(dir, 'many.json'), '--turns', '1', '--no-jsonl']),
      'alerts.rules: must have at most 64 items',
    );
    writeFileSync(join(dir, 'most.json'), JSON.stringify({ alerts: { rules: rules(64) } }));
    const path = join(dir, 'm.jsonl');
    expect(
      cli(['--scenario', join(dir, 'most.json'), '--seed', '7', '--turns', '5', '--no-events', '--jsonl', path]).status,
    ).toBe(0);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect((JSON.parse(line) as { alerts: unknown[] }).alerts.length).toBeGreaterThanOrEqual(64);
      expect(Buffer.byteLength(line)).toBeLessThan(20 * 1024);
    }
  });

  it("control characters in a scenario's name reach the terminal escaped", () => {
    const path = join(tempDir(), 'named.json');
    writeFileSync(path, JSON.stringify({ name: 'evil\u001b]0;pwned\u0007\u001b[2Jname' }));
    const r = spawnSync(process.execPath, [...CLI, '--scenario', path, '--turns', '1', '--no-server', '--no-jsonl'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('scenario evil\\u001b]0;pwned\\u0007\\u001b[2Jname,');
    expect(r.stderr).not.toContain('\u001b');
  });

  it('too few file descriptors for the modules loaded on demand: one line, never a stack (the built command)', () => {
    const jsonl = join(tempDir(), 'm.jsonl');
    for (const limit of [20, 22, 26]) {
      const r = spawnSync(
        'sh',
        [
          '-c',
          `ulimit -n ${limit} && exec "$0" ${CLI[0]} --seed 1 --turns 50 --interval 0 --port 0 --jsonl "$1"`,
          process.execPath,
          jsonl,
        ],
        { encoding: 'utf8', env: { ...process.env, TRADESIM_HOST: '127.0.0.1' }, cwd: process.cwd() },
      );
      expect(r.stderr, `ulimit -n ${limit}`).not.toMatch(/\n\s+at /);
      if (r.status === 2) expect(r.stderr).toMatch(/^tradesim: cannot load the CLI: EMFILE|too many open files/);
      else {
        expect(r.stderr).toContain('stopped after turn 50');
        // A file the limit kept the run from writing is said, and the batch run exits 3.
        if (r.status === 3) {
          expect(r.stderr).toMatch(/lines not written: EMFILE/);
          expect(r.stderr).toMatch(/^tradesim: output lost: .+ \(exit 3\)$/m);
        } else expect(r.status, r.stderr).toBe(0);
      }
    }
  });

  it('a torn tail over 1 MiB is cut wholly before a run appends', () => {
    const path = join(tempDir(), 'm.jsonl');
    expect(cli(['--seed', '5', '--turns', '3', '--jsonl', path]).status).toBe(0);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"v":1,"run":"torn","pad":"${'x'.repeat(1_500_000)}`);
    expect(cli(['--seed', '5', '--turns', '2', '--jsonl', path, '--jsonl-append']).status).toBe(0);
    const { lines, tornTail } = parseJsonl<{ turn: number }>(readFileSync(path, 'utf8'));
    expect(lines.map((l) => l.turn)).toEqual([1, 2, 3, 1, 2]);
    expect(tornTail).toBe(false);
  });

  it('--jsonl-keep is bounded at 100, and 100 files kept with a 1-byte limit keep every line', () => {
    expectRefused(cli(['--turns', '3', '--jsonl-keep', '1000']), '--jsonl-keep');
    const dir = tempDir();
    const path = join(dir, 'r.jsonl');
    const r = cli([
      '--seed',
      '6',
      '--turns',
      '300',
      '--no-events',
      '--jsonl',
      path,
      '--jsonl-keep',
      '100',
      '--jsonl-max-bytes',
      '1',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(dir).filter((f) => f.startsWith('r.jsonl'));
    expect(files).toHaveLength(101);
    // One line a file (each line is past the limit): the newest 101 turns, in order.
    const kept = [...Array.from({ length: 100 }, (_, i) => `${path}.${100 - i}`), path].flatMap(turnsIn);
    expect(kept).toEqual(Array.from({ length: 101 }, (_, i) => 200 + i));
  });
});
