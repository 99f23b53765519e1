/**
 * HTTP and pipeline benchmark: npm run bench:http [-- --quick]
 *
 * 1. The whole pipeline as the CLI runs it (services, exporter, JSONL), flat out, no HTTP
 *    load: default for 50,000 turns and large for 2,000, each with and without JSONL, runs
 *    alternating, median of 3 (turns/s and JSONL's share of turn time); RSS every 1,000
 *    turns from turn 1,000 to 50,000 of the first default run with JSONL, and from turn
 *    5,000 (after V8's compiler has taken its memory) to the end. Then whether a run
 *    slows as it goes on: a default run aged 50,000 turns and a fresh one, with JSONL,
 *    taking turns in one process (see slowdownCheck).
 * 2. HTTP while each preset (large, stress, default) runs flat out with JSONL: /health and
 *    /metrics with one connection flat out (as Prometheus and a prober ask), then each under
 *    a flood of 32 connections, p50/p99 from autocannon in a child process; the turns/s
 *    during each load against the same run's turns/s with none, and the flood's /health
 *    requests/s against a bare Fastify route's in this process under the same flood (same
 *    connections and seconds), measured right before it with the run paused, so each flood
 *    has its own reference from the same minute (`--http-only` runs this part alone). With each window, how long the event loop was
 *    held (loop-probe.mjs): its delay's p99 and longest, and the longest GC pause, in ms.
 *    `--build DIR` (repeatable) loads a built `tradesim` command of DIR (dist/cli, or an older
 *    build) spawned with the probe preloaded, instead of this checkout's run in this process:
 *    with two builds each preset's table alternates between them, twice, for an A/B.
 *    `--preset NAME` (repeatable) loads only these presets (default: large, stress, default).
 * 3. The live page (page-load.ts): large flat out with and without the page open in
 *    Chromium, and with 50 event streams that are never read.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { parseCliArgs } from '../src/cli/args.js';
import { limitHeapGrowth } from '../src/cli/heap.js';
import { startRun } from '../src/cli/run.js';
import { parseScriptArgs } from '../scripts/script-args.js';
import { inProcessRun, spawnedRun } from './http-runs.js';
import type { LoopFigures } from './loop-probe.mjs';
import { machine } from './machine.js';
import { pageBench } from './page-load.js';

const {
  quick = false,
  'http-only': httpOnly = false,
  build: builds = [],
  preset: presets = ['large', 'stress', 'default'],
} = parseScriptArgs('bench:http', import.meta.url, {
  options: {
    quick: { type: 'boolean' },
    'http-only': { type: 'boolean' },
    build: { type: 'string', multiple: true },
    preset: { type: 'string', multiple: true },
  },
}).values;
// As the CLI does (src/cli/main.ts), so the pipeline's memory is measured as users run it.
limitHeapGrowth();
const seconds = quick ? 3 : 10;
const silent = { stdout: { write: () => true }, stderr: { write: () => true } };
const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-'));
const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

async function pipeline(scenario: string, turns: number, jsonl: boolean) {
  const args = [
    '--scenario',
    scenario,
    '--seed',
    '1',
    '--turns',
    String(turns),
    '--interval',
    '0',
    '--no-server',
    '--quiet',
  ];
  const options = parseCliArgs([...args, ...(jsonl ? ['--jsonl', join(dir, `${scenario}.jsonl`)] : ['--no-jsonl'])]);
  const run = await startRun(options, silent);
  const from = Math.floor(turns / 10);
  let fromAt = 0n;
  let toAt = 0n;

  // Time the loop spent making and queueing JSONL lines over the same turns.
  let busyFrom = 0;
  let busyTo = 0;
  // RSS every 1,000 turns from turn 1,000 on: the lowest and highest seen, and at the end.
  let rss1k = 0;
  let rss5k = 0;
  let rssLow = Number.POSITIVE_INFINITY;
  let rssHigh = 0;
  let rssEnd = 0;
  run.loop.subscribe((s) => {
    if (s.turn === from) {
      fromAt = process.hrtime.bigint();
      busyFrom = run.jsonl()?.busySeconds ?? 0;
    }
    if (s.turn === turns) {
      toAt = process.hrtime.bigint();
      // The run's JSONL subscriber came first: both figures include their own turn's line.
      busyTo = run.jsonl()?.busySeconds ?? 0;
    }
    if (s.turn >= 1_000 && s.turn % 1_000 === 0) {
      const rss = process.memoryUsage().rss;
      if (s.turn === 1_000) rss1k = rss;
      if (s.turn === 5_000) rss5k = rss;
      rssLow = Math.min(rssLow, rss);
      rssHigh = Math.max(rssHigh, rss);
      rssEnd = rss;
    }
  });
  await run.finished;
  const elapsed = Number(toAt - fromAt) / 1e9;
  return {
    turnsPerSecond: (turns - from) / elapsed,
    jsonlShare: (busyTo - busyFrom) / elapsed,
    rss1k,
    rss5k,
    rssLow,
    rssHigh,
    rssEnd,
  };
}

/** Median turns/s with and without JSONL, runs alternating so the machine's drift hits both alike. */
async function jsonlPair(scenario: string, turns: number, runs: number) {
  const withRates: number[] = [];
  const withoutRates: number[] = [];
  const shares: number[] = [];
  let first: Awaited<ReturnType<typeof pipeline>> | undefined;
  for (let i = 0; i < runs; i++) {
    const withJsonl = await pipeline(scenario, turns, true);
    first ??= withJsonl;
    withRates.push(withJsonl.turnsPerSecond);
    shares.push(withJsonl.jsonlShare);
    withoutRates.push((await pipeline(scenario, turns, false)).turnsPerSecond);
  }
  return {
    with: median(withRates),
    without: median(withoutRates),
    share: median(shares),
    spread: `with ${range(withRates)}, without ${range(withoutRates)}`,
    first: first!,
  };
}

