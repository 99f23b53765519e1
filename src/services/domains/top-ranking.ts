import { RankedList } from './ranked-list.js';

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
  const list = new RankedList(size, population);
  const { entities: top, inList: inTop } = list;
  // The ranked entities before a refresh.
  const previous = new Int32Array(size);

  return {
    indices: top,
    rebuild(values) {
      list.clear();
      for (let e = 0; e < population; e++) list.insert(e, values[e]!);
    },
    refresh(values) {
      const lowest = list.floor();
      const ranked = top.length;
      for (let k = 0; k < ranked; k++) previous[k] = top[k]!;
      list.clear();
      for (let k = 0; k < ranked; k++) list.insert(previous[k]!, values[previous[k]!]!);
      for (let e = 0; e < population; e++) {
        const value = values[e]!;
        if (value >= lowest && inTop[e] === 0) list.insert(e, value);
      }
    },
    floor: () => list.floor(),
    update(changed, values, count) {
      // The list's lowest value before this turn: the ranked entities still have at least
      // that much, so a changed entity below it is neither ranked nor can it enter. That
      // spares most changes a lookup into `inTop`.
      const lowest = list.floor();
      // Take the moved ones out first: the rest keep their values, so stay in order, and
      // each moved one then ranks against entities whose place is already right.
      for (let i = 0; i < count; i++) {
        if (values[i]! >= lowest && inTop[changed[i]!] === 1) list.takeOutIfMoved(changed[i]!, values[i]!);
      }
      for (let i = 0; i < count; i++) {
        const value = values[i]!;
        if (value < lowest) continue;
        const entity = changed[i]!;
        // Still ranked: its value did not move (a budget refill), or it was listed earlier
        // in this turn with a smaller value.
        if (inTop[entity] === 1 && !list.takeOutIfMoved(entity, value)) continue;
        list.insert(entity, value);
      }
    },
  };
}
