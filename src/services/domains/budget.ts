import { fromCents } from '../figures.js';
import { defineLazyFigures } from '../lazy-figures.js';
import type { ServiceDefinition } from '../metrics-service.js';
import { gini, median, sorted } from '../statistics.js';

/** Where a company's budget puts it. */
export const COMPANY_STATES = ['insolvent', 'struggling', 'stable', 'prosperous'] as const;
export type CompanyState = (typeof COMPANY_STATES)[number];

/** Budget levels that classify companies (configurable in the scenario file's `thresholds`). */
export interface BudgetThresholds {
  /** Below this budget (currency units) a company is insolvent. */
  readonly solventMinimum: number;
  /** A solvent company below this share of its initial budget is struggling. */
  readonly strugglingBelowShare: number;
  /** A company above this share of its initial budget is prosperous. */
  readonly prosperousAboveShare: number;
}

/** Budget figures for one turn; money in currency units. */
export interface BudgetFigures {
  readonly total: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly initialTotal: number;
  /** total - initialTotal. */
  readonly evolution: number;
  /** evolution as a percent of initialTotal. */
  readonly evolutionPercent: number;
  readonly companiesByState: Readonly<Record<CompanyState, number>>;
  /** Companies not insolvent. */
  readonly solvent: number;
  /** budget_refill events so far and the money they brought. */
  readonly refills: { readonly count: number; readonly amount: number };
  /** Median budget (computed on first read: it costs a sort). */
  readonly median: number;
  /** Gini coefficient of budgets, 0 = equal (computed on first read). */
  readonly gini: number;
}

interface BudgetScan {
  readonly total: number;
  readonly lo: number;
  readonly hi: number;
  readonly states: Readonly<Record<CompanyState, number>>;
}

/**
 * One pass over every company: sums, extremes, states, and a copy of the budgets into
 * `copy` (cents). A function of its own so the engine optimizes this hot loop alone.
 */
function scanBudgets(
  budgetsCents: ArrayLike<number>,
  initialBudgetsCents: ArrayLike<number>,
  copy: number[],
  thresholds: BudgetThresholds,
): BudgetScan {
  const n = copy.length;
  const solventCents = thresholds.solventMinimum * 100;
  const strugglingShare = thresholds.strugglingBelowShare;
  const prosperousShare = thresholds.prosperousAboveShare;
  let insolvent = 0;
  let struggling = 0;
  let prosperous = 0;
  let total = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < n; c++) {
    const cents = budgetsCents[c]!;
    const start = initialBudgetsCents[c]!;
    copy[c] = cents;
    total += cents;
    if (cents < lo) lo = cents;
    if (cents > hi) hi = cents;
    if (cents < solventCents) insolvent += 1;
    else if (cents < start * strugglingShare) struggling += 1;
    else if (cents > start * prosperousShare) prosperous += 1;
  }
  const stable = n - insolvent - struggling - prosperous;
  return { total, lo, hi, states: { insolvent, struggling, stable, prosperous } };
}

const makeBudgetFigures = defineLazyFigures(['median', 'gini']);

/** The budget service: totals, spread, inequality and solvency of the companies' budgets. */
export function budgetService(thresholds: BudgetThresholds): ServiceDefinition<BudgetFigures> {
  let refillCount = 0;
  let refillCents = 0;
  return {
    name: 'budget',
    compute({ report, world }) {
      for (const event of report.events) {
        if (event.type !== 'budget_refill') continue;
        refillCount += 1;
        refillCents += event.total;
      }
      const n = world.companies.length;
      // An on-heap array: a typed array's off-heap store costs far more to allocate every turn.
      const budgets: number[] = new Array(n);
      const scan = scanBudgets(world.budgetsCents, world.initialBudgetsCents, budgets, thresholds);
      const { total, lo, hi } = scan;
      // Fixed for the run: the world keeps it, no need to add it up every turn.
      const initial = world.totals().initialBudgetCents;
      const states = scan.states;
      // The copy above is this turn's; the sort happens only if someone reads these.
      let order: Float64Array | undefined;
      const byBudget = () => (order ??= sorted(budgets));
      return makeBudgetFigures({
        total: fromCents(total),
        mean: fromCents(total / n),
        min: fromCents(lo),
        max: fromCents(hi),
        initialTotal: fromCents(initial),
        evolution: fromCents(total - initial),
        evolutionPercent: initial === 0 ? 0 : ((total - initial) / initial) * 100,
        companiesByState: states,
        solvent: n - states.insolvent,
        refills: { count: refillCount, amount: fromCents(refillCents) },
      }, {
        median: () => fromCents(median(byBudget(), true)),
        gini: () => gini(byBudget(), true),
      });
    },
  };
}
