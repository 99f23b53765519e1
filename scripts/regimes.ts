/**
 * `npm run regimes`: plays each preset over several seeds with every service and the default
 * alert rules, and prints a table per preset against what its story promises (see the README's
 * presets section). Exit code 1 when a preset misses one of its criteria.
 *
 * Usage: npm run regimes [-- --presets default,crisis --seeds 1-10 --turns N]
 */
import { readFileSync } from 'node:fs';
import { createTurnLoop, DEFAULT_ALERT_RULES, loadRunConfig, type TurnSnapshot } from '../src/services/index.js';
import { createSimulation } from '../src/simulation/index.js';
import { parseScriptArgs } from './script-args.js';

interface Criteria {
  readonly turns: number;
  /** Checks one seed's run; the problems it finds. */
  readonly check: (run: RunRecord) => string[];
  /** Seeds that must pass. */
  readonly mustPass: (seeds: number) => number;
}

/** What one seed's run showed. */
interface RunRecord {
  readonly turns: number;
  readonly stock: Float64Array;
  readonly budget: Float64Array;
  readonly attempts: Float64Array;
  readonly successes: Float64Array;
  readonly outOfStock: number;
  /** Turns with at least one critical rule firing. */
  readonly criticalTurns: Float64Array;
  /** Per rule: times it went to firing, times it resolved. */
  readonly fired: Map<string, number>;
  readonly resolved: Map<string, number>;
  readonly exits: number;
  readonly entries: number;
}

const sum = (a: ArrayLike<number>, from = 0, to = a.length): number => {
  let t = 0;
  for (let i = from; i < to; i++) t += a[i]!;
  return t;
};

/** Max over min of a series from turn `from` on (Infinity when it touches 0). */
function band(series: Float64Array, from: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < series.length; i++) {
    lo = Math.min(lo, series[i]!);
    hi = Math.max(hi, series[i]!);
  }
  return lo > 0 ? hi / lo : Infinity;
}

/** Range, in points, of the success rate over sliding windows of `width` turns. */
function successSwing(run: RunRecord, width: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  let attempts = sum(run.attempts, 0, width);
  let successes = sum(run.successes, 0, width);
  for (let end = width; end <= run.turns; end++) {
    if (attempts > 0) {
      const rate = (100 * successes) / attempts;
      lo = Math.min(lo, rate);
      hi = Math.max(hi, rate);
    }
    if (end === run.turns) break;
    attempts += run.attempts[end]! - run.attempts[end - width]!;
    successes += run.successes[end]! - run.successes[end - width]!;
  }
  return hi - lo;
}

const CRITERIA: Record<string, Criteria> = {
  default: {
    turns: 5_000,
    mustPass: (seeds) => seeds,
    check(run) {
      const problems: string[] = [];
      const stockBand = band(run.stock, 1_000);
      const budgetBand = band(run.budget, 1_000);
      const oos = (100 * run.outOfStock) / Math.max(1, sum(run.attempts));
      const swing = successSwing(run, 100);
      const critical = (100 * sum(run.criticalTurns)) / run.turns;
      if (stockBand > 3) problems.push(`stock band x${stockBand.toFixed(1)}`);
      if (budgetBand > 3) problems.push(`budget band x${budgetBand.toFixed(1)}`);
      if (oos < 0.5 || oos > 20) problems.push(`out_of_stock ${oos.toFixed(1)} %`);
      if (swing < 10) problems.push(`success swing ${swing.toFixed(1)} pts`);
      if (critical > 5) problems.push(`critical ${critical.toFixed(1)} % of turns`);
      return problems;
    },
  },
  crisis: {
    turns: 3_000,
    mustPass: (seeds) => Math.ceil(0.9 * seeds),
    check(run) {
      const problems: string[] = [];
      for (const rule of DEFAULT_ALERT_RULES) {
        const fired = run.fired.get(rule.name) ?? 0;
        if (fired === 0 || (run.resolved.get(rule.name) ?? 0) === 0)
          problems.push(`${rule.name} never fired and resolved`);
        if ((fired * 1_000) / run.turns > 10) problems.push(`${rule.name} fired ${fired} times`);
      }
      const lastCritical = sum(run.criticalTurns, run.turns - 300);
      if (lastCritical > 0) problems.push(`critical firing in ${lastCritical} of the last 300 turns`);
      return problems;
    },
  },
};

