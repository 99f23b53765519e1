import type { Thresholds } from '../service-options.js';

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
 * The budgets' sum, extremes and the count of companies in each state as of the last turn.
 * Invariant: after `rebuild(budgets, active)`, `total` is the sum of `budgets`, `lo` and `hi`
 * the minimum and maximum over the `inMarket` slots whose `active` is 1 (Infinity and -Infinity
 * when none is: an empty slot's 0 is no company's budget), and `inState[k]` counts the slots
 * whose budget puts them in state k (an empty slot, at 0, is insolvent). Every budget moves
 * every turn (sales and fixed costs), so it is taken whole.
 */
export class BudgetBook {
  readonly inState = [0, 0, 0, 0];
  total = 0;
  lo = 0;
  hi = 0;
  inMarket = 0;
  private readonly solventCents: number;

  constructor(
    private readonly initialCents: ArrayLike<number>,
    private readonly thresholds: Thresholds,
  ) {
    this.solventCents = thresholds.solventMinimum * 100;
  }

  /** Takes every company's budget afresh, in one pass kept in locals and stored once. */
  rebuild(budgets: ArrayLike<number>, active: ArrayLike<number>): void {
    const { strugglingBelowShare, prosperousAboveShare } = this.thresholds;
    const { solventCents, initialCents } = this;
    let total = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let insolvent = 0;
    let struggling = 0;
    let prosperous = 0;
    let inMarket = 0;
    const n = budgets.length;
    for (let c = 0; c < n; c++) {
      const cents = budgets[c]!;
      const initial = initialCents[c]!;
      total += cents;
      if (active[c] === 1) {
        inMarket += 1;
        if (cents < lo) lo = cents;
        if (cents > hi) hi = cents;
      }
      if (cents < solventCents) insolvent += 1;
      else if (cents < initial * strugglingBelowShare) struggling += 1;
      else if (cents > initial * prosperousAboveShare) prosperous += 1;
    }
    this.total = total;
    this.lo = lo;
    this.hi = hi;
    this.inMarket = inMarket;
    this.inState[INSOLVENT] = insolvent;
    this.inState[STRUGGLING] = struggling;
    this.inState[PROSPEROUS] = prosperous;
    this.inState[STABLE] = n - insolvent - struggling - prosperous;
  }
}
