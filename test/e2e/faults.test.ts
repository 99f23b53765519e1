/*
 * The real CLI under faults and misuse: failing files, closed terminals, signals, clients
 * that hold sockets, a second run on the same file. Each case runs long enough (seconds) to
 * show what a short run hides, such as a crash from a periodic flush.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonl } from '../../src/monitoring/index.js';
import { CLI, freePort, type Spawned, servingUrl, signal, startCli, waitFor } from './processes.js';

const running: Spawned[] = [];
const cli = (args: string[], env: Record<string, string> = {}) => {
  const spawned = startCli(args, env);
  running.push(spawned);
  return spawned;
};
const tempDir = () => mkdtempSync(join(tmpdir(), 'tradesim-faults-'));
const turnsIn = (path: string) => parseJsonl<{ turn: number }>(readFileSync(path, 'utf8')).lines.map((l) => l.turn);
const healthOf = async (url: string) => {
  const res = await fetch(`${url}/health`);
  return {
    status: res.status,
    body: (await res.json()) as { status: string; turn: number; jsonl: { lastError: string | null } },
  };
};

afterEach(() => {
  for (const s of running.splice(0)) signal(s, 'SIGKILL');
});

/** Processes spawned outside a group of their own, and all their descendants, ended after each test. */
const spawnedDirectly: ChildProcess[] = [];
const descendantsOf = (pid: number): string[] =>
  spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .flatMap((child) => [child, ...descendantsOf(Number(child))]);
afterEach(() => {
  for (const child of spawnedDirectly.splice(0)) {
    for (const pid of descendantsOf(child.pid!)) spawnSync('kill', ['-9', pid]);
    child.kill('SIGKILL');
  }
});

// The four at once, each ending its own run: most of a case is the run's paced turns.
describe.concurrent('a failing JSONL path never ends the run', () => {
  it.for([
    ['a directory', (dir: string) => dir],
    ['a path under a file', (dir: string) => (writeFileSync(join(dir, 'f'), ''), join(dir, 'f', 'm.jsonl'))],
    ['a path under /proc', () => '/proc/nope/m.jsonl'],
    // Root passes permission bits; sysfs refuses a new file to anyone (EACCES).
    ['a path where files cannot be made', () => '/sys/m.jsonl'],
  ] as const)(
    'with %s: runs on for 300 turns (3 s), /health says 503, SIGTERM exits 0',
    async ([, pathIn], { expect, onTestFinished }) => {
      const dir = tempDir();
      const path = pathIn(dir);
      const run = startCli(['--seed', '1', '--interval', '10', '--port', '0', '--jsonl', path]);
      onTestFinished(() => signal(run, 'SIGKILL'));
      const url = await servingUrl(run);
      // 300 paced turns of 10 ms: at least 3 s of the run's periodic flushes, however slow the machine.
      const { status, body } = await waitFor(
        '300 turns',
        async () => {
          const health = await healthOf(url);
          return health.body.turn >= 300 ? health : undefined;
        },
        30_000,
      );
      expect(status).toBe(503);
      expect(body.status).toBe('failing');
      const stoppedAt = Date.now();
      signal(run, 'SIGTERM');
      expect(await run.exited).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(2_500);
      // A directory named as the file is left as it was.
      if (path === dir) expect(statSync(dir).isDirectory()).toBe(true);
    },
  );
});

