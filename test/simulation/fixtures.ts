import { loadScenario, type Scenario } from '../../src/simulation/index.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * Every event switched off and the closed loops stilled (no fixed costs or dividends, no
 * household spending, no supplier orders, a flat calendar, fixed customer shares, margins and
 * reference stocks, no glut in the drift), so a test turns on exactly what it exercises.
 */
const QUIET = {
  companies: { overheadPercent: 0, dividendPercent: 0, marginStep: 0 },
  households: { spendRate: 0 },
  suppliers: { capacity: 0, capacityMultiple: 0, referenceCover: 0 },
  market: { switchProbability: 0, glutResponse: 0 },
  calendar: { hourly: Array<number>(24).fill(1), weekly: Array<number>(7).fill(1) },
  events: {
    budgetRefill: { probability: 0 },
    restock: { probability: 0 },
    inflation: { probability: 0 },
    availability: { probability: 0 },
    supplierRefill: { probability: 0 },
  },
};

function merge(base: unknown, extra: unknown): unknown {
  if (typeof base !== 'object' || base === null || typeof extra !== 'object' || extra === null) {
    return extra === undefined ? base : extra;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(extra)) out[key] = merge(out[key], value);
  return out;
}

/** A validated scenario: the defaults, all events off, then `overrides` merged in. */
export function quietScenario(overrides: DeepPartial<Scenario> = {}): Scenario {
  return loadScenario(merge(QUIET, overrides));
}
