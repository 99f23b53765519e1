/**
 * The entities whose state changed during the current turn, each listed once, so readers
 * can update figures from what changed instead of scanning every entity. Marking costs a
 * compare and a store; the list is cleared at the start of each turn.
 */
export interface ChangeLog {
  /** Changed indices; the first `count` entries are valid. */
  readonly indices: Int32Array;
  count: number;
  /** The turn each entity was last marked in (0 = never): keeps the list free of repeats. */
  readonly markedIn: Int32Array;
  /** The turn whose list was last put in index order (see changesInOrder). */
  orderedIn: number;
}

/** A change log for `size` entities. */
export function createChangeLog(size: number): ChangeLog {
  return { indices: new Int32Array(size), count: 0, markedIn: new Int32Array(size), orderedIn: 0 };
}

/** Records that entity `index` changed in `turn` (once per turn). */
export function markChanged(log: ChangeLog, index: number, turn: number): void {
  if (log.markedIn[index] === turn) return;
  log.markedIn[index] = turn;
  log.indices[log.count] = index;
  log.count += 1;
}

/**
 * The entities changed in `turn`, in ascending index order: readers then walk their
 * per-entity arrays front to back, which the memory system serves far faster than the
 * random order purchases happen in. A short list is sorted; a long one is rebuilt by a scan
 * of the marks. Done once per turn; a view valid until the next turn.
 */
export function changesInOrder(log: ChangeLog, turn: number): Int32Array {
  const changed = log.indices.subarray(0, log.count);
  if (log.orderedIn === turn) return changed;
  log.orderedIn = turn;
  if (log.count * 16 < log.markedIn.length) return changed.sort();
  // Without a branch: a third of the entities changing makes one unpredictable, and the
  // mispredictions cost several times the scan itself.
  const { indices, markedIn } = log;
  let n = 0;
  for (let i = 0; i < markedIn.length; i++) {
    indices[n] = i;
    n += Number(markedIn[i] === turn);
  }
  return changed;
}
