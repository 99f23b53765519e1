import type { CompanyChanges } from '../../simulation/index.js';
import type { Thresholds } from '../service-options.js';
import { fromCents } from '../figures/figures.js';
import { defineLazyFigures } from '../figures/lazy-figures.js';
import type { ServiceDefinition } from '../metrics-service.js';
import { createTurnFollower } from './turn-follower.js';
import { gini, median, sortWholeNumbers } from '../history/statistics.js';

/** Where a company's budget puts it. */
export const COMPANY_STATES = ['insolvent', 'struggling', 'stable', 'prosperous'] as const;
export type CompanyState = (typeof COMPANY_STATES)[number];

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
  /**
   * Median budget (computed on first read: it costs a sort). NaN when first read once
   * BUDGET_ORDER_TURNS later turns have been recorded.
   */
  readonly median: number;
  /** Gini coefficient of budgets, 0 = equal (computed on first read; NaN as the median). */
  readonly gini: number;
}

/** Which extremes a turn's records moved inward (bits). */
const LOWEST_MOVED = 1;
const HIGHEST_MOVED = 2;

const INSOLVENT = 0;
const STRUGGLING = 1;
const STABLE = 2;
const PROSPEROUS = 3;

/** A company's state, from its budget and the limits that apply to it (all in cents). */
function stateOf(cents: number, solventCents: number, strugglingCents: number, prosperousCents: number): number {
  if (cents < solventCents) return INSOLVENT;
  if (cents < strugglingCents) return STRUGGLING;
  return cents > prosperousCents ? PROSPEROUS : STABLE;
}

/**
 * The budgets' sum, extremes and the count of companies in each state as of the last turn
 * seen, kept current from the engine's record of each turn's changes (each with the budget
 * after it, the change and the company's initial budget) rather than by a scan of every
 * company: the records come in purchase order, and a lookup per record into an array of
 * companies would miss the caches on large worlds.
 */
class BudgetBook {
  readonly inState = [0, 0, 0, 0];
  total = 0;
  lo = 0;
  hi = 0;
  private readonly solventCents: number;

  constructor(
    private readonly initialCents: ArrayLike<number>,
    private readonly thresholds: Thresholds,
  ) {
    this.solventCents = thresholds.solventMinimum * 100;
  }

  /** Takes every company's budget afresh. */
  rebuild(budgets: ArrayLike<number>): void {
    this.inState.fill(0);
    this.total = 0;
    const { strugglingBelowShare, prosperousAboveShare } = this.thresholds;
    for (let c = 0; c < budgets.length; c++) {
      const cents = budgets[c]!;
      const initial = this.initialCents[c]!;
      this.inState[
        stateOf(cents, this.solventCents, initial * strugglingBelowShare, initial * prosperousAboveShare)
      ]! += 1;
      this.total += cents;
    }
    this.rescanLowest(budgets);
    this.rescanHighest(budgets);
  }

  /**
   * Applies a turn's changes, in order; `budgets` are the budgets after them all. The sums
   * are kept in locals through the loop (fields would be reloaded and stored per record).
   */
  update(changes: CompanyChanges, budgets: ArrayLike<number>): void {
    // The lowest or highest company moved inward: someone else may now hold that extreme.
    const moved = this.apply(changes);
    if (moved & LOWEST_MOVED) this.rescanLowest(budgets);
    if (moved & HIGHEST_MOVED) this.rescanHighest(budgets);
  }

  /**
   * The pass over the records; which extremes moved inward (LOWEST_MOVED, HIGHEST_MOVED). Nothing after its loop runs
   * only on some turns (see the company service's purchase spread for why).
   */
  private apply(changes: CompanyChanges): number {
    const { budgetCents, budgetChangeCents, initialBudgetCents } = changes;
    const { inState, solventCents } = this;
    const { strugglingBelowShare, prosperousAboveShare } = this.thresholds;
    // With the prosperous limit at or above the struggling one, a budget above it and above
    // the solvent minimum is prosperous: the test below is then the state test.
    const prosperousOnTop = prosperousAboveShare >= strugglingBelowShare;
    let { total, lo, hi } = this;
    let moved = 0;
    // No early `continue` for a change of 0 (the engine records none): in V8 that branch
    // cost a third of the loop. A 0 change would leave every figure as it is.
    for (let i = 0; i < changes.count; i++) {
      const change = budgetChangeCents[i]!;
      const cents = budgetCents[i]!;
      const before = cents - change;
      total += change;
      // Crossing a limit is rare, and on a market that grows rich most records are about a
      // company that stays prosperous: that case first, with one multiplication.
      const prosperous = initialBudgetCents[i]! * prosperousAboveShare;
      const staysProsperous =
        prosperousOnTop && before > prosperous && cents > prosperous && before >= solventCents && cents >= solventCents;
      if (!staysProsperous) {
        const struggling = initialBudgetCents[i]! * strugglingBelowShare;
        const wasIn = stateOf(before, solventCents, struggling, prosperous);
        const isIn = stateOf(cents, solventCents, struggling, prosperous);
        if (isIn !== wasIn) {
          inState[wasIn]! -= 1;
          inState[isIn]! += 1;
        }
      }
      if (cents < lo) lo = cents;
      else if (before === lo) moved |= LOWEST_MOVED;
      if (cents > hi) hi = cents;
      else if (before === hi) moved |= HIGHEST_MOVED;
    }
    this.total = total;
    this.lo = lo;
    this.hi = hi;
    return moved;
  }

