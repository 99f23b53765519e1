import { describe, expect, it } from 'vitest';
import { changesInOrder, createChangeLog, markChanged } from '../../src/simulation/change-log.js';

describe('change log', () => {
  const marked = (size: number, indices: number[], turn: number) => {
    const log = createChangeLog(size);
    for (const i of indices) markChanged(log, i, turn);
    return log;
  };

  it('lists a short turn sorted, each entity once', () => {
    const log = marked(1_000, [40, 7, 40, 999, 0, 7], 3);
    expect(Array.from(changesInOrder(log, 3))).toEqual([0, 7, 40, 999]);
  });

  it('lists a long turn (rebuilt by a scan of the marks) in order, each entity once', () => {
    // Over a sixteenth of the entities: the scan path, which must skip marks of older turns.
    const log = marked(64, [63, 5, 9, 5, 0, 31, 32, 9], 2);
    log.markedIn[10] = 1;
    expect(Array.from(changesInOrder(log, 2))).toEqual([0, 5, 9, 31, 32, 63]);
    // Asked again in the same turn: the same list, not re-ordered.
    expect(Array.from(changesInOrder(log, 2))).toEqual([0, 5, 9, 31, 32, 63]);
  });

  it('lists nothing for a turn without changes', () => {
    expect(changesInOrder(createChangeLog(10), 1)).toHaveLength(0);
  });
});
