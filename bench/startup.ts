/**
 * Start-up benchmark: npm run bench:startup. Builds the compiled `tradesim` command, then
 * times from spawning it to its first status line (turn 1), median of 10 runs, with and
 * without the HTTP server.
 */
import { execFileSync, spawn } from 'node:child_process';
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
