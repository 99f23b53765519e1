import type { Thresholds } from '../service-options.js';
import { fromCents } from '../figures/figures.js';
import { defineLazyFigures } from '../figures/lazy-figures.js';
import type { ServiceDefinition } from '../figure-service.js';
import { gini, median } from '../history/statistics.js';
import { BudgetBook, INSOLVENT, PROSPEROUS, STABLE, STRUGGLING } from './budget-book.js';
import { RecentBudgets } from './recent-budgets.js';

/** Where a company's budget puts it. */
export const COMPANY_STATES = ['insolvent', 'struggling', 'stable', 'prosperous'] as const;
export type CompanyState = (typeof COMPANY_STATES)[number];

/** Budget figures for one turn; money in currency units. */
export interface BudgetFigures {
  readonly total: number;
  /** Over the companies in the market (an exited company's empty slot is none); NaN with none, as min, max, median and gini. */
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly initialTotal: number;
  /** total - initialTotal. */
  readonly evolution: number;
  /** evolution as a percent of initialTotal (NaN when that is 0). */
  readonly evolutionPercent: number;
  /** By company slot: an exited company's empty slot, at 0, counts insolvent until an entrant takes it. */
  readonly companiesByState: Readonly<Record<CompanyState, number>>;
  /** Companies not insolvent. */
  readonly solvent: number;
  /** budget_refill events so far and the money they brought. */
  readonly refills: { readonly count: number; readonly amount: number };
  /**
   * Median budget (computed on first read: it costs a sort). NaN when first read once
   * BUDGET_ORDER_TURNS later turns have been recorded.
   */
  readonly median: number;
  /** Gini coefficient of budgets, 0 = equal (computed on first read; NaN as the median). */
  readonly gini: number;
}

/**
 * A snapshot's budget median and Gini sort that turn's budgets, kept in a ring of this many
 * copies: they can be first read until this many later turns have been recorded, and read
 * NaN after that (a value read in time is kept).
 */
export const BUDGET_ORDER_TURNS = 8;

const makeBudgetFigures = defineLazyFigures(['median', 'gini']);

/** The budget service: totals, spread, inequality and solvency of the companies' budgets. */
export function budgetService(thresholds: Thresholds): ServiceDefinition<BudgetFigures> {
  let refillCount = 0;
  let refillCents = 0;
  const recent = new RecentBudgets(BUDGET_ORDER_TURNS);
  let initial: number | undefined;
  return {
    name: 'budget',
    // The book and the sorted copies are made again from the world; the refills are not in it.
    saveState: () => ({ refillCount, refillCents }),
    loadState(state) {
      ({ refillCount, refillCents } = state as { refillCount: number; refillCents: number });
    },
    compute({ report, world }) {
      for (const event of report.events) {
        if (event.type !== 'budget_refill') continue;
        refillCount += 1;
        refillCents += event.total;
      }
      const n = world.companies.length;
      const book = new BudgetBook(world.initialBudgetsCents, thresholds);
      book.rebuild(world.budgetsCents, world.companyActive);
      const { total, lo, hi, inState, inMarket } = book;
      // Fixed for the run: read once (totals() copies every running total).
      initial ??= world.totals().initialBudgetCents;
      // This turn's budgets (a copy: the world moves on), sorted only if someone reads these.
      const { turn } = report;
      const slot = recent.keep(turn, world.budgetsCents, world.companyActive);
      return makeBudgetFigures(
        {
          total: fromCents(total),
          mean: inMarket === 0 ? Number.NaN : fromCents(total / inMarket),
          min: inMarket === 0 ? Number.NaN : fromCents(lo),
          max: inMarket === 0 ? Number.NaN : fromCents(hi),
          initialTotal: fromCents(initial),
          evolution: fromCents(total - initial),
          evolutionPercent: initial === 0 ? Number.NaN : ((total - initial) / initial) * 100,
          companiesByState: {
            insolvent: inState[INSOLVENT]!,
            struggling: inState[STRUGGLING]!,
            stable: inState[STABLE]!,
            prosperous: inState[PROSPEROUS]!,
          },
          solvent: n - inState[INSOLVENT]!,
          refills: { count: refillCount, amount: fromCents(refillCents) },
        },
        {
          median: () => {
            const order = recent.inOrder(turn, slot);
            return order && order.length > 0 ? fromCents(median(order, true)) : Number.NaN;
          },
          gini: () => {
            const order = recent.inOrder(turn, slot);
            // No budget above 0: no money to share out, so no inequality to measure.
            return order && order.length > 0 && order[order.length - 1]! > 0 ? gini(order, true) : Number.NaN;
          },
        },
      );
    },
  };
}
