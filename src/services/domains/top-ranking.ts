/**
 * The N entities with the highest value of a cumulative figure (one that never decreases,
 * such as money spent or units sold), highest first, ties to the lower index; entities at 0
 * are left out. Because values only grow, the new top N always lies within the old top N
 * plus the entities that changed, so a turn costs O(changed x N) at worst, not a scan. The
 * ranking keeps its members' values itself: an update reads only the changes it is given.
 */
export interface TopRanking {
  /** The ranked entity indices, highest first. Live: copy what must be kept. */
  readonly indices: readonly number[];
  /**
   * The lowest value an entity needs to be in the list after values grow: the last ranked
   * value when the list is full, else 0. Changes below it can be left out of `update`.
   */
  floor(): number;
  /** Ranks every entity afresh from `values` (indexed by entity). */
  rebuild(values: ArrayLike<number>): void;
  /**
   * Ranks every entity afresh from `values` when no value fell since the list was made:
   * only entities at or above its floor are ranked (the ranked ones still are), and the
   * ranked ones first, in their order, which mostly still holds.
   */
  refresh(values: ArrayLike<number>): void;
  /**
   * Re-ranks after some values grew: for i below `count`, entity `changed[i]` now has
   * `values[i]` (no other entity changed). An entity listed twice takes its last value.
   */
  update(changed: ArrayLike<number>, values: ArrayLike<number>, count: number): void;
}

/** A ranking of at most `size` entities out of `population`. */
export function createTopRanking(size: number, population: number): TopRanking {
  const top: number[] = [];
  // The value of each ranked entity, in the same order as `top`.
  const topValues: number[] = [];
  const inTop = new Uint8Array(population);

  /** Ranks `entity` (not in the list) into place, dropping the last when over size. */
  const insert = (entity: number, value: number) => {
    if (value <= 0 || size === 0) return;
    if (top.length === size) {
      const lastValue = topValues[size - 1]!;
      if (value < lastValue || (value === lastValue && entity > top[size - 1]!)) return;
    }
    let at = top.length;
    while (at > 0) {
      const otherValue = topValues[at - 1]!;
      if (otherValue > value || (otherValue === value && top[at - 1]! < entity)) break;
      at -= 1;
    }
    // Shift the lower ones down by hand: splice would make an array of what it removed.
    top.push(entity);
    topValues.push(value);
    for (let i = top.length - 1; i > at; i--) {
      top[i] = top[i - 1]!;
      topValues[i] = topValues[i - 1]!;
    }
    top[at] = entity;
    topValues[at] = value;
    inTop[entity] = 1;
    if (top.length > size) {
      inTop[top.pop()!] = 0;
      topValues.pop();
    }
  };

  /** Takes the entity at `at` out. */
  const removeAt = (at: number) => {
    inTop[top[at]!] = 0;
    for (let k = at; k < top.length - 1; k++) {
      top[k] = top[k + 1]!;
      topValues[k] = topValues[k + 1]!;
    }
    top.pop();
    topValues.pop();
  };

  /** Takes a ranked `entity` out unless it keeps `value`; whether it was taken out. */
  const takeOutIfMoved = (entity: number, value: number) => {
    const at = top.indexOf(entity);
    if (topValues[at] === value) return false;
    removeAt(at);
    return true;
  };

  // The ranked entities before a refresh.
  const previous = new Int32Array(size);

  const floor = () => (size > 0 && top.length === size ? topValues[size - 1]! : 0);

  return {
    indices: top,
    rebuild(values) {
      for (const entity of top) inTop[entity] = 0;
      top.length = 0;
      topValues.length = 0;
      for (let e = 0; e < population; e++) insert(e, values[e]!);
    },
    refresh(values) {
      const lowest = floor();
      const ranked = top.length;
      for (let k = 0; k < ranked; k++) {
        previous[k] = top[k]!;
        inTop[top[k]!] = 0;
      }
      top.length = 0;
      topValues.length = 0;
      for (let k = 0; k < ranked; k++) insert(previous[k]!, values[previous[k]!]!);
      for (let e = 0; e < population; e++) {
        const value = values[e]!;
        if (value >= lowest && inTop[e] === 0) insert(e, value);
      }
    },
    floor,
    update(changed, values, count) {
      // The list's lowest value before this turn: the ranked entities still have at least
      // that much, so a changed entity below it is neither ranked nor can it enter. That
      // spares most changes a lookup into `inTop`.
      const lowest = floor();
      // Take the moved ones out first: the rest keep their values, so stay in order, and
      // each moved one then ranks against entities whose place is already right.
      for (let i = 0; i < count; i++) {
        if (values[i]! >= lowest && inTop[changed[i]!] === 1) takeOutIfMoved(changed[i]!, values[i]!);
      }
      for (let i = 0; i < count; i++) {
        const value = values[i]!;
        if (value < lowest) continue;
        const entity = changed[i]!;
        // Still ranked: its value did not move (a budget refill), or it was listed earlier
        // in this turn with a smaller value.
        if (inTop[entity] === 1 && !takeOutIfMoved(entity, value)) continue;
        insert(entity, value);
      }
    },
  };
}
