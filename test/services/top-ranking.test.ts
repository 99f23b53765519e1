import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTopRanking } from '../../src/services/top-ranking.js';

/** The top `size` by value, highest first, ties to the lower index, zeros left out. */
const bruteForce = (values: readonly number[], size: number) =>
  values
    .map((value, index) => ({ value, index }))
    .filter((e) => e.value > 0)
    .sort((a, b) => b.value - a.value || a.index - b.index)
    .slice(0, size)
    .map((e) => e.index);

describe('top ranking', () => {
  it('matches a full sort after every round of growing values', () => {
    const round = fc.array(fc.record({ entity: fc.nat({ max: 29 }), grow: fc.integer({ min: 0, max: 4 }) }), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.array(round, { minLength: 1, maxLength: 25 }), (size, rounds) => {
        const values = new Float64Array(30);
        const ranking = createTopRanking(size, 30);
        ranking.rebuild(values);
        for (const changes of rounds) {
          for (const { entity, grow } of changes) values[entity]! += grow;
          ranking.update(values, changes.map((c) => c.entity));
          expect([...ranking.indices]).toEqual(bruteForce(Array.from(values), size));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ranks from scratch with rebuild', () => {
    const ranking = createTopRanking(3, 6);
    ranking.rebuild([5, 0, 9, 5, 1, 9]);
    expect([...ranking.indices]).toEqual([2, 5, 0]);
  });
});