describe('stop signals', () => {
  it('ends a --turns run within 2 s of its last turn while a client holds an idle socket', async () => {
    const run = cli(['--seed', '3', '--turns', '400', '--interval', '10', '--port', '0', '--no-jsonl']);
    const url = new URL(await servingUrl(run));
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => undefined);
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    // A hundred turns (1 s) before the end: the run must be gone 2 s after its last turn.
    const nearEnd = await waitFor('turn 300', async () => {
      const body = (await (await fetch(`${url.origin}/health`)).json()) as { turn: number };
      return body.turn >= 300 ? Date.now() : undefined;
    });
    expect(await run.exited).toBe(0);
    expect(Date.now() - nearEnd).toBeLessThan(3_500);
    socket.destroy();
  });

  it('a SIGTERM right after start exits 0 with its message and leaves no empty file', async () => {
    const path = join(tempDir(), 'm.jsonl');
    // The gate holds start-up once the stop signals are taken, before the CLI loads, until a
    // stop signal: the signal lands before the run exists, at a point the test sees.
    const run = cli(['--seed', '1', '--interval', '500', '--port', '0', '--jsonl', path], {
      TRADESIM_START_GATE: '1',
    });
    await waitFor('start-up at the gate', () => (run.stderr().includes('start gate') ? true : undefined));
    expect(run.stderr()).not.toContain('serving');
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('SIGTERM: finishing the turn');
    if (existsSync(path)) expect(readFileSync(path, 'utf8').length).toBeGreaterThan(0);
  });

  it.each(['SIGINT', 'SIGHUP'] as const)('%s twice in a row is one stop: exit 0, every line whole', async (name) => {
    const path = join(tempDir(), 'm.jsonl');
    const run = cli(['--seed', '2', '--interval', '5', '--no-server', '--jsonl', path]);
    await waitFor('some lines', () => (existsSync(path) && turnsIn(path).length >= 20 ? true : undefined));
    signal(run, name);
    signal(run, name);
    expect(await run.exited).toBe(0);
    const turns = turnsIn(path);
    expect(turns).toEqual(Array.from({ length: turns.length }, (_, i) => i + 1));
    expect(parseJsonl(readFileSync(path, 'utf8')).tornTail).toBe(false);
  });

  it('SIGINT repeated every millisecond until the process ends is one stop: exit 0, not death by the signal', async () => {
    // Node closes its signal handles as it tears down; a signal after that met the default action.
    const path = join(tempDir(), 'm.jsonl');
    const run = cli(['--seed', '2', '--interval', '5', '--no-server', '--jsonl', path]);
    await waitFor('some lines', () => (existsSync(path) && turnsIn(path).length >= 20 ? true : undefined));
    const repeat = setInterval(() => signal(run, 'SIGINT'), 1);
    const exited = await run.exited.finally(() => clearInterval(repeat));
    expect(exited).toBe(0);
    expect(run.stderr()).toContain('SIGINT: finishing the turn');
    expect(parseJsonl(readFileSync(path, 'utf8')).tornTail).toBe(false);
  });

  it('a run stalled from the start with no server, pushing, waits for a signal, then exits 0 and leaves no lock', async () => {
    // Nothing held the process open: Node ended it at once, exit 13, unflushed, its locks left.
    // (With no server and no push, nothing could see the stall: refused, tested in cli.test.ts.)
    const gateway = createHttpServer((req, res) => req.resume().on('end', () => res.end()));
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const pushTo = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    const dir = tempDir();
    const run = cli(['--no-server', '--pushgateway', pushTo, '--jsonl', join(dir, 'm.jsonl'), '--fault', 'type=stall']);
    await waitFor('the fault', () => (run.stderr().includes('fault on') ? true : undefined));
    const early = await Promise.race([run.exited, new Promise((resolve) => setTimeout(resolve, 1_500, 'alive'))]);
    expect(early).toBe('alive');
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('stopped after turn 0');
    expect(readdirSync(dir).filter((name) => name.endsWith('.lock'))).toEqual([]);
    gateway.close();
  });

  it('exits within 2 s of SIGTERM while a client holds an idle socket', async () => {
    const run = cli(['--seed', '3', '--interval', '20', '--port', '0', '--no-jsonl']);
    const url = new URL(await servingUrl(run));
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => undefined);
    // Half a request, never finished: the connection stays open.
    await new Promise((resolve) => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n', resolve));
    // The server accepts connections in order: once it answers one opened after the socket's,
    // it holds the socket.
    expect((await healthOf(url.origin)).status).toBe(200);
    const stoppedAt = Date.now();
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    socket.destroy();
  });

  it('exits within 2 s of SIGTERM while live pages hold event streams, read or not', async () => {
    const run = cli(['--seed', '3', '--interval', '0', '--port', '0', '--no-jsonl']);
    const url = new URL(await servingUrl(run));
    const sockets = [0, 1, 2].map(() => {
      const socket = connect(Number(url.port), url.hostname);
      socket.on('error', () => undefined);
      socket.write('GET /api/live/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      return socket;
    });
    // One reads its stream; two stop reading after their first bytes, so what follows piles up.
    let received = '';
    sockets[0]!.on('data', (d: Buffer) => (received += d.toString()));
    let stalled = 0;
    for (const socket of sockets.slice(1)) {
      socket.once('data', () => {
        socket.pause();
        stalled += 1;
      });
    }
    await waitFor('every stream under way', () =>
      received.includes('event: turn') && stalled === 2 ? true : undefined,
    );
    const stoppedAt = Date.now();
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    for (const socket of sockets) socket.destroy();
  });
});

