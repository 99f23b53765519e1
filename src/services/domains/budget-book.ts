import type { CompanyChanges } from '../../simulation/index.js';
import type { Thresholds } from '../service-options.js';

/** Which extremes a turn's records moved inward (bits). */
const LOWEST_MOVED = 1;
const HIGHEST_MOVED = 2;

/** Indices of BudgetBook.inState, in COMPANY_STATES order. */
export const INSOLVENT = 0;
export const STRUGGLING = 1;
export const STABLE = 2;
export const PROSPEROUS = 3;

/** A company's state, from its budget and the limits that apply to it (all in cents). */
function stateOf(cents: number, solventCents: number, strugglingCents: number, prosperousCents: number): number {
  if (cents < solventCents) return INSOLVENT;
  if (cents < strugglingCents) return STRUGGLING;
  return cents > prosperousCents ? PROSPEROUS : STABLE;
}

/** A company's state (an index of COMPANY_STATES) from its budget and initial budget, in cents. */
export function companyStateIndex(cents: number, initialCents: number, thresholds: Thresholds): number {
  const { solventMinimum, strugglingBelowShare, prosperousAboveShare } = thresholds;
  return stateOf(cents, solventMinimum * 100, initialCents * strugglingBelowShare, initialCents * prosperousAboveShare);
}

/**
 * Invariant: after `rebuild(budgets)` or `update(changes, budgets)`, `total`, `lo` and `hi`
 * are the sum, minimum and maximum of `budgets`, and `inState[k]` counts the companies whose
 * budget puts them in state k.
 *
 * The budgets' sum, extremes and the count of companies in each state as of the last turn
 * seen, kept current from the engine's record of each turn's changes (each with the budget
 * after it, the change and the company's initial budget) rather than by a scan of every
 * company: the records come in purchase order, and a lookup per record into an array of
 * companies would miss the caches on large worlds.
 */
export class BudgetBook {
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

  /**
   * Takes every company's budget afresh, in one pass: the sums, the extremes and the states
   * are kept in locals and stored once (a field or an array slot written per company cost
   * about 20 ns a company; this loop does a few).
   */
  rebuild(budgets: ArrayLike<number>): void {
    const { strugglingBelowShare, prosperousAboveShare } = this.thresholds;
    const { solventCents, initialCents } = this;
    let total = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let insolvent = 0;
    let struggling = 0;
    let prosperous = 0;
    const n = budgets.length;
    for (let c = 0; c < n; c++) {
      const cents = budgets[c]!;
      const initial = initialCents[c]!;
      total += cents;
      if (cents < lo) lo = cents;
      if (cents > hi) hi = cents;
      if (cents < solventCents) insolvent += 1;
      else if (cents < initial * strugglingBelowShare) struggling += 1;
      else if (cents > initial * prosperousAboveShare) prosperous += 1;
    }
    this.total = total;
    this.lo = lo;
    this.hi = hi;
    this.inState[INSOLVENT] = insolvent;
    this.inState[STRUGGLING] = struggling;
    this.inState[PROSPEROUS] = prosperous;
    this.inState[STABLE] = n - insolvent - struggling - prosperous;
  }

  /**
   * Applies a turn's changes, in order; `budgets` are the budgets after them all. The sums
   * are kept in locals through the loop (fields would be reloaded and stored per record).
   */
  update(changes: CompanyChanges, budgets: ArrayLike<number>): void {
    // With a record or more per company (sales and fixed costs move every budget every turn),
    // one pass over the budgets in order costs less than the records in purchase order.
    if (changes.count >= budgets.length) {
      this.rebuild(budgets);
      return;
    }
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
