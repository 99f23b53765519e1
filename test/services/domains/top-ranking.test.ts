import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTopRanking } from '../../../src/services/domains/top-ranking.js';

/** The top `size` by value, highest first, ties to the lower index, zeros left out. */
const bruteForce = (values: readonly number[], size: number) =>
  values
    .map((value, index) => ({ value, index }))
    .filter((e) => e.value > 0)
    .sort((a, b) => b.value - a.value || a.index - b.index)
    .slice(0, size)
    .map((e) => e.index);

/** List sizes, and rounds of changes: each an entity of 30 and how much its value grows. */
const sizes = fc.integer({ min: 0, max: 8 });
const rounds = fc.array(
  fc.array(fc.record({ entity: fc.nat({ max: 29 }), grow: fc.integer({ min: 0, max: 4 }) }), { maxLength: 12 }),
  { minLength: 1, maxLength: 25 },
);

describe('top ranking', () => {
  it('matches a full sort after every round of growing values', () => {
    fc.assert(
      fc.property(sizes, rounds, (size, played) => {
        const values = new Float64Array(30);
        const ranking = createTopRanking(size, 30);
        ranking.rebuild(values);
        for (const changes of played) {
          // As the engine's records: each change with the entity's value after it, so an
          // entity changed twice is listed twice, the second time with its final value.
          const after = changes.map(({ entity, grow }) => (values[entity]! += grow));
          ranking.update(
            changes.map((c) => c.entity),
            after,
            changes.length,
          );
          expect([...ranking.indices]).toEqual(bruteForce(Array.from(values), size));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("reads only the values it is given on update, not the entities' arrays", () => {
    const ranking = createTopRanking(2, 4);
    ranking.rebuild([3, 2, 1, 0]);
    // Entity 3 reaches 5, entity 2 reaches 4 and then 6: the last value listed counts.
    ranking.update([3, 2, 2], [5, 4, 6], 3);
    expect([...ranking.indices]).toEqual([2, 3]);
    // Entries past `count` are not changes.
    ranking.update([0, 1], [9, 9], 1);
    expect([...ranking.indices]).toEqual([0, 2]);
  });

  it('needs only the changes at or above its floor', () => {
    fc.assert(
      fc.property(sizes, rounds, (size, played) => {
        const values = new Float64Array(30);
        const ranking = createTopRanking(size, 30);
        ranking.rebuild(values);
        for (const changes of played) {
          const floor = ranking.floor();
          const after = changes.map(({ entity, grow }) => ({ entity, value: (values[entity]! += grow) }));
          const kept = after.filter((c) => c.value >= floor);
          ranking.update(
            kept.map((c) => c.entity),
            kept.map((c) => c.value),
            kept.length,
          );
          expect([...ranking.indices]).toEqual(bruteForce(Array.from(values), size));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refreshes from grown values as a rebuild would', () => {
    const grow = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 30, maxLength: 30 });
    fc.assert(
      fc.property(sizes, fc.array(grow, { minLength: 1, maxLength: 25 }), (size, played) => {
        const values = new Float64Array(30);
        const ranking = createTopRanking(size, 30);
        for (const growth of played) {
          growth.forEach((g, e) => (values[e]! += g));
          ranking.refresh(values);
          expect([...ranking.indices]).toEqual(bruteForce(Array.from(values), size));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('has a floor of 0 until full, then its last value', () => {
    const ranking = createTopRanking(2, 4);
    ranking.rebuild([0, 0, 7, 0]);
    expect(ranking.floor()).toBe(0);
    ranking.update([1], [3], 1);
    expect(ranking.floor()).toBe(3);
  });

  it('ranks from scratch with rebuild', () => {
    const ranking = createTopRanking(3, 6);
    ranking.rebuild([5, 0, 9, 5, 1, 9]);
    expect([...ranking.indices]).toEqual([2, 5, 0]);
  });
});
