/**
 * npm run bench:sweep: sweep throughput with 1 and 2 worker threads (the bundled command,
 * dist/cli/sweep.mjs, on the seeds and turns of the README's sweep example: `crisis`, 500
 * seeds, 3,000 turns), runs alternating so the machine's drift falls on both alike; and the
 * machine's own ceiling: two independent 1-worker sweeps side by side against one alone
 * (what a second core adds when nothing is shared).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScriptArgs } from '../scripts/script-args.js';
import { machine } from './machine.js';

const { quick = false } = parseScriptArgs('bench:sweep', import.meta.url, {
  options: { quick: { type: 'boolean' } },
}).values;
const [seeds, runs] = quick ? ['1-4', 4] : ['1-500', 500];
const turns = quick ? '500' : '3000';
const rounds = quick ? 1 : 3;
const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-sweep-'));

/** Seconds one sweep command takes for the grid with `workers` threads (process start included). */
function sweepSeconds(workers: number, out = dir): Promise<number> {
  const started = performance.now();
  const args = ['dist/cli/sweep.mjs', '--scenario', 'crisis', '--seeds', seeds, '--turns', turns];
  const child = spawn(process.execPath, [...args, '--workers', String(workers), '--out', out], { stdio: 'ignore' });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`sweep exited ${code}`)),
    ),
  );
}

console.log(machine());
const times: Record<string, number[]> = { one: [], two: [], sideBySide: [] };
for (let round = 0; round < rounds; round++) {
  for (const workers of round % 2 === 0 ? [1, 2] : [2, 1]) {
    times[workers === 1 ? 'one' : 'two']!.push(await sweepSeconds(workers));
  }
  const pair = await Promise.all([sweepSeconds(1, join(dir, 'a')), sweepSeconds(1, join(dir, 'b'))]);
  times.sideBySide!.push(Math.max(...pair));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [one, two, pair] = [median(times.one!), median(times.two!), median(times.sideBySide!)];
const ratios = times.one!.map((t, i) => (t / times.two![i]!).toFixed(2));
console.log(`sweep crisis, ${runs} runs x ${turns} turns (dist/cli/sweep.mjs), median of ${rounds}:`);
console.log(`  1 worker : ${one.toFixed(2)} s  ${(runs / one).toFixed(2)} runs/s`);
console.log(
  `  2 workers: ${two.toFixed(2)} s  ${(runs / two).toFixed(2)} runs/s  x${(one / two).toFixed(2)} (target >= x1.8; by round x${ratios.join(', x')})`,
);
console.log(
  `  machine ceiling: two 1-worker sweeps side by side ${pair.toFixed(2)} s, one alone ${one.toFixed(2)} s: ` +
    `x${((2 * one) / pair).toFixed(2)} from a second core`,
);
