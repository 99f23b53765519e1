import type { TurnSnapshot } from '../../services/index.js';
import type { SystemSample } from '../system-sampler.js';
import { createLineText } from './line-text.js';

/** Entries kept of each top list in a line, so a line stays small whatever the world's size. */
export const LINE_TOP_ENTRIES = 3;

/** Decimals kept of non-integer numbers in a line: figures are exact in memory, rounded on output. */
export const LINE_DECIMALS = 6;
const SCALE = 10 ** LINE_DECIMALS;

/** JSON.stringify replacer that rounds non-integers to LINE_DECIMALS, as the line's text does. */
export const roundLineNumbers = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * SCALE) / SCALE : value;

const lineText = createLineText(LINE_DECIMALS, LINE_TOP_ENTRIES);

/**
 * The line of one turn as UTF-8 JSON text, newline included: the object of buildSnapshotLine,
 * its numbers rounded (roundLineNumbers), written field by field (see line-text.ts). The
 * bytes are a view valid until the next line is made: copy them to keep them.
 */
export function snapshotLineBytes(snapshot: TurnSnapshot, system: SystemSample | undefined): Uint8Array {
  return lineText(snapshot, system);
}

/** The line of one turn as a string: the text of snapshotLineBytes. */
export function serializeSnapshotLine(snapshot: TurnSnapshot, system: SystemSample | undefined): string {
  return Buffer.from(lineText(snapshot, system)).toString('utf8');
}

/**
 * A figures object's own data. Figures computed only on read (budget median and Gini,
 * product volatility, the transaction and performance windows) are left out: on a large
 * world they cost a sort of every company each turn, several times what writing the line
 * costs. Window figures follow from the lines themselves; all are on /metrics and /api/stats.
 */
const plain = (figures: object): Record<string, unknown> => ({ ...figures });

/** Drops `keys` from a plain object. */
function without(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...value };
  for (const key of keys) delete out[key];
  return out;
}

/**
 * The JSONL line of one turn: `{v, run, seed, turn, time, business, alerts, system}`.
 * `business` and `alerts` depend only on the scenario and seed; wall-clock time, timings,
 * rates and machine figures are kept apart in `time` and `system`. To keep a line small
 * whatever the world's size, top lists are cut to LINE_TOP_ENTRIES, and what is fixed for
 * the run or repeated elsewhere in the line is left out (company counts by strategy and
 * continent, `event.thisTurn`, `transaction.budgetTotal`), and so are the figures computed
 * only on read (see `plain`); /api/stats has everything.
 */
export function buildSnapshotLine(snapshot: TurnSnapshot, system: SystemSample | undefined): object {
  const s = snapshot;
  return {
    v: 1,
    run: s.runId,
    seed: s.seed,
    turn: s.turn,
    time: new Date(s.publishedAtMs).toISOString(),
    business: {
      scenario: s.scenario,
      budget: plain(s.budget),
      company: {
        ...without(plain(s.company), ['byStrategy', 'byContinent']),
        topBySpend: s.company.topBySpend
          .slice(0, LINE_TOP_ENTRIES)
          .map((c) => ({ id: c.id, name: c.name, spent: c.spent, budget: c.budget, purchases: c.purchases })),
      },
      product: {
        ...plain(s.product),
        topBySales: s.product.topBySales
          .slice(0, LINE_TOP_ENTRIES)
          .map((p) => ({ id: p.id, name: p.name, unitsSold: p.unitsSold, price: p.price })),
      },
      supplier: plain(s.supplier),
      transaction: without(plain(s.transaction), ['budgetTotal']),
      event: without(plain(s.event), ['thisTurn']),
    },
    alerts: s.alerts.active.map((a) => ({
      rule: a.rule,
      severity: a.severity,
      state: a.state,
      value: a.value,
      threshold: a.threshold,
      activeSince: a.activeSince,
    })),
    system: {
      performance: without(plain(s.performance), ['clockSeconds', 'attempts']),
      ...(system
        ? {
            process: {
              cpu: system.processCpu,
              rssBytes: system.processRssBytes,
              heapUsedBytes: system.processHeapUsedBytes,
            },
            machine: {
              cpu: system.machineCpu,
              memoryUsedBytes: system.machineMemoryUsedBytes,
              memoryTotalBytes: system.machineMemoryTotalBytes,
            },
          }
        : {}),
    },
  };
}