/**
 * Whether a run slows as it goes on, with the machine's drift taken out: a run aged `aged`
 * turns and a fresh run of the same scenario and seed, in one process, take turns running
 * `window` turns each (the other paused), `rounds` times; equal rates mean no slowdown.
 */
async function slowdownCheck(aged: number, window: number, rounds: number) {
  const start = (name: string) =>
    startRun(
      parseCliArgs([
        '--scenario',
        'default',
        '--seed',
        '1',
        '--interval',
        '0',
        '--no-server',
        '--quiet',
        '--jsonl',
        join(dir, name),
      ]),
      silent,
    );
  /** Lets `run` play until turn `until`, pauses it there, and gives the turns/s since `from` (a resume). */
  const playUntil = (run: Awaited<ReturnType<typeof start>>, until: number) =>
    new Promise<number>((resolve) => {
      const from = run.loop.latest()?.turn ?? 0;
      const began = process.hrtime.bigint();
      const unsubscribe = run.loop.subscribe((s) => {
        if (s.turn < until) return;
        run.loop.pause();
        unsubscribe();
        resolve((s.turn - from) / (Number(process.hrtime.bigint() - began) / 1e9));
      });
      run.loop.resume();
    });
  const old = await start('aged.jsonl');
  await playUntil(old, aged);
  const fresh = await start('fresh.jsonl');
  // Past the fresh run's first turns (warm-up, its history filling up).
  await playUntil(fresh, 1_000);
  const oldRates: number[] = [];
  const freshRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    oldRates.push(await playUntil(old, old.loop.latest()!.turn + window));
    freshRates.push(await playUntil(fresh, fresh.loop.latest()!.turn + window));
  }
  await Promise.all([old.stop(), fresh.stop()]);
  const total = (rates: number[]) => (rates.length * window) / rates.reduce((t, v) => t + window / v, 0);
  return { aged, window, oldRates, freshRates, oldTotal: total(oldRates), freshTotal: total(freshRates) };
}

