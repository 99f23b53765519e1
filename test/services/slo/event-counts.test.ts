import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventCounts } from '../../../src/services/slo/event-counts.js';

describe('EventCounts', () => {
  it('answers the events of the newest k turns, all of them when fewer were recorded', () => {
    const counts = new EventCounts(3);
    expect([counts.good(2), counts.total(2), counts.recorded]).toEqual([0, 0, 0]);
    counts.add(1, 2);
    counts.add(3, 4);
    expect([counts.good(1), counts.total(1), counts.good(5), counts.total(5)]).toEqual([3, 4, 4, 6]);
  });

  it('is, for every k up to its span, the sum of the newest k turns (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { maxLength: 40 }),
        (span, turns) => {
          const counts = new EventCounts(span);
          for (const [good, extra] of turns) counts.add(good, good + extra);
          for (let k = 1; k <= span; k++) {
            const newest = turns.slice(Math.max(0, turns.length - k));
            expect(counts.good(k)).toBe(newest.reduce((a, [g]) => a + g, 0));
            expect(counts.total(k)).toBe(newest.reduce((a, [g, e]) => a + g + e, 0));
          }
        },
      ),
    );
  });

  it('comes back whole from saveState', () => {
    const counts = new EventCounts(4);
    for (let t = 1; t <= 9; t++) counts.add(t, 2 * t);
    const copy = new EventCounts(4);
    copy.loadState(structuredClone(counts.saveState()));
    counts.add(1, 1);
    copy.add(1, 1);
    expect([copy.good(4), copy.total(4), copy.goodSoFar, copy.recorded]).toEqual([
      counts.good(4),
      counts.total(4),
      counts.goodSoFar,
      counts.recorded,
    ]);
  });
});

describe('EventCounts checkpoints', () => {
  it('save no more totals than were recorded, and a wrapped ring oldest first', () => {
    const short = new EventCounts(100);
    short.add(1, 1);
    short.add(2, 2);
    expect(Array.from(short.saveState().good)).toEqual([1, 3]);
    const wrapped = new EventCounts(2);
    for (let t = 1; t <= 5; t++) wrapped.add(t, t);
    expect(Array.from(wrapped.saveState().good)).toEqual([6, 10, 15]);
  });

  it('load into counts of a longer span, answering every window the saved ones could', () => {
    const counts = new EventCounts(3);
    for (let t = 1; t <= 7; t++) counts.add(t, 2 * t);
    const longer = new EventCounts(10);
    longer.loadState(counts.saveState());
    for (let k = 1; k <= 3; k++) expect([longer.good(k), longer.total(k)]).toEqual([counts.good(k), counts.total(k)]);
    longer.add(8, 16);
    counts.add(8, 16);
    expect([longer.good(3), longer.goodSoFar, longer.recorded]).toEqual([counts.good(3), counts.goodSoFar, 8]);
  });
});
