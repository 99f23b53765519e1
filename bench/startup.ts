/**
 * Start-up benchmark: npm run bench:startup. Builds the compiled `tradesim` command, then
 * times from spawning it to its first status line (turn 1), median of 10 runs, with and
 * without the HTTP server; then how long a `--turns 1` run with the server and a JSONL file
 * (at the default pace) takes to exit once its first (and last) turn is played.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScriptArgs } from '../scripts/script-args.js';
import { machine } from './machine.js';

parseScriptArgs('bench:startup', import.meta.url, { options: {} });
execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });

const RUNS = 10;

/** Milliseconds from spawn to the first line on stdout. */
function timeToFirstTurn(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['dist/cli/tradesim.mjs', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => {
      resolve(performance.now() - started);
      child.kill('SIGTERM');
    });
    child.once('error', reject);
  });
}

/** Milliseconds from spawn to the first line on stdout, and from that line to the exit. */
function timeToExit(args: readonly string[]): Promise<{ readonly first: number; readonly exit: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first: number | undefined;
    const child = spawn(process.execPath, ['dist/cli/tradesim.mjs', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => (first = performance.now()));
    child.once('exit', () => {
      const ended = performance.now();
      if (first === undefined) reject(new Error('no status line before the exit'));
      else resolve({ first: first - started, exit: ended - first });
    });
    child.once('error', reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`startup benchmark on ${machine()}`);
for (const [label, extra] of [
  ['--no-server', ['--no-server']],
  ['with the server', ['--port', '0']],
] as const) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    times.push(await timeToFirstTurn(['--seed', '1', '--interval', '1000', '--no-jsonl', ...extra]));
  }
  console.log(
    `${label}: first turn after ${median(times).toFixed(0)} ms (median of ${RUNS}; ${Math.min(...times).toFixed(0)}-${Math.max(...times).toFixed(0)})`,
  );
}

const folder = mkdtempSync(join(tmpdir(), 'tradesim-startup-'));
try {
  const runs: { first: number; exit: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const jsonl = join(folder, `run-${i}.jsonl`);
    // The default pace (500 ms between turns), as a user types it: no pause follows the last turn.
    runs.push(await timeToExit(['--seed', '1', '--turns', '1', '--port', '0', '--jsonl', jsonl]));
  }
  const exits = runs.map((r) => r.exit);
  console.log(
    `--turns 1 with the server and JSONL: exit ${median(exits).toFixed(0)} ms after the first turn (median of ${RUNS}; ${Math.min(...exits).toFixed(0)}-${Math.max(...exits).toFixed(0)}), first turn after ${median(runs.map((r) => r.first)).toFixed(0)} ms`,
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
