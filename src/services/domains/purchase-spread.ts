import type { CompanyChanges } from '../../simulation/index.js';

/**
 * The records of one turn whose spend reached the top list's floor, in record order: only
 * they can move the list (most records are far below it). Operations records (sales, fixed
 * costs) are left out: they change no spend.
 */
export class SpendCandidates {
  count = 0;
  entity = new Int32Array(64);
  value = new Float64Array(64);
  /** The index of each candidate's record in the turn's journal. */
  record = new Int32Array(64);

  push(entity: number, value: number, record: number): void {
    if (this.count === this.entity.length) {
      const size = 2 * this.count;
      this.entity = grown(this.entity, new Int32Array(size));
      this.value = grown(this.value, new Float64Array(size));
      this.record = grown(this.record, new Int32Array(size));
    }
    this.entity[this.count] = entity;
    this.value[this.count] = value;
    this.record[this.count] = record;
    this.count += 1;
  }
}

/** `to` holding `from` at its start. */
function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** How many purchase counts from the lowest up `PurchaseSpread` keeps the companies of. */
export const LOW_COUNTS = 32;

/** Records a call of `PurchaseSpread.scanSlice` reads (see `scan`). */
const SCAN_SLICE = 512;

/**
 * Invariant: after `rebuild(counts)` or `update(changes, counts, floor)`, `total`, `lo` and
 * `hi` are the sum, minimum and maximum of `counts`; after `update`, `candidates` holds, in
 * record order, every record of the turn outside its operations records whose spend is at
 * least `floor`.
 *
 * The spread of purchase counts over companies, kept current from each turn's purchases.
 * Counts only grow, one at a time: the highest is the highest seen. For the lowest, the
 * companies at each of the LOW_COUNTS counts from the lowest up are kept; when the last
 * company at the lowest buys, the lowest moves up to the next count held. Every company's
 * count is read again only once the lowest has moved up LOW_COUNTS times, not at each move.
 */
export class PurchaseSpread {
  total = 0;
  lo = 0;
  hi = 0;
  /** Companies whose count is lo + k, for k < `known`. */
  private readonly atLow = new Int32Array(LOW_COUNTS);
  private known = 0;
  /** The last turn's candidates for the top-by-spend list, found in the same pass. */
  readonly candidates = new SpendCandidates();

  /** Takes every company's count afresh. */
  rebuild(counts: ArrayLike<number>): void {
    this.total = 0;
    this.hi = 0;
    for (let c = 0; c < counts.length; c++) {
      this.total += counts[c]!;
      this.hi = Math.max(this.hi, counts[c]!);
    }
    this.rescanLowest(counts);
  }

  /**
   * Applies a turn's changes; `counts` are the counts after them all. The same pass picks
   * the records whose spend is at least `spendFloor` into `candidates`: the service reads
   * the turn's records once (each pass over them costs about as much as the work in it).
   */
  update(changes: CompanyChanges, counts: ArrayLike<number>, spendFloor: number): void {
    this.scan(changes, spendFloor);
    const atLow = this.atLow;
    while (this.known > 0 && atLow[0] === 0) {
      atLow.copyWithin(0, 1, this.known);
      this.known -= 1;
      atLow[this.known] = 0;
      this.lo += 1;
    }
    if (this.known === 0 && counts.length > 0) this.rescanLowest(counts);
  }

  /** The pass itself, a slice of records at a time: short calls are optimized from full feedback. */
  private scan(changes: CompanyChanges, spendFloor: number): void {
    this.candidates.count = 0;
    this.scanRange(changes, spendFloor, 0, changes.count);
  }

  private scanRange(changes: CompanyChanges, spendFloor: number, start: number, end: number): void {
    for (let from = start; from < end; from += SCAN_SLICE) {
      this.scanSlice(changes, spendFloor, from, Math.min(end, from + SCAN_SLICE));
    }
  }

  /**
   * Records `from` to `to`, with nothing after the loop that runs only on some turns (such
   * code, compiled with the loop before it ever ran, would deoptimize on every call).
   */
  private scanSlice(changes: CompanyChanges, spendFloor: number, from: number, to: number): void {
    const { purchased, purchases, company, spentCents } = changes;
    const { candidates, atLow, known, lo } = this;
    let { total, hi } = this;
    for (let i = from; i < to; i++) {
      const spent = spentCents[i]!;
      if (spent >= spendFloor) candidates.push(company[i]!, spent, i);
      if (purchased[i] === 1) {
        const after = purchases[i]!;
        total += 1;
        if (after > hi) hi = after;
        // Its count was lo + k: rare, as most companies are far above the lowest.
        const k = after - 1 - lo;
        if (k < known) {
          atLow[k]! -= 1;
          if (k + 1 < known) atLow[k + 1]! += 1;
        }
      }
    }
    this.total = total;
    this.hi = hi;
  }

  /** Finds the lowest count, then the companies at each of the LOW_COUNTS counts from it. */
  private rescanLowest(counts: ArrayLike<number>): void {
    let lo = Number.POSITIVE_INFINITY;
    for (let c = 0; c < counts.length; c++) if (counts[c]! < lo) lo = counts[c]!;
    this.atLow.fill(0);
    if (counts.length === 0) {
      this.lo = 0;
      this.known = 0;
      return;
    }
    for (let c = 0; c < counts.length; c++) {
      const k = counts[c]! - lo;
      if (k < LOW_COUNTS) this.atLow[k]! += 1;
    }
    this.lo = lo;
    this.known = LOW_COUNTS;
  }
}