  // One extreme at a time, and plain comparisons (Math.min and Math.max cost more per
  // element): on large the richest company buys in about one turn in three.
  private rescanLowest(budgets: ArrayLike<number>): void {
    let lo = Number.POSITIVE_INFINITY;
    for (let c = 0; c < budgets.length; c++) if (budgets[c]! < lo) lo = budgets[c]!;
    this.lo = lo;
  }

  private rescanHighest(budgets: ArrayLike<number>): void {
    let hi = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < budgets.length; c++) if (budgets[c]! > hi) hi = budgets[c]!;
    this.hi = hi;
  }
}

/**
 * A snapshot's budget median and Gini sort that turn's budgets, kept in a ring of this many
 * copies: they can be first read until this many later turns have been recorded, and read
 * NaN after that (a value read in time is kept).
 */
export const BUDGET_ORDER_TURNS = 8;

/**
 * The budgets of the last few turns, for the median and Gini computed on read. Copying into
 * a reused buffer costs a tenth of allocating one (fresh memory faults its pages in): a
 * copy per turn into a new array was the budget service's largest cost on large worlds.
 */
class RecentBudgets {
  private readonly copies: Float64Array[] = [];
  /** The turn each copy holds, and whether it is sorted (its order is all the figures need). */
  private readonly turnOf: number[] = [];
  private readonly sorted: boolean[] = [];

  constructor(private readonly size: number) {}

  /** Keeps this turn's budgets; returns the slot to read them from. */
  keep(turn: number, cents: ArrayLike<number>): number {
    const slot = turn % this.size;
    let copy = this.copies[slot];
    if (!copy || copy.length !== cents.length) {
      copy = new Float64Array(cents.length);
      this.copies[slot] = copy;
    }
    copy.set(cents);
    this.turnOf[slot] = turn;
    this.sorted[slot] = false;
    return slot;
  }

  /** The budgets of `turn` in ascending order, or undefined once its copy was reused. */
  inOrder(turn: number, slot: number): Float64Array | undefined {
    if (this.turnOf[slot] !== turn) return undefined;
    const copy = this.copies[slot]!;
    if (!this.sorted[slot]) {
      sortWholeNumbers(copy);
      this.sorted[slot] = true;
    }
    return copy;
  }
}

const makeBudgetFigures = defineLazyFigures(['median', 'gini']);

/** The budget service: totals, spread, inequality and solvency of the companies' budgets. */
export function budgetService(thresholds: Thresholds): ServiceDefinition<BudgetFigures> {
  let refillCount = 0;
  let refillCents = 0;
  let book: BudgetBook | undefined;
  const recent = new RecentBudgets(BUDGET_ORDER_TURNS);
  let initial: number | undefined;
  const followsLastTurn = createTurnFollower();
  return {
    name: 'budget',
    compute({ report, world }) {
      for (const event of report.events) {
        if (event.type !== 'budget_refill') continue;
        refillCount += 1;
        refillCents += event.total;
      }
      const n = world.companies.length;
      const follows = followsLastTurn(report.turn);
      if (!book || !follows) {
        // First turn seen, or turns were played unseen: take every budget.
        book = new BudgetBook(world.initialBudgetsCents, thresholds);
        book.rebuild(world.budgetsCents);
      } else {
        book.update(world.companyChanges(), world.budgetsCents);
      }
      const { total, lo, hi, inState } = book;
      // Fixed for the run: read once (totals() copies every running total).
      initial ??= world.totals().initialBudgetCents;
      // This turn's budgets (a copy: the world moves on), sorted only if someone reads these.
      const { turn } = report;
      const slot = recent.keep(turn, world.budgetsCents);
      return makeBudgetFigures(
        {
          total: fromCents(total),
          mean: n === 0 ? 0 : fromCents(total / n),
          min: n === 0 ? 0 : fromCents(lo),
          max: n === 0 ? 0 : fromCents(hi),
          initialTotal: fromCents(initial),
          evolution: fromCents(total - initial),
          evolutionPercent: initial === 0 ? 0 : ((total - initial) / initial) * 100,
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
            return order ? fromCents(median(order, true)) : Number.NaN;
          },
          gini: () => {
            const order = recent.inOrder(turn, slot);
            return order ? gini(order, true) : Number.NaN;
          },
        },
      );
    },
  };
}
