import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../src/simulation/index.js';
import { createTurnLoop, figureCatalogue, loadRunConfig, readFigure } from '../../../src/services/index.js';

describe('figureCatalogue', () => {
  it('names every figure a real run of a large world produces, and only those', () => {
    const config = loadRunConfig(readFileSync('scenarios/crisis.json', 'utf8'));
    const service = createTurnLoop({ simulation: createSimulation(config.scenario, 1), config });
    for (let i = 0; i < 5; i++) service.runTurn();
    const kept = [...service.services.domains, service.services.performance].flatMap((s) => s.history.figureNames());
    const catalogue = figureCatalogue();
    expect(kept.sort()).toEqual(
      [...catalogue.values()]
        .filter((f) => f.historized)
        .map((f) => f.name)
        .sort(),
    );
    const snapshot = service.latest()!;
    for (const name of catalogue.keys()) expect(typeof readFigure(snapshot, name), name).toBe('number');
  });

  it('marks the figures computed on read as not kept in history', () => {
    const lazy = [...figureCatalogue().values()].filter((f) => !f.historized).map((f) => f.name);
    expect(lazy).toEqual(
      expect.arrayContaining([
        'budget.gini',
        'budget.median',
        'product.volatility',
        'performance.window.turnsPerSecond',
      ]),
    );
    expect(figureCatalogue().get('budget.total')?.historized).toBe(true);
  });
});