function parseSeeds(text: string): number[] {
  const [from, to] = text.split('-').map(Number);
  const last = to ?? from!;
  return Array.from({ length: last - from! + 1 }, (_, i) => from! + i);
}

function play(preset: string, seed: number, turns: number): RunRecord {
  const config = loadRunConfig(readFileSync(`scenarios/${preset}.json`, 'utf8'));
  const simulation = createSimulation(config.scenario, seed);
  const loop = createTurnLoop({ simulation, config });
  const critical = new Set(DEFAULT_ALERT_RULES.filter((r) => r.severity === 'critical').map((r) => r.name));
  const run = {
    turns,
    stock: new Float64Array(turns),
    budget: new Float64Array(turns),
    attempts: new Float64Array(turns),
    successes: new Float64Array(turns),
    outOfStock: 0,
    criticalTurns: new Float64Array(turns),
    fired: new Map<string, number>(),
    resolved: new Map<string, number>(),
    exits: 0,
    entries: 0,
  };
  for (let t = 0; t < turns; t++) {
    const s: TurnSnapshot = loop.runTurn();
    run.stock[t] = s.supplier.totalStock;
    run.budget[t] = s.budget.total;
    run.attempts[t] = s.transaction.attempts;
    run.successes[t] = s.transaction.successes;
    run.outOfStock += s.transaction.failuresByReason.out_of_stock;
    run.criticalTurns[t] = s.alerts.active.some((a) => a.state === 'firing' && critical.has(a.rule)) ? 1 : 0;
    for (const e of s.alerts.transitions) {
      if (e.to === 'firing') run.fired.set(e.rule, (run.fired.get(e.rule) ?? 0) + 1);
      if (e.to === 'resolved') run.resolved.set(e.rule, (run.resolved.get(e.rule) ?? 0) + 1);
    }
  }
  const totals = simulation.world.totals();
  run.exits = totals.exits;
  run.entries = totals.entries;
  return run;
}

const { values: flags } = parseScriptArgs('regimes', import.meta.url, {
  options: { presets: { type: 'string' }, seeds: { type: 'string' }, turns: { type: 'string' } },
});
const presets = (flags.presets ?? 'default,crisis').split(',');
const seeds = parseSeeds(flags.seeds ?? '1-10');
let failed = false;
for (const preset of presets) {
  const criteria = CRITERIA[preset];
  const turns = Number(flags.turns ?? criteria?.turns ?? 1_000);
  console.log(`\n${preset}: seeds ${seeds[0]}-${seeds.at(-1)}, ${turns} turns`);
  console.log(
    'seed  stock band  budget band  out_of_stock  swing  critical  exits/entries  firings (fired/resolved)  problems',
  );
  let passed = 0;
  for (const seed of seeds) {
    const run = play(preset, seed, turns);
    const from = Math.min(1_000, Math.floor(turns / 5));
    const problems = criteria?.check(run) ?? [];
    if (problems.length === 0) passed += 1;
    const firings = DEFAULT_ALERT_RULES.map((r) => `${run.fired.get(r.name) ?? 0}/${run.resolved.get(r.name) ?? 0}`);
    console.log(
      [
        String(seed).padStart(4),
        `x${band(run.stock, from).toFixed(2)}`.padStart(10),
        `x${band(run.budget, from).toFixed(2)}`.padStart(11),
        `${((100 * run.outOfStock) / Math.max(1, sum(run.attempts))).toFixed(1)} %`.padStart(12),
        `${successSwing(run, 100).toFixed(0)}`.padStart(5),
        `${((100 * sum(run.criticalTurns)) / turns).toFixed(1)} %`.padStart(8),
        `${run.exits}/${run.entries}`.padStart(13),
        firings.join(' ').padStart(24),
        problems.join('; ') || 'ok',
      ].join('  '),
    );
  }
  const needed = criteria?.mustPass(seeds.length) ?? 0;
  const verdict = passed >= needed ? 'met' : 'NOT met';
  if (passed < needed) failed = true;
  console.log(`${preset}: ${passed} of ${seeds.length} seeds pass (${needed} needed): ${verdict}`);
}
console.log(`\nfirings columns, in order: ${DEFAULT_ALERT_RULES.map((r) => r.name).join(', ')}`);
process.exitCode = failed ? 1 : 0;