const range = (values: number[]) => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** What autocannon measured of one route: requests/s, latency percentiles (ms) and errors. */
interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/** Loads a URL from a child process (async: this process must keep serving meanwhile). */
async function autocannon(url: string, connections = 10): Promise<Load> {
  const args = [autocannonBin, '-j', '-c', String(connections), '-d', String(seconds), url];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    encoding: 'utf8',
  });
  const r = JSON.parse(stdout);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// The reference of every flood: a bare Fastify route in this process.
const bareServer = Fastify();
bareServer.get('/hello', async () => ({ hello: 'world' }));
const bareUrl = await bareServer.listen({ host: '127.0.0.1', port: 0 });

/**
 * One preset's HTTP figures while it runs flat out with JSONL (see the header, part 2), in
 * this process or as a spawned build (`build`).
 */
async function httpPreset(scenario: string, build?: string): Promise<string[]> {
  // A build elsewhere finds the presets by its own path: give it this checkout's file.
  const preset = build === undefined ? scenario : join(process.cwd(), 'scenarios', `${scenario}.json`);
  const args = ['--scenario', preset, '--seed', '1', '--interval', '0', '--port', '0'];
  const jsonl = join(dir, `http-${scenario}.jsonl`);
  // A spawned build appends to nothing of an earlier run's: each run its own files.
  rmSync(jsonl, { force: true });
  rmSync(join(dir, `http-${scenario}.events.jsonl`), { force: true });
  args.push('--jsonl', jsonl);
  const run = build === undefined ? await inProcessRun(args) : await spawnedRun(build, args);
  /** The run's turns/s while `during` settles, and how long its loop was held meanwhile. */
  const rate = async <T>(during: () => Promise<T>): Promise<[T, number, LoopFigures]> => {
    const from = await run.turn();
    await run.loopFigures();
    const began = performance.now();
    const result = await during();
    const turns = ((await run.turn()) - from) * 1000;
    const elapsed = performance.now() - began;
    return [result, turns / elapsed, await run.loopFigures()];
  };
  // Past the first turns (V8's compiler, the histories filling up).
  await sleep(quick ? 2_000 : 5_000);
  const [, idle, idleLoop] = await rate(() => sleep(seconds * 1000));
  const rows: [string, Load, number, LoopFigures][] = [];
  let bareLoad: Load | undefined;
  for (const connections of [1, 32]) {
    for (const route of ['/health', '/metrics']) {
      if (connections === 32 && route === '/health') {
        // The reference, right before the flood it is compared with: the run paused (loaded,
        // its server idle), the same flood on a bare route of this process.
        await run.pause();
        bareLoad = await autocannon(`${bareUrl}/hello`, 32);
        await run.resume();
      }
      const [load, turns, loop] = await rate(() => autocannon(`${run.url}${route}`, connections));
      rows.push([`${route}, ${connections === 1 ? '1 connection' : `${connections} connections`}`, load, turns, loop]);
    }
  }
  const played = await run.turn();
  await run.stop();
  const fmt = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
  const blocks = (l: LoopFigures) =>
    `${fmt(l.delayP99).padStart(6)} ${fmt(l.delayMax).padStart(6)} ${fmt(l.gcMax).padStart(6)}`;
  const lines = [
    `http while ${scenario} runs flat out with JSONL${build === undefined ? '' : ` (${build})`} (${played} turns played): ` +
      `${fmt(idle)} turns/s with no load; autocannon -d ${seconds}`,
    'route                      req/s   p50 ms   p99 ms  errors  turns/s (vs no load)   loop delay p99, max; longest GC, ms',
    `${'no load'.padEnd(25)} ${''.padStart(7)}  ${''.padStart(7)}  ${''.padStart(7)}  ${''.padStart(6)}  ${''.padEnd(20)} ${blocks(idleLoop)}`,
  ];
  for (const [name, r, turns, loop] of rows) {
    const share = `${fmt(turns)} (${((turns / idle) * 100).toFixed(0)} %)`;
    lines.push(
      `${name.padEnd(25)} ${r.rps.toFixed(0).padStart(7)}  ${fmt(r.p50).padStart(7)}  ${fmt(r.p99).padStart(7)}  ${String(r.errors).padStart(6)}  ${share.padEnd(20)} ${blocks(loop)}`,
    );
  }
  const flood = rows.find(([name]) => name === '/health, 32 connections')![1];
  const bare = bareLoad!;
  lines.push(
    `/health under the flood vs a bare Fastify route (32 connections, just before, the run paused: ` +
      `${bare.rps.toFixed(0)} req/s, p99 ${fmt(bare.p99)} ms): ${((flood.rps / bare.rps) * 100).toFixed(0)} % of the requests/s`,
  );
  return lines;
}

