import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createTurnLoop, loadRunConfig } from '../../src/services/index.js';
import { createSimulation, restoreSimulation } from '../../src/simulation/index.js';

// A decoded checkpoint is checked before a turn is played on it: the world by the simulation,
// the loop's state by the services; each refusal is TRADESIM_ERR_CHECKPOINT_MISMATCH naming the part.
const config = loadRunConfig(readFileSync('scenarios/crisis.json', 'utf8'));
const simulation = createSimulation(config.scenario, 7);
const loop = createTurnLoop({ simulation, config });
for (let t = 0; t < 120; t++) loop.runTurn();
type Saved = { simulation: ReturnType<typeof simulation.state>; loop: ReturnType<typeof loop.checkpoint> };
const fresh = (): Saved => deserialize(serialize({ simulation: simulation.state(), loop: loop.checkpoint() })) as Saved;
const world = (s: Saved) => s.simulation.world as unknown as Record<string, unknown>;

function restoreProblem(change: (s: Saved) => void): string | undefined {
  const saved = fresh();
  change(saved);
  try {
    const restored = restoreSimulation(config.scenario, 7, saved.simulation);
    createTurnLoop({ simulation: restored, config, restore: saved.loop });
    return undefined;
  } catch (error) {
    expect((error as { code: string }).code).toBe('TRADESIM_ERR_CHECKPOINT_MISMATCH');
    return (error as Error).message;
  }
}

describe('a checkpoint checked before it is restored', () => {
  it('takes a checkpoint as saved', () => {
    expect(restoreProblem(() => {})).toBeUndefined();
  });

  it.each<[string, (s: Saved) => void, string]>([
    [
      'a field of another type',
      (s) => void (world(s).demandIndex = '1'),
      'world.demandIndex: expected number, got string',
    ],
    [
      'a typed array of another class',
      (s) => void (world(s).price = [1, 2]),
      'world.price: expected Float64Array, got array',
    ],
    [
      'a company array one short',
      // crisis has 500 companies
      (s) => void (world(s).inventory = new Float64Array(499)),
      'world.inventory: length 499, expected 500 (companies)',
    ],
    ['a pipeline of another length', (s) => void (world(s).pipeline = new Float64Array(1)), 'suppliers.leadTurns'],
    [
      'an infinite total',
      (s) => void ((world(s).totals as Record<string, number>).spentCents = Infinity),
      'world.totals.spentCents',
    ],
    [
      'a per-type list of the wrong length',
      (s) => void ((world(s).activeByType as Int32Array[])[0] = new Int32Array(1)),
      'world.activeByType[0]',
    ],
    [
      'an index past the offers',
      (s) => void ((world(s).productOfferStart as Int32Array)[1] = 1e6),
      'world.productOfferStart[1]',
    ],
    [
      'history columns of unequal length',
      (s) => void (Object.values(s.loop.services)[0]!.columns as Float64Array[]).splice(0, 1),
      'expected one per name',
    ],
    [
      'a history turn after the checkpoint',
      (s) => void (Object.values(s.loop.services)[0]!.turns[0] = 10_000),
      'is not a turn up to 120',
    ],
    [
      "a service's own total that is not a number",
      (s) => void ((s.loop.services.market!.own as Record<string, unknown>).revenueCents = 'x'),
      'loop.services.market.own.revenueCents: expected a number, got string',
    ],
    [
      '101 recent alert events',
      (s) =>
        void (s.loop.recentAlertEvents as unknown[]).push(
          ...Array.from({ length: 101 }, () => s.loop.recentAlertEvents[0]),
        ),
      'at most 100 are kept',
    ],
  ])('refuses %s', (_what, change, message) => {
    expect(restoreProblem(change)).toContain(message);
  });
});
