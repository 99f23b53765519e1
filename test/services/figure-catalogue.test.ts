import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/simulation/index.js';
import { createTurnLoop, figureCatalogue, loadRunConfig, readFigure } from '../../src/services/index.js';
import { lazyNamesOf } from '../../src/services/figures/lazy-figures.js';

/** Names of the numbers under lazily computed members, at any depth. */
function lazyNames(prefix: string, value: object, out: string[], underLazy = false): void {
  const lazy = new Set(lazyNamesOf(value));
  for (const key of [...Object.keys(value), ...lazy]) {
    const name = `${prefix}.${key}`;
    const isLazy = underLazy || lazy.has(key);
    const inner: unknown = (value as Record<string, unknown>)[key];
    if (typeof inner === 'number') {
      if (isLazy) out.push(name);
    } else if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      lazyNames(name, inner, out, isLazy);
    }
  }
}

/** The catalogue as a run records it: the history's columns, and the lazy members it reads. */
function recorded(scenarioText: string): { historized: string[]; lazy: string[] } {
  const config = loadRunConfig(scenarioText);
  const loop = createTurnLoop({ simulation: createSimulation(config.scenario, 1), config });
  for (let i = 0; i < 5; i++) loop.runTurn();
  const services = [...loop.services.domains, loop.services.performance];
  const historized = services.flatMap((s) => s.history.figureNames());
  const snapshot = loop.latest() as unknown as Readonly<Record<string, object>>;
  const lazy: string[] = [];
  for (const { name } of services) lazyNames(name, snapshot[name]!, lazy);
  return { historized: historized.sort(), lazy: lazy.sort() };
}

const declared = (historized: boolean) =>
  [...figureCatalogue().values()]
    .filter((f) => f.historized === historized)
    .map((f) => f.name)
    .sort();

describe('figureCatalogue', () => {
  it('names every figure a real run produces, kept or computed on read, and only those', () => {
    for (const text of [readFileSync('scenarios/crisis.json', 'utf8'), '{"companies":{"count":1}}']) {
      const run = recorded(text);
      expect(run.historized).toEqual(declared(true));
      expect(run.lazy).toEqual(declared(false));
    }
  });

  it('names only figures a snapshot can be read at', () => {
    const config = loadRunConfig('{}');
    const loop = createTurnLoop({ simulation: createSimulation(config.scenario, 1), config });
    loop.runTurn();
    const snapshot = loop.latest()!;
    for (const name of figureCatalogue().keys()) expect(typeof readFigure(snapshot, name), name).toBe('number');
  });

  it('marks the figures computed on read as not kept in history', () => {
    expect(declared(false)).toEqual(
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