describe('a closed or full terminal never ends the run', () => {
  const args = ['--seed', '4', '--turns', '4000', '--interval', '0', '--no-server'];

  it('a stdout closed after its first line (| head -1)', async () => {
    const path = join(tempDir(), 'm.jsonl');
    const child = spawn(process.execPath, [...CLI, ...args, '--jsonl', path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    spawnedDirectly.push(child);
    child.stdout.once('data', () => child.stdout.destroy());
    child.stderr.once('data', () => child.stderr.destroy());
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(turnsIn(path)).toHaveLength(4000);
  });

  it('stdout and stderr on a full device (> /dev/full)', async () => {
    const path = join(tempDir(), 'm.jsonl');
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [...CLI, ...args, '--jsonl', path], {
        stdio: ['ignore', full, full],
      });
      spawnedDirectly.push(child);
      const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code).toBe(0);
    } finally {
      closeSync(full);
    }
    expect(turnsIn(path)).toHaveLength(4000);
  });
});

describe('one file holds one run', () => {
  it('moves an earlier run aside, and appends with --jsonl-append after cutting a torn tail', async () => {
    const dir = tempDir();
    const path = join(dir, 'm.jsonl');
    const first = cli(['--seed', '5', '--turns', '30', '--interval', '0', '--no-server', '--jsonl', path]);
    expect(await first.exited).toBe(0);
    // The end a full disk leaves: a partial line.
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"v":1,"run":"torn`);
    const second = cli(['--seed', '5', '--turns', '10', '--interval', '0', '--no-server', '--jsonl', path]);
    expect(await second.exited).toBe(0);
    expect(turnsIn(path)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(turnsIn(`${path}.1`)).toHaveLength(30);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"v":1,"run":"torn`);
    const appended = cli([
      ...['--seed', '5', '--turns', '5', '--interval', '0', '--no-server'],
      '--jsonl',
      path,
      '--jsonl-append',
    ]);
    expect(await appended.exited).toBe(0);
    const { lines, tornTail } = parseJsonl<{ turn: number }>(readFileSync(path, 'utf8'));
    expect(lines.map((l) => l.turn)).toEqual([...Array.from({ length: 10 }, (_, i) => i + 1), 1, 2, 3, 4, 5]);
    expect(tornTail).toBe(false);
  });

  it('refuses a second live writer with one line and exit 2, naming the file', async () => {
    const path = join(tempDir(), 'm.jsonl');
    const first = cli(['--seed', '6', '--interval', '20', '--no-server', '--jsonl', path]);
    await waitFor('the first run to write', () => (existsSync(path) && turnsIn(path).length > 0 ? true : undefined));
    const second = cli(['--seed', '6', '--interval', '20', '--no-server', '--jsonl', path, '--jsonl-append']);
    expect(await second.exited).toBe(2);
    expect(second.stderr().trim().split('\n')).toHaveLength(1);
    expect(second.stderr()).toContain(`${path} is being written by another run (pid`);
    expect(second.stderr()).toContain('TRADESIM_ERR_CLI_JSONL_IN_USE');
    signal(first, 'SIGTERM');
    expect(await first.exited).toBe(0);
    const turns = turnsIn(path);
    expect(turns).toEqual(Array.from({ length: turns.length }, (_, i) => i + 1));
  });

  it('refuses a second live writer of the event log, and keeps the first one whole', async () => {
    const dir = tempDir();
    const events = join(dir, 'events.jsonl');
    const args = ['--scenario', 'crisis', '--seed', '6', '--interval', '0', '--no-server', '--events', events];
    const first = cli([...args, '--jsonl', join(dir, 'a.jsonl')]);
    await waitFor('the first run to start', () => (existsSync(`${events}.lock`) ? true : undefined));
    const second = cli([...args, '--jsonl', join(dir, 'b.jsonl')]);
    expect(await second.exited).toBe(2);
    expect(second.stderr()).toContain(`${events} is being written by another run (pid`);
    // Past the crisis's recall (turn 400), and for more than a second of writing.
    const since = Date.now();
    await waitFor('the recall in the log', () =>
      Date.now() - since > 1_500 && existsSync(events) && readFileSync(events, 'utf8').includes('"product_recall"')
        ? true
        : undefined,
    );
    signal(first, 'SIGTERM');
    expect(await first.exited).toBe(0);
    const { lines, tornTail } = parseJsonl<{ kind: string; turn: number }>(readFileSync(events, 'utf8'));
    expect(tornTail).toBe(false);
    const turns = lines.map((l) => l.turn);
    expect(turns).toEqual([...turns].sort((x, y) => x - y));
  });

  it.each([2_000, 20_000])('keeps every rotated file within --jsonl-max-bytes %i + 64 KiB, flat out', async (limit) => {
    const dir = tempDir();
    const run = cli([
      ...['--seed', '7', '--turns', '800', '--interval', '0', '--no-server'],
      ...['--jsonl', join(dir, 'r.jsonl'), '--jsonl-max-bytes', String(limit), '--jsonl-keep', '20'],
    ]);
    expect(await run.exited).toBe(0);
    const files = readdirSync(dir).filter((f) => f.startsWith('r.jsonl') && !f.endsWith('.lock'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(limit + 64 * 1024);
    // Rotated files, oldest first, then the current one: the last turns, each once, in order.
    const rotated = files.filter((f) => f !== 'r.jsonl');
    rotated.sort((x, y) => Number(y.split('.').pop()) - Number(x.split('.').pop()));
    const kept = [...rotated, 'r.jsonl'].flatMap((f) => turnsIn(join(dir, f)));
    expect(kept.at(-1)).toBe(800);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => kept[0]! + i));
  });

  it('notices its file deleted during a run and writes a new one, /health ok', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'logs'));
    const path = join(dir, 'logs', 'm.jsonl');
    const run = cli(['--seed', '8', '--interval', '10', '--port', '0', '--jsonl', path]);
    const url = await servingUrl(run);
    await waitFor('some lines', () => (existsSync(path) && turnsIn(path).length >= 10 ? true : undefined));
    rmSync(path);
    await waitFor('a new file', () => (existsSync(path) && turnsIn(path).length >= 10 ? true : undefined));
    expect((await healthOf(url)).status).toBe(200);
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    const turns = turnsIn(path);
    expect(turns).toEqual(Array.from({ length: turns.length }, (_, i) => turns[0]! + i));
  });
});