/**
 * JSONL's share of turn time, two ways: measured in the loop (time making and queueing
 * lines over wall time, same turns: the writer's busySeconds), and as the turns/s the runs
 * without JSONL gain (1 - time per turn without / time per turn with), which also catches
 * the writes' callbacks and garbage but moves with this machine's noise.
 */
const jsonlShares = (p: { with: number; without: number; share: number; spread: string }) =>
  `JSONL ${(p.share * 100).toFixed(1)} % of turn time in the loop, ` +
  `${((1 - p.with / p.without) * 100).toFixed(1)} % from the runs (turns/s ${p.spread})`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
console.log(`http and pipeline benchmark on ${machine()}${quick ? ' (quick)' : ''}`);

if (!httpOnly) {
  const longRun = quick ? 10_000 : 50_000;
  const pct = (v: number, of: number) => `${v >= of ? '+' : ''}${(((v - of) / of) * 100).toFixed(1)} %`;
  const def = await jsonlPair('default', longRun, quick ? 1 : 3);
  const m = def.first;
  console.log(
    `pipeline default: ${def.with.toFixed(0)} turns/s with JSONL, ${def.without.toFixed(0)} without (median of ${quick ? 1 : 3}); ` +
      jsonlShares(def),
  );
  console.log(
    `RSS with JSONL: ${mib(m.rss1k)} at turn 1,000, ${mib(m.rssEnd)} at turn ${longRun.toLocaleString('en')} (${pct(m.rssEnd, m.rss1k)}); ` +
      `lowest ${mib(m.rssLow)} (${pct(m.rssLow, m.rss1k)}), highest ${mib(m.rssHigh)} (${pct(m.rssHigh, m.rss1k)}) in between; ` +
      // V8 takes its memory in the first few thousand turns (the young generation grows, the
      // optimizing compiler runs): from turn 5,000 on, RSS shows the run itself (see the README).
      `from turn 5,000: ${mib(m.rss5k)} to ${mib(m.rssEnd)} (${pct(m.rssEnd, m.rss5k)})`,
  );
  const age = await slowdownCheck(quick ? 10_000 : 50_000, quick ? 1_000 : 5_000, 3);
  console.log(
    `slowdown: default with JSONL, same process, alternating ${age.window.toLocaleString('en')} turns: run aged ${age.aged.toLocaleString('en')} turns ` +
      `${age.oldRates.map((v) => v.toFixed(0)).join(' ')} turns/s, fresh run ${age.freshRates.map((v) => v.toFixed(0)).join(' ')}; ` +
      `aged / fresh ${(age.oldTotal / age.freshTotal).toFixed(2)}`,
  );
  const large = await jsonlPair('large', quick ? 300 : 2_000, quick ? 1 : 3);
  console.log(
    `pipeline large: ${large.with.toFixed(0)} turns/s with JSONL, ${large.without.toFixed(0)} without (median of ${quick ? 1 : 3}); ` +
      jsonlShares(large),
  );
}

for (const scenario of presets) {
  // Builds side by side: each preset's tables alternate between them, twice.
  const rounds = builds.length > 1 ? [...builds, ...builds] : builds.length === 1 ? builds : [undefined];
  for (const build of rounds) for (const line of await httpPreset(scenario, build)) console.log(line);
}
await bareServer.close();
if (!httpOnly) {
  const pageLines = await pageBench(quick ? 3 : 5, quick ? 1 : 11, join(dir, 'page.jsonl'));
  for (const line of pageLines) console.log(line);
}
// The runs' JSONL files: several hundred MB.
rmSync(dir, { recursive: true, force: true });
