import { createTurnLoop, loadRunConfig, runRules, type TurnSnapshot } from '../../services/index.js';
import { createSimulation } from '../../simulation/index.js';

/** One run of a sweep: a scenario, a seed and the parameters set on it. */
export interface SweepTask {
  /** Position in the grid: rows are written in this order whatever finishes first. */
  readonly index: number;
  /** The scenario's name or path, as given, for the row. */
  readonly scenario: string;
  /** The scenario file's text. */
  readonly scenarioText: string;
  readonly seed: number;
  readonly turns: number;
  /** Dotted scenario keys and the values this run sets on them. */
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /** The alert rules whose firings get columns (the base scenario's, its SLOs' burn-rate alerts included, in order). */
  readonly rules: readonly string[];
}

/** A row's value: a number, a string, or null when there is none (a rule that never fired). */
export type Cell = number | string | null;

/** What one run produced, by column name (see SWEEP_COLUMNS). */
export type SweepRow = Readonly<Record<string, Cell>>;

/** Sets `value` at a dotted path of a JSON object, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  // Own properties only, defined rather than assigned: no key reaches a prototype.
  const put = (node: Record<string, unknown>, key: string, v: unknown) =>
    Object.defineProperty(node, key, { value: v, writable: true, enumerable: true, configurable: true });
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) put(node, key, {});
    node = node[key] as Record<string, unknown>;
  }
  put(node, keys.at(-1)!, value);
}

/** The scenario text with the task's parameters set on it. */
export function patchedScenario(text: string, params: SweepTask['params']): string {
  if (Object.keys(params).length === 0) return text;
  const json = JSON.parse(text) as Record<string, unknown>;
  for (const [path, value] of Object.entries(params)) setPath(json, path, value);
  return JSON.stringify(json);
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * A figure's cell: rounded, or null (an empty cell in the CSV, null in Parquet) when it had
 * nothing to measure (NaN), or no turn gave it one (an extreme still at its start, +-Infinity).
 */
const cellOf = (x: number): number | null => (Number.isFinite(x) ? round6(x) : null);

/**
 * A run's alert firings: how many of each rule and the turn of its first, and the first
 * critical's turn. Each rule of the run's own (a --set may add or drop some) counts from 0;
 * a column's rule the run does not have has no cells (null).
 */
function createFiringTally() {
  const counts = new Map<string, number>();
  const first = new Map<string, number>();
  let firstCritical: number | null = null;
  return {
    start: (rules: readonly string[]) => rules.forEach((r) => counts.set(r, 0)),
    observe(transitions: TurnSnapshot['alerts']['transitions']): void {
      for (const e of transitions) {
        if (e.to !== 'firing') continue;
        counts.set(e.rule, (counts.get(e.rule) ?? 0) + 1);
        if (!first.has(e.rule)) first.set(e.rule, e.turn);
        if (e.severity === 'critical' && firstCritical === null) firstCritical = e.turn;
      }
    },
    firstCritical: () => firstCritical,
    cells(rules: readonly string[]): Record<string, Cell> {
      const cells: Record<string, Cell> = {};
      for (const rule of rules) {
        cells[`first_${rule}_turn`] = first.get(rule) ?? null;
        cells[`firings_${rule}`] = counts.get(rule) ?? null;
      }
      return cells;
    },
  };
}

/**
 * Plays one run with every service and alert rule, and sums it up in a row: final and
 * extreme figures, the turn each rule first fired and how often, exits and entries, wall
 * time. Never throws: a run that cannot start or fails is a row with its error.
 */
export function runOne(task: SweepTask, now: () => number = () => performance.now()): SweepRow {
  const started = now();
  const base: Record<string, Cell> = { run: task.index, scenario: task.scenario, seed: task.seed };
  for (const [key, value] of Object.entries(task.params))
    base[key] = typeof value === 'boolean' ? String(value) : value;
  const tally = createFiringTally();
  let last: TurnSnapshot | undefined;
  let minBudgetRatio = Infinity;
  let maxBudgetRatio = -Infinity;
  let maxInsolvent = 0;
  let maxPriceIndex = -Infinity;
  let minFillRatio = Infinity;
  let minStock = Infinity;
  try {
    const config = loadRunConfig(patchedScenario(task.scenarioText, task.params));
    tally.start(runRules(config).map((r) => r.name));
    const loop = createTurnLoop({ simulation: createSimulation(config.scenario, task.seed), config });
    loop.subscribe((s) => {
      // A world that started with no money has no ratio to it (absent), not 0.
      if (s.budget.initialTotal > 0) {
        const ratio = s.budget.total / s.budget.initialTotal;
        minBudgetRatio = Math.min(minBudgetRatio, ratio);
        maxBudgetRatio = Math.max(maxBudgetRatio, ratio);
      }
      maxInsolvent = Math.max(maxInsolvent, s.budget.companiesByState.insolvent);
      // A turn with no product listed has no price index (NaN, absent): it does not count.
      if (!Number.isNaN(s.product.priceIndex)) maxPriceIndex = Math.max(maxPriceIndex, s.product.priceIndex);
      // A turn with no purchase has no fill ratio (NaN, absent): it does not count.
      if (!Number.isNaN(s.market.fillRate)) minFillRatio = Math.min(minFillRatio, s.market.fillRate);
      minStock = Math.min(minStock, s.supplier.totalStock);
      tally.observe(s.alerts.transitions);
      last = s;
    });
    for (let i = 0; i < task.turns; i++) loop.runTurn();
  } catch (error) {
    return {
      ...base,
      status: 'error',
      error: (error as Error).message.split('\n')[0] ?? 'error',
      turns: last?.turn ?? 0,
    };
  }
  const s = last!;
  const row: Record<string, Cell> = {
    ...base,
    status: 'ok',
    error: null,
    turns: s.turn,
    final_budget_total: round6(s.budget.total),
    final_budget_ratio: cellOf(s.budget.total / s.budget.initialTotal),
    min_budget_ratio: cellOf(minBudgetRatio),
    max_budget_ratio: cellOf(maxBudgetRatio),
    final_companies_active: s.market.activeCompanies,
    final_insolvent: s.budget.companiesByState.insolvent,
    max_insolvent: maxInsolvent,
    final_price_index: cellOf(s.product.priceIndex),
    max_price_index: cellOf(maxPriceIndex),
    final_paid_price_index: cellOf(s.market.paidPriceIndex),
    final_fill_ratio: cellOf(s.market.fillRate),
    min_fill_ratio: cellOf(minFillRatio),
    final_supplier_stock: s.supplier.totalStock,
    min_supplier_stock: minStock,
    purchases_succeeded: s.transaction.totals.successes,
    purchases_failed: s.transaction.totals.attempts - s.transaction.totals.successes,
    exits: s.market.exitsTotal,
    entries: s.market.entriesTotal,
    first_critical_turn: tally.firstCritical(),
    ...tally.cells(task.rules),
  };
  row.wall_seconds = round6((now() - started) / 1000);
  return row;
}
