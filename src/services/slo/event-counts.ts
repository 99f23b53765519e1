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
 * samples of the counters.
 */
export class EventCounts {
  readonly #good: Float64Array;
  readonly #total: Float64Array;
  // Index of the newest running total; recorded: turns added since the start.
  #head = 0;
  #recorded = 0;

  constructor(readonly span: number) {
    this.#good = new Float64Array(span + 1);
    this.#total = new Float64Array(span + 1);
  }

  /** Adds one turn's events. */
  add(good: number, total: number): void {
    const size = this.#good.length;
    const next = (this.#head + 1) % size;
    this.#good[next] = this.goodSoFar + good;
    this.#total[next] = this.totalSoFar + total;
    this.#head = next;
    this.#recorded += 1;
  }

  /** Turns added since the start. */
  get recorded(): number {
    return this.#recorded;
  }

  get goodSoFar(): number {
    return this.#recorded === 0 ? 0 : this.#good[this.#head]!;
  }

  get totalSoFar(): number {
    return this.#recorded === 0 ? 0 : this.#total[this.#head]!;
  }

  #ago(column: Float64Array, turns: number): number {
    if (turns >= this.#recorded) return 0;
    const size = column.length;
    return column[(this.#head - turns + size) % size]!;
  }

  /** Good events of the newest `turns` turns (at most `span`). */
  good(turns: number): number {
    return this.goodSoFar - this.#ago(this.#good, turns);
  }

  /** All events of the newest `turns` turns (at most `span`). */
  total(turns: number): number {
    return this.totalSoFar - this.#ago(this.#total, turns);
  }

  saveState(): EventCountsState {
    return { good: this.#good.slice(), total: this.#total.slice(), head: this.#head, recorded: this.#recorded };
  }

  /** Takes back saveState's result of counts with the same span. */
  loadState(state: EventCountsState): void {
    if (state.good.length !== this.#good.length) return;
    this.#good.set(state.good);
    this.#total.set(state.total);
    this.#head = state.head;
    this.#recorded = state.recorded;
  }
}