/** A paced run with a server writing `path`, once the file holds 10 lines. */
async function runWithLines(path: string) {
  const run = cli(['--seed', '8', '--interval', '5', '--port', '0', '--jsonl', path]);
  const url = await servingUrl(run);
  await waitFor('some lines', () => (existsSync(path) && turnsIn(path).length >= 10 ? true : undefined));
  return { run, url };
}

describe('a FIFO put where the JSONL file was', () => {
  it('is refused as at start: said, /health failing, and a stop still exits at once', async () => {
    // Before, the writer opened it and wrote until the pipe was full: the write never ended and
    // neither did the process after SIGTERM.
    const dir = tempDir();
    const path = join(dir, 'm.jsonl');
    const { run, url } = await runWithLines(path);
    rmSync(path);
    execFileSync('mkfifo', [path]);
    await waitFor('the refusal said', () => (run.stderr().includes('is not a regular file') ? true : undefined));
    const health = await healthOf(url);
    expect(health.status).toBe(503);
    expect(health.body.jsonl.lastError).toBe(`${path} is not a regular file`);
    // The run still plays turns: a later one comes.
    const turn = health.body.turn;
    await waitFor('a later turn', async () => ((await healthOf(url)).body.turn > turn ? true : undefined));
    const stopped = Date.now();
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(5_000);
    expect(statSync(path).isFIFO()).toBe(true);
  });
});

describe('a JSONL file moved away during a run (a log rotator)', () => {
  it('goes on in a new file, says so and counts it: every turn once, in the moved file or the new one', async () => {
    const dir = tempDir();
    const path = join(dir, 'm.jsonl');
    const { run, url } = await runWithLines(path);
    renameSync(path, join(dir, 'moved.jsonl'));
    await waitFor('a new file', () => (existsSync(path) && turnsIn(path).length >= 10 ? true : undefined));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^tradesim_jsonl_reopens_total 1$/m);
    expect(metrics).toMatch(/^tradesim_jsonl_rotations_total 0$/m);
    expect(run.stderr()).toContain(`tradesim: JSONL ${path}: the file was moved away: a new one opened at its path\n`);
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    // Before, the lines written since the last check (every 250 ms) were copied over as well.
    const turns = [...turnsIn(join(dir, 'moved.jsonl')), ...turnsIn(path)];
    expect(turns).toEqual(Array.from({ length: turns.length }, (_, i) => i + 1));
  });
});

