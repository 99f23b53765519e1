/**
 * Services benchmark: the engine alone vs the engine with every metrics service, alerts and
 * snapshots, on default and large, in one process. The services' share of turn time is
 * given two ways: from separate runs (engine alone vs with services), and within the same
 * turns (time outside the engine's own phases), which this shared machine's noise moves less. Each turn two readers then read every
 * figure (JSON of the snapshot) and a few window statistics; the second reader's lookups
 * show the cache serving repeated reads. Usage: npm run bench:services [-- --quick]
 */
import { readFileSync } from 'node:fs';
import { createSimulationService, loadRunConfig } from '../src/services/index.js';
import { createSimulation } from '../src/simulation/index.js';

const quick = process.argv.includes('--quick');
const PLANS: Record<string, number> = quick ? { default: 5_000, large: 100 } : { default: 50_000, large: 1_000 };
const RUNS = quick ? 1 : 5;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

function engineAlone(name: string, turns: number, seed: number): number {
  const config = loadRunConfig(readFileSync(`scenarios/${name}.json`, 'utf8'));
  const sim = createSimulation(config.scenario, seed);
  for (let i = 0; i < turns / 10; i++) sim.step();
  const start = process.hrtime.bigint();
  for (let i = 0; i < turns; i++) sim.step();
  return seconds(start) / turns;
}

function withServices(name: string, turns: number, seed: number, readers: number) {
  const config = loadRunConfig(readFileSync(`scenarios/${name}.json`, 'utf8'));
  const service = createSimulationService({ simulation: createSimulation(config.scenario, seed), config });
  let bytes = 0;
  const read = () => {
    const snapshot = service.latest()!;
    bytes += JSON.stringify(snapshot).length;
    service.summary('budget.total', 20);
    service.summary('transaction.amount', 20);
    service.summary('product.priceIndex', 20);
  };
  for (let i = 0; i < turns / 10; i++) service.runTurn();
  const cache = service.services.cache;
  let engineSeconds = 0;
  let hits = 0;
  let lookups = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < turns; i++) {
    engineSeconds += service.runTurn().performance.turnSeconds;
    for (let r = 0; r < readers; r++) {
      const [h, m] = [cache.hits, cache.misses];
      read();
      // The hit rate of the repeat readers: every reader after the first in a turn.
      if (r > 0) {
        hits += cache.hits - h;
        lookups += cache.hits - h + cache.misses - m;
      }
    }
  }
  const elapsed = seconds(start);
  // In the same turns: the share of time not spent in the engine's phases.
  const share = 1 - engineSeconds / elapsed;
  return { perTurn: elapsed / turns, share, hitRate: hits / Math.max(1, lookups), bytes };
}

console.log(`services benchmark on node ${process.version}${quick ? ' (quick)' : ''}, median of ${RUNS} runs`);
console.log('scenario  engine turn  + services  share (runs)  share (same)  + 2 readers  repeat-read hits');
for (const [name, turns] of Object.entries(PLANS)) {
  const engine: number[] = [];
  const services: number[] = [];
  const shares: number[] = [];
  const readers: number[] = [];
  const hitRates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    engine.push(engineAlone(name, turns, 100 + run));
    const s = withServices(name, turns, 100 + run, 0);
    services.push(s.perTurn);
    shares.push(s.share);
    const r = withServices(name, turns, 100 + run, 2);
    readers.push(r.perTurn);
    hitRates.push(r.hitRate);
  }
  const e = median(engine);
  const s = median(services);
  const us = (v: number) => `${(v * 1e6).toFixed(1)} us`.padStart(11);
  console.log(
    `${name.padEnd(8)} ${us(e)}  ${us(s)}  ${`${(((s - e) / s) * 100).toFixed(1)} %`.padStart(13)}  ${`${(median(shares) * 100).toFixed(1)} %`.padStart(12)}  ${us(median(readers))}  ${(median(hitRates) * 100).toFixed(1)} %`,
  );
}
