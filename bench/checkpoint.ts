/**
 * npm run bench:checkpoint: how long writing and reading a checkpoint takes, and its size,
 * for `large` and `stress` after a few turns (the CLI's own writer and reader, on a file in
 * the temporary folder). Median of 5 of each.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint, writeCheckpoint } from '../src/cli/checkpoint-file.js';
import { createTurnLoop, loadRunConfig } from '../src/services/index.js';
import { createSimulation, restoreSimulation } from '../src/simulation/index.js';
import { parseScriptArgs } from '../scripts/script-args.js';
import { machine } from './machine.js';

const { quick = false } = parseScriptArgs('bench:checkpoint', import.meta.url, {
  options: { quick: { type: 'boolean' } },
}).values;
const dir = mkdtempSync(join(tmpdir(), 'tradesim-bench-checkpoint-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(machine());
for (const preset of quick ? ['large'] : ['large', 'stress']) {
  const scenarioText = readFileSync(`scenarios/${preset}.json`, 'utf8');
  const config = loadRunConfig(scenarioText);
  const simulation = createSimulation(config.scenario, 1);
  const loop = createTurnLoop({ simulation, config });
  for (let i = 0; i < 10; i++) loop.runTurn();
  const path = join(dir, `${preset}.ckpt`);
  const writes: number[] = [];
  const reads: number[] = [];
  let bytes = 0;
  for (let round = 0; round < 5; round++) {
    let t = performance.now();
    bytes = writeCheckpoint(path, {
      scenario: preset,
      scenarioText,
      seed: 1,
      runId: loop.runId,
      turn: simulation.turn,
      simulation: simulation.state(),
      loop: loop.checkpoint(),
    });
    writes.push(performance.now() - t);
    t = performance.now();
    const saved = readCheckpoint(path);
    createTurnLoop({
      simulation: restoreSimulation(config.scenario, 1, saved.simulation),
      config,
      restore: saved.loop,
    });
    reads.push(performance.now() - t);
  }
  console.log(
    `${preset.padEnd(7)} ${(bytes / 1024 ** 2).toFixed(1)} MiB  write ${median(writes).toFixed(0)} ms  ` +
      `read and restore ${median(reads).toFixed(0)} ms  (${config.scenario.companies.count} companies, after 10 turns)`,
  );
}
