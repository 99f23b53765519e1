/**
 * The N entities with the highest value of a cumulative figure (one that never decreases,
 * such as money spent or units sold), highest first, ties to the lower index; entities at 0
 * are left out. Because values only grow, the new top N always lies within the old top N
 * plus the entities that changed, so a turn costs O(changed x N) at worst, not a scan.
 */
export interface TopRanking {
  /** The ranked entity indices, highest first. Live: copy what must be kept. */
  readonly indices: readonly number[];
  /** Ranks every entity afresh. */
  rebuild(values: ArrayLike<number>): void;
  /** Re-ranks after the values of `changed` entities grew (and of no other). */
  update(values: ArrayLike<number>, changed: ArrayLike<number>): void;
}

/** A ranking of at most `size` entities out of `population`. */
export function createTopRanking(size: number, population: number): TopRanking {
  const top: number[] = [];
  const inTop = new Uint8Array(population);

  /** Ranks `entity` (not in the list) into place, dropping the last when over size. */
  const insert = (values: ArrayLike<number>, entity: number) => {
    const value = values[entity]!;
    if (value <= 0 || size === 0) return;
    if (top.length === size) {
      const last = top[size - 1]!;
      const lastValue = values[last]!;
      if (value < lastValue || (value === lastValue && entity > last)) return;
    }
    let at = top.length;
    while (at > 0) {
      const other = top[at - 1]!;
      const otherValue = values[other]!;
      if (otherValue > value || (otherValue === value && other < entity)) break;
      at -= 1;
    }
    // Shift the lower ones down by hand: splice would make an array of what it removed.
    top.push(entity);
    for (let i = top.length - 1; i > at; i--) top[i] = top[i - 1]!;
    top[at] = entity;
    inTop[entity] = 1;
    if (top.length > size) inTop[top.pop()!] = 0;
  };

  return {
    indices: top,
    rebuild(values) {
      for (const entity of top) inTop[entity] = 0;
      top.length = 0;
      for (let e = 0; e < population; e++) insert(values, e);
    },
    update(values, changed) {
      // Take the changed ones out first: the rest keep their values, so stay in order, and
      // each changed one then ranks against entities whose place is already right.
      for (let i = 0; i < changed.length; i++) {
        const entity = changed[i]!;
        if (inTop[entity] !== 1) continue;
        const at = top.indexOf(entity);
        for (let k = at; k < top.length - 1; k++) top[k] = top[k + 1]!;
        top.pop();
        inTop[entity] = 0;
      }
      for (let i = 0; i < changed.length; i++) {
        if (inTop[changed[i]!] !== 1) insert(values, changed[i]!);
      }
    },
  };
}
