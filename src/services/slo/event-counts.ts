/** The event counts of one SLO, structured-clonable for a checkpoint. */
export interface EventCountsState {
  readonly good: Float64Array;
  readonly total: Float64Array;
  readonly head: number;
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
  private readonly goods: Float64Array;
  private readonly totals: Float64Array;
  // Index of the newest running total in the rings.
  private head = 0;
  /** Turns added since the start. */
  recorded = 0;
  /** Good and all events since the start. */
  goodSoFar = 0;
  totalSoFar = 0;

  constructor(readonly span: number) {
    this.goods = new Float64Array(span + 1);
    this.totals = new Float64Array(span + 1);
  }

  /** Adds one turn's events. */
  add(good: number, total: number): void {
    const next = this.head + 1 === this.goods.length ? 0 : this.head + 1;
    this.goodSoFar += good;
    this.totalSoFar += total;
    this.goods[next] = this.goodSoFar;
    this.totals[next] = this.totalSoFar;
    this.head = next;
    this.recorded += 1;
  }

  /** Where the running totals of `turns` turns ago are, or -1 before the first turn. */
  private indexAgo(turns: number): number {
    if (turns >= this.recorded) return -1;
    const i = this.head - turns;
    return i < 0 ? i + this.goods.length : i;
  }

  /** Good events of the newest `turns` turns (at most `span`). */
  good(turns: number): number {
    const i = this.indexAgo(turns);
    return i < 0 ? this.goodSoFar : this.goodSoFar - this.goods[i]!;
  }

  /** All events of the newest `turns` turns (at most `span`). */
  total(turns: number): number {
    const i = this.indexAgo(turns);
    return i < 0 ? this.totalSoFar : this.totalSoFar - this.totals[i]!;
  }

  saveState(): EventCountsState {
    return { good: this.goods.slice(), total: this.totals.slice(), head: this.head, recorded: this.recorded };
  }

  /** Takes back saveState's result of counts with the same span (others start afresh). */
  loadState(state: EventCountsState): void {
    if (state.good.length !== this.goods.length) return;
    this.goods.set(state.good);
    this.totals.set(state.total);
    this.head = state.head;
    this.recorded = state.recorded;
    this.goodSoFar = state.recorded === 0 ? 0 : state.good[state.head]!;
    this.totalSoFar = state.recorded === 0 ? 0 : state.total[state.head]!;
  }
}
