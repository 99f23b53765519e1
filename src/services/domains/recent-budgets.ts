import { sortWholeNumbers } from '../history/statistics.js';

/**
 * Invariant: `inOrder(turn, slot)` is the budgets `keep(turn, ...)` was given of the slots
 * marked active, ascending, until `size` later turns have been kept; then undefined.
 *
 * The budgets of the last few turns, for the median and Gini computed on read. Copying into
 * a reused buffer costs a tenth of allocating one (fresh memory faults its pages in): a
 * copy per turn into a new array was the budget service's largest cost on large worlds.
 */
export class RecentBudgets {
  private readonly copies: Float64Array[] = [];
  /** The turn each copy holds, and whether it is sorted (its order is all the figures need). */
  private readonly turnOf: number[] = [];
  private readonly sorted: boolean[] = [];
  /** How many budgets each copy holds (its companies in the market). */
  private readonly lengths: number[] = [];

  constructor(private readonly size: number) {}

  /** Keeps this turn's budgets of the slots whose `active` is 1; returns the slot to read them from. */
  keep(turn: number, cents: ArrayLike<number>, active: ArrayLike<number>): number {
    const slot = turn % this.size;
    let copy = this.copies[slot];
    if (!copy || copy.length !== cents.length) {
      copy = new Float64Array(cents.length);
      this.copies[slot] = copy;
    }
    let count = 0;
    for (let c = 0; c < cents.length; c++) if (active[c] === 1) copy[count++] = cents[c]!;
    this.lengths[slot] = count;
    this.turnOf[slot] = turn;
    this.sorted[slot] = false;
    return slot;
  }

  /** The budgets of `turn` in ascending order, or undefined once its copy was reused. */
  inOrder(turn: number, slot: number): Float64Array | undefined {
    if (this.turnOf[slot] !== turn) return undefined;
    const copy = this.copies[slot]!.subarray(0, this.lengths[slot]);
    if (!this.sorted[slot]) {
      sortWholeNumbers(copy);
      this.sorted[slot] = true;
    }
    return copy;
  }
}
