import { createSimulation, loadScenario } from '../../simulation/index.js';
import { lazyNamesOf } from './lazy-figures.js';
import { createServiceSet, recordTurn } from '../service-set.js';

/** A figure's name and whether its values are kept in history (lazy ones are not). */
export interface FigureEntry {
  readonly name: string;
  readonly historized: boolean;
}

let catalogue: ReadonlyMap<string, FigureEntry> | undefined;

/** Names of the numbers under lazily computed members (read once here), at any depth. */
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

/**
 * Every figure the services produce, by dotted name. Found by recording one turn of a
 * one-company world, so the list cannot drift from the services: figure names depend only
 * on fixed lists (product types, continents, reasons, event types), never on the world.
 */
export function figureCatalogue(): ReadonlyMap<string, FigureEntry> {
  if (catalogue) return catalogue;
  const scenario = loadScenario({
    companies: { count: 1 },
    products: { count: 1 },
    suppliers: { count: 1, productsMin: 1, productsMax: 1 },
  });
  const sim = createSimulation(scenario, 1);
  const set = createServiceSet(
    { solventMinimum: 100, strugglingBelowShare: 0.25, prosperousAboveShare: 1.5 },
    {
      historyTurns: 2,
      cacheSize: 16,
      topCompanies: 1,
      topProducts: 1,
      topSuppliers: 1,
      statsWindow: 2,
      alertFirings: 1,
    },
    () => 0,
  );
  const report = sim.step();
  const figures = recordTurn(
    set,
    { report, world: sim.world, prices: 0, purchases: 0, market: 0, events: 0, clockSeconds: 0 },
    () => 0,
  );
  const entries = new Map<string, FigureEntry>();
  for (const service of [...set.domains, set.performance]) {
    for (const name of service.history.figureNames()) entries.set(name, { name, historized: true });
  }
  const lazy: string[] = [];
  for (const [service, value] of Object.entries(figures) as [string, object][]) lazyNames(service, value, lazy);
  for (const name of lazy) entries.set(name, { name, historized: false });
  catalogue = new Map([...entries].sort(([a], [b]) => a.localeCompare(b)));
  return catalogue;
}
