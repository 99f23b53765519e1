/**
 * Engine benchmark: the simulation layer alone on the default, large and stress presets.
 * Each scenario runs in its own child process (so peak RSS is its own), several times, and
 * the median is printed. Usage: npm run bench:engine [-- --quick]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSimulation, loadScenario } from '../src/simulation/index.js';
import { parseScriptArgs } from '../scripts/script-args.js';
import { machine } from './machine.js';

interface Plan {
  readonly turns: number;
  readonly runs: number;
}

const PLANS: Record<string, Plan> = {
  default: { turns: 50_000, runs: 5 },
  large: { turns: 1_000, runs: 5 },
  stress: { turns: 150, runs: 3 },
};

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function measure(name: string, plan: Plan): void {
  const scenario = loadScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));
  const rates: number[] = [];
  let heapAtHalf = 0;
  let heapAtEnd = 0;
  for (let run = 0; run < plan.runs; run++) {
    const sim = createSimulation(scenario, 1000 + run);
    const warmup = Math.ceil(plan.turns / 10);
    for (let i = 0; i < warmup; i++) sim.step();
    const start = process.hrtime.bigint();
    for (let i = 0; i < plan.turns; i++) {
      sim.step();
      if (run === 0 && i === Math.floor(plan.turns / 2)) heapAtHalf = process.memoryUsage().heapUsed;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run === 0) heapAtEnd = process.memoryUsage().heapUsed;
    rates.push(plan.turns / seconds);
  }
  const turnsPerSecond = median(rates);
  const result = {
    scenario: name,
    companies: scenario.companies.count,
    turns: plan.turns,
    runs: plan.runs,
    turnsPerSecond: Math.round(turnsPerSecond),
    companyTurnsPerSecond: Math.round(turnsPerSecond * scenario.companies.count),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapMiBHalfway: Math.round(heapAtHalf / 2 ** 20),
    heapMiBAtEnd: Math.round(heapAtEnd / 2 ** 20),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// --child NAME: one scenario's measurement, in a process of its own (as the parent runs it).
const { values: flags } = parseScriptArgs('bench:engine', import.meta.url, {
  options: { quick: { type: 'boolean' }, child: { type: 'string' } },
});
const quick = flags.quick === true;
const name = flags.child;
if (name !== undefined) {
  const plan = PLANS[name];
  if (!plan) {
    process.stderr.write(`bench:engine: --child: no scenario '${name}'\n`);
    process.exit(2);
  }
  measure(name, quick ? { turns: Math.ceil(plan.turns / 10), runs: 1 } : plan);
} else {
  console.log(`engine benchmark on ${machine()}${quick ? ' (quick)' : ''}`);
  console.log('scenario  companies  turns/s (median)  company-turns/s  peak RSS  heap at half -> end');
  for (const scenario of Object.keys(PLANS)) {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', scenario, ...(quick ? ['--quick'] : [])],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!);
    console.log(
      `${r.scenario.padEnd(9)} ${String(r.companies).padStart(9)}  ${String(r.turnsPerSecond).padStart(16)}  ${String(r.companyTurnsPerSecond).padStart(15)}  ${String(r.peakRssMiB).padStart(5)} MiB  ${r.heapMiBHalfway} -> ${r.heapMiBAtEnd} MiB`,
    );
  }
}
