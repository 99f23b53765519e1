/** The event counts of one SLO, structured-clonable for a checkpoint. */
export interface EventCountsState {
  /** The running totals kept, oldest first. */
  readonly good: Float64Array;
  readonly total: Float64Array;
  readonly recorded: number;
}

/**
 * Running totals of an SLO's good and all events, turn by turn, over the last `span` turns.
 * Invariant: `good(k)` and `total(k)` are the events of the newest k turns (all of them when
 * fewer were recorded), i.e. the running total now minus the one k turns ago, the totals
 * before the first turn being 0: the same difference PromQL's `increase` takes between two
 * samples of the counters. A class with plain fields: it is read a dozen times a turn.
 */
export class EventCounts {
  // The running totals of good and all events side by side (good at 2i, all at 2i + 1): a
  // window reads both from one cache line, far back in a long SLO window.
  private readonly sums: Float64Array;
  /** Running totals the ring holds: span + 1. */
  private readonly slots: number;
  // Index of the newest running totals in the ring, and how many slots hold some.
  private head = 0;
  private kept = 0;
  /** Turns added since the start. */
  recorded = 0;
  /** Good and all events since the start. */
  goodSoFar = 0;
  totalSoFar = 0;

  constructor(readonly span: number) {
    this.slots = span + 1;
    this.sums = new Float64Array(2 * this.slots);
  }

  /** Adds one turn's events. */
  add(good: number, total: number): void {
    const next = this.head + 1 === this.slots ? 0 : this.head + 1;
    this.goodSoFar += good;
    this.totalSoFar += total;
    this.sums[2 * next] = this.goodSoFar;
    this.sums[2 * next + 1] = this.totalSoFar;
    this.head = next;
    this.recorded += 1;
    if (this.kept < this.slots) this.kept += 1;
  }

  /** Where the running totals of `turns` turns ago are, or -1 before the first turn. */
  private indexAgo(turns: number): number {
    if (turns >= this.recorded) return -1;
    // Only after a checkpoint of a shorter span: the oldest total kept stands for older ones.
    const back = turns < this.kept ? turns : this.kept - 1;
    const i = this.head - back;
    return i < 0 ? i + this.slots : i;
  }

  /** Good events of the newest `turns` turns (at most `span`). */
  good(turns: number): number {
    const i = this.indexAgo(turns);
    return i < 0 ? this.goodSoFar : this.goodSoFar - this.sums[2 * i]!;
  }

  /** All events of the newest `turns` turns (at most `span`). */
  total(turns: number): number {
    const i = this.indexAgo(turns);
    return i < 0 ? this.totalSoFar : this.totalSoFar - this.sums[2 * i + 1]!;
  }

  /** The kept running totals, oldest first (no more than were recorded: a short run's checkpoint stays small). */
  saveState(): EventCountsState {
    const n = this.kept;
    const good = new Float64Array(n);
    const total = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = this.indexAgo(n - 1 - k);
      good[k] = this.sums[2 * i]!;
      total[k] = this.sums[2 * i + 1]!;
    }
    return { good, total, recorded: this.recorded };
  }

  /** Takes back saveState's result (of counts of any span: the newest totals that fit are kept). */
  loadState(state: EventCountsState): void {
    const n = Math.min(state.good.length, this.slots);
    const from = state.good.length - n;
    for (let k = 0; k < n; k++) {
      this.sums[2 * k] = state.good[from + k]!;
      this.sums[2 * k + 1] = state.total[from + k]!;
    }
    this.head = n - 1 < 0 ? 0 : n - 1;
    this.kept = n;
    this.recorded = state.recorded;
    this.goodSoFar = n === 0 ? 0 : state.good[state.good.length - 1]!;
    this.totalSoFar = n === 0 ? 0 : state.total[state.total.length - 1]!;
  }
}