// The compiled `tradesim` command in dist/ (what `npm install` builds): test/build-dist.ts
// builds it before the tests.
describe('a real command', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  // npm relays SIGINT and SIGTERM to the script; process managers start `tradesim` itself.
  it.each([
    ['npm run simulate', 'SIGTERM', 'npm', ['run', '-s', 'simulate', '--']],
    ['npm run simulate', 'SIGINT', 'npm', ['run', '-s', 'simulate', '--']],
    ['the compiled tradesim', 'SIGTERM', process.execPath, CLI],
    ['the compiled tradesim', 'SIGHUP', process.execPath, CLI],
  ] as const)(
    '%s: %s to the process started exits 0, flushed, with no process left',
    async (_what, name, command, base) => {
      const path = join(tempDir(), 'm.jsonl');
      // Not in a group of its own: the signal goes to the one process, as a process manager sends it.
      const child = spawn(command, [...base, '--interval', '10', '--no-server', '--quiet', '--jsonl', path], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      spawnedDirectly.push(child);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await waitFor('some lines', () => (existsSync(path) && turnsIn(path).length >= 20 ? true : undefined));
      const children = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      child.kill(name);
      expect(await exited).toBe(0);
      await waitFor('every child gone', () =>
        children.every((pid) => pid === '' || !alive(Number(pid))) ? true : undefined,
      );
      const { lines, tornTail } = parseJsonl<{ turn: number }>(readFileSync(path, 'utf8'));
      expect(tornTail).toBe(false);
      expect(lines.map((l) => l.turn)).toEqual(Array.from({ length: lines.length }, (_, i) => i + 1));
      expect(existsSync(`${path}.lock`)).toBe(false);
    },
  );
});

describe('npm run monitoring', () => {
  it('scrapes the target it is given and itself, and stops its Prometheus when npm gets SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(
      'npm',
      [
        ...['run', '-s', 'monitoring', '--', '--listen', `127.0.0.1:${port}`, '--target', '127.0.0.1:18099'],
        // Prometheus alone (the whole stack: monitoring-stack.test.ts).
        ...['--no-alertmanager', '--no-pushgateway'],
      ],
      {
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    spawnedDirectly.push(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(
      'Prometheus ready',
      async () => ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok ? true : undefined),
      30_000,
    );
    const instances = await waitFor('the target discovered', async () => {
      const body = (await (await fetch(`http://127.0.0.1:${port}/api/v1/targets`)).json()) as {
        data: { activeTargets: { labels: { instance: string } }[] };
      };
      const found = body.data.activeTargets.map((t) => t.labels.instance);
      return found.length >= 2 ? found : undefined;
    });
    // The target given, and Prometheus itself at the address it listens on.
    expect([...instances].sort()).toEqual(['127.0.0.1:18099', `127.0.0.1:${port}`].sort());
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor('the port free', async () => {
      try {
        await fetch(`http://127.0.0.1:${port}/-/ready`);
        return undefined;
      } catch {
        return true;
      }
    });
  });
});

