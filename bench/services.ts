/**
 * Services benchmark: the engine alone vs the engine with every figure service, alerts and
 * snapshots, on default and large. Both run in one process on the same scenario and seed, so
 * they play the same turns; they take turns in blocks, so the machine's drift falls on both
 * alike. The share is given two ways: between the two (with services vs alone, turn for
 * turn), and within the services' own turns (time outside the engine's phases).
 *
 * V8 optimizes a function called once a turn only after some hundreds to thousands of calls,
 * so the figures are taken once the run is warm (WARM turns), and the share in the first
 * 1,000 turns ("while warming") is printed too. Then two readers per turn read every figure (JSON of the
 * snapshot) and a few window statistics; the second reader's lookups show the cache serving
 * repeated reads. Usage: npm run bench:services [-- --quick]
 */
import { readFileSync } from 'node:fs';
import { createTurnLoop, loadRunConfig } from '../src/services/index.js';
import { createSimulation } from '../src/simulation/index.js';
import { parseScriptArgs } from '../scripts/script-args.js';
import { machine } from './machine.js';

const { quick = false } = parseScriptArgs('bench:services', import.meta.url, {
  options: { quick: { type: 'boolean' } },
}).values;
interface Plan {
  /** Turns played before the figures are taken. */
  readonly warm: number;
  /** Turns measured, each side. */
  readonly turns: number;
  /** Turns per block (each side plays a block in turn). */
  readonly block: number;
  /** Turns with two readers. */
  readonly readTurns: number;
}
const PLANS: Record<string, Plan> = quick
  ? {
      default: { warm: 2_000, turns: 2_000, block: 100, readTurns: 500 },
      large: { warm: 100, turns: 100, block: 10, readTurns: 20 },
    }
  : {
      default: { warm: 20_000, turns: 50_000, block: 1_000, readTurns: 5_000 },
      large: { warm: 3_000, turns: 1_000, block: 20, readTurns: 200 },
    };
const RUNS = quick ? 1 : 4;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const now = () => process.hrtime.bigint();
const seconds = (start: bigint) => Number(now() - start) / 1e9;

/** The engine alone and the engine with services, same scenario and seed, side by side. */
function pair(name: string, seed: number, engineFirst: boolean) {
  const config = loadRunConfig(readFileSync(`scenarios/${name}.json`, 'utf8'));
  // Which world is made first changes from run to run: where each lands in memory moved a
  // large turn by tens of microseconds in trials with two engines alone.
  const first = createSimulation(config.scenario, seed);
  const second = createSimulation(config.scenario, seed);
  const engine = engineFirst ? first : second;
  const service = createTurnLoop({ simulation: engineFirst ? second : first, config });
  /** Plays `turns` turns on each side in alternating blocks; seconds per turn of each. */
  const play = (turns: number, block: number) => {
    let alone = 0;
    let withServices = 0;
    let enginePhases = 0;
    for (let done = 0, round = 0; done < turns; done += block, round++) {
      const n = Math.min(block, turns - done);
      // Which side goes first changes each round: neither always follows the other.
      for (const side of round % 2 === 0 ? ['alone', 'with'] : ['with', 'alone']) {
        const start = now();
        if (side === 'alone') {
          for (let i = 0; i < n; i++) engine.step();
          alone += seconds(start);
        } else {
          for (let i = 0; i < n; i++) enginePhases += service.runTurn().performance.turnSeconds;
          withServices += seconds(start);
        }
      }
    }
    return { alone: alone / turns, with: withServices / turns, same: 1 - enginePhases / withServices };
  };
  return { service, play };
}

/** Per turn, with two readers of every figure; and the hit rate of the second reader. */
function withReaders(service: ReturnType<typeof pair>['service'], turns: number) {
  const cache = service.services.cache;
  let bytes = 0;
  let hits = 0;
  let lookups = 0;
  const start = now();
  for (let i = 0; i < turns; i++) {
    service.runTurn();
    for (let r = 0; r < 2; r++) {
      const [h, m] = [cache.hits, cache.misses];
      bytes += JSON.stringify(service.latest()).length;
      service.summary('budget.total', 20);
      service.summary('transaction.amount', 20);
      service.summary('product.priceIndex', 20);
      if (r > 0) {
        hits += cache.hits - h;
        lookups += cache.hits - h + cache.misses - m;
      }
    }
  }
  return { perTurn: seconds(start) / turns, hitRate: hits / Math.max(1, lookups), bytes };
}

const us = (v: number) => `${(v * 1e6).toFixed(1)} us`.padStart(11);
const pct = (v: number, width: number) => `${(v * 100).toFixed(1)} %`.padStart(width);
console.log(`services benchmark on ${machine()}${quick ? ' (quick)' : ''}, median of ${RUNS} runs`);
console.log(
  'scenario   warm  engine turn  + services  share  share (same)  while warming  + 2 readers  repeat-read hits',
);
for (const [name, plan] of Object.entries(PLANS)) {
  const rows: {
    alone: number;
    with: number;
    share: number;
    same: number;
    early: number;
    readers: number;
    hits: number;
  }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { service, play } = pair(name, 100 + run, run % 2 === 0);
    // The first 1,000 turns of the warm-up, measured as the rest: V8 is still optimizing.
    const earlyTurns = Math.min(1_000, plan.warm);
    const early = play(earlyTurns, plan.block);
    play(plan.warm - earlyTurns, plan.block);
    const warm = play(plan.turns, plan.block);
    const readers = withReaders(service, plan.readTurns);
    rows.push({
      alone: warm.alone,
      with: warm.with,
      share: (warm.with - warm.alone) / warm.with,
      same: warm.same,
      early: (early.with - early.alone) / early.with,
      readers: readers.perTurn,
      hits: readers.hitRate,
    });
  }
  const m = (key: keyof (typeof rows)[number]) => median(rows.map((row) => row[key]));
  console.log(
    `${name.padEnd(8)} ${String(plan.warm).padStart(5)} ${us(m('alone'))}  ${us(m('with'))} ${pct(m('share'), 6)}  ${pct(m('same'), 12)}  ${pct(m('early'), 13)}  ${us(m('readers'))}  ${pct(m('hits'), 16)}`,
  );
}
