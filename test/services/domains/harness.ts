import { readFileSync } from 'node:fs';
import { createTurnLoop, loadRunConfig, type TurnSnapshot } from '../../../src/services/index.js';
import { createSimulation, type TurnReport, type WorldView } from '../../../src/simulation/index.js';

/** What a check sees after each turn: the snapshot, the live world at that turn, the report. */
export interface TurnCase {
  readonly snapshot: TurnSnapshot;
  readonly world: WorldView;
  readonly report: TurnReport;
}

/**
 * Runs a preset (or a scenario object) through the TurnLoop and calls `check` after
 * every turn, while the world is still at that turn. The report is taken from a twin engine
 * with the same seed, so checks recompute from the engine's own output.
 */
export function eachTurn(scenario: string | object, seed: number, turns: number, check: (c: TurnCase) => void): void {
  const text =
    typeof scenario === 'string' ? readFileSync(`scenarios/${scenario}.json`, 'utf8') : JSON.stringify(scenario);
  const config = loadRunConfig(text);
  const simulation = createSimulation(config.scenario, seed);
  const twin = createSimulation(config.scenario, seed);
  // The loop catches what a subscriber throws (and goes on): a failed check is handed back
  // here and thrown from the test, or it would pass unseen.
  const failures: unknown[] = [];
  const service = createTurnLoop({ simulation, config, onSubscriberError: (error) => failures.push(error) });
  service.subscribe((snapshot) => check({ snapshot, world: simulation.world, report: twin.step() }));
  for (let i = 0; i < turns; i++) {
    service.runTurn();
    if (failures.length > 0) throw failures[0];
  }
}

/** Sum of an array-like. */
export const total = (values: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
};