describe('bad input is refused in one line, exit 2, before anything runs', () => {
  const refused = async (args: string[], pattern: RegExp) => {
    const jsonl = join(tempDir(), 'm.jsonl');
    const run = cli([...args, '--jsonl', jsonl]);
    expect(await run.exited).toBe(2);
    const lines = run.stderr().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(existsSync(jsonl)).toBe(false);
  };
  const fileWith = (text: string) => {
    const path = join(tempDir(), 's.json');
    writeFileSync(path, text);
    return path;
  };

  it.each([
    [{ companies: { count: 1e9 } }, /companies\.count: must be <= 1000000/],
    [{ companies: { count: 1_000_000 }, products: { count: 1_000 } }, /the world's size/],
    [{ services: { cacheSize: 2e8 } }, /services\.cacheSize: must be <= 100000/],
    [{ name: 'x'.repeat(200_000) }, /name: must be at most 100 characters/],
    [{ companies: { budgetMin: 1e300, budgetMax: 1e300 } }, /companies\.budgetMin: must be <= 1000000000/],
    [{ companies: [] }, /companies: must be an object/],
    [{ events: [] }, /events: must be an object/],
    [{ alerts: { rules: { name: 'x' } } }, /alerts\.rules: must be an array/],
    [
      { alerts: { rules: [{ name: 'r', figure: 'budget.total', threshold: 1 }] } },
      /alerts\.rules\.0\.op: is required \(/,
    ],
    [{ alerts: { rules: [{ name: 'Bad Name', figure: 'budget.total', op: '<', threshold: 1 }] } }, /name: must match/],
  ])('a scenario %j', async (content, pattern) => {
    await refused(['--scenario', fileWith(JSON.stringify(content))], pattern);
  });

  it('a file nested 5,000 levels deep', async () => {
    await refused(
      ['--scenario', fileWith(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`)],
      /nested more than 16 levels/,
    );
  });

  it.each([
    ['/dev/zero', /not a regular file/],
    ['a FIFO', /not a regular file/],
    ['a 2 MiB file', /larger than 1048576 bytes/],
  ])('%s as the scenario', async (what, pattern) => {
    let path = what;
    if (what === 'a FIFO') {
      path = join(tempDir(), 'fifo.json');
      execFileSync('mkfifo', [path]);
    } else if (what === 'a 2 MiB file') {
      path = fileWith(`{"description":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    }
    await refused(['--scenario', path], pattern);
  });

  it('--seed -1 names the flag and the range', async () => {
    await refused(['--seed', '-1'], /--seed: must be an integer from 0 to 9007199254740991, got '-1'/);
  });

  it('accepts a file that starts with a byte order mark', async () => {
    const run = cli([
      '--scenario',
      fileWith('\uFEFF{"companies":{"count":3}}'),
      '--turns',
      '2',
      '--no-server',
      '--no-jsonl',
    ]);
    expect(await run.exited).toBe(0);
  });
});

describe('misbehaving HTTP clients, against the real CLI', () => {
  it('bad bodies, methods and URLs for 3 s: 4xx answers, a quiet log, the run goes on', async () => {
    const run = cli(['--seed', '9', '--interval', '10', '--port', '0', '--no-jsonl']);
    const url = await servingUrl(run);
    const statuses = new Map<number, number>();
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      // The server answers a 2 MB body with 413 and closes while the client still sends: the
      // client may see the connection reset instead.
      const answers = await Promise.all(
        [
          fetch(`${url}/health`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{bad' }),
          fetch(`${url}/health`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: `"${'x'.repeat(2_000_000)}"`,
          }),
          fetch(`${url}/%zz`),
          fetch(`${url}/api/history?figure=budget.total&window=0x10`),
          fetch(`${url}/metrics`, {
            headers: { accept: 'text/plain;q=1, application/openmetrics-text;q=0', 'accept-encoding': 'gzip;q=0' },
          }),
        ].map((sent) => sent.catch(() => undefined)),
      );
      for (const res of answers) {
        if (!res) continue;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) expect(res.headers.get('content-type')).toContain('text/plain');
        if (res.status === 200) expect(res.headers.get('content-encoding')).toBeNull();
        await res.arrayBuffer();
      }
    }
    expect([...statuses.keys()].every((status) => [200, 400, 413].includes(status))).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(10);
    // Logged at most once a minute per kind: a few lines, not one per request.
    expect(run.stderr().length).toBeLessThan(2_000);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
  });
});

describe('the terminal', () => {
  it('says which address is bound and warns when it is not loopback; Fastify prints no raw JSON', async () => {
    const run = cli(['--seed', '1', '--interval', '50', '--host', '0.0.0.0', '--port', '0', '--no-jsonl']);
    const url = await servingUrl(run);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(run.stderr()).toContain('warning: listening on 0.0.0.0: the endpoints are reachable from the network');
    const port = new URL(url).port;
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).not.toContain('{"level"');
  });

  it('--quiet prints no banner and no status line', async () => {
    const run = cli(['--seed', '1', '--turns', '20', '--interval', '0', '--no-server', '--no-jsonl', '--quiet']);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).not.toContain('scenario default');
  });
});

describe('--linger', () => {
  it('keeps serving the finished state after --turns, until the time is up or a stop signal', async () => {
    const run = cli(['--seed', '2', '--turns', '30', '--interval', '0', '--port', '0', '--no-jsonl', '--linger', '30']);
    const url = await servingUrl(run);
    const health = await waitFor('the finished state', async () => {
      const body = (await (await fetch(`${url}/health`)).json()) as { status: string; turn: number };
      return body.status === 'finished' ? body : undefined;
    });
    expect(health.turn).toBe(30);
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^tradesim_turns_total 30$/m);
    const stoppedAt = Date.now();
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
  });
});
