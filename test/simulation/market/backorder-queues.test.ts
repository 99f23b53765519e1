import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backorderQueueProblems,
  createBackorderQueues,
  enqueueBackorder,
  reduceBackorder,
  removeBackorder,
} from '../../../src/simulation/market/backorder-queues.js';

/** A product's queue, oldest first, by walking its links. */
function queueOf(q: ReturnType<typeof createBackorderQueues>, product: number): number[] {
  const out: number[] = [];
  for (let c = q.backlogHead[product]!; c !== -1; c = q.backorderNext[c]!) out.push(c);
  return out;
}

describe('backorder queues', () => {
  it('keep each product FIFO and whole through any mix of enqueues, removals and partial fills', () => {
    const op = fc.record({ kind: fc.constantFrom('add', 'remove', 'reduce'), c: fc.nat(9), p: fc.nat(2) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const q = createBackorderQueues(10, 3);
        // The model: plain arrays of [company, units] per product.
        const model: [number, number][][] = [[], [], []];
        ops.forEach(({ kind, c, p }, turn) => {
          const at = q.backorderProduct[c]!;
          if (kind === 'add' && at === -1) {
            enqueueBackorder(q, c, p, 5, turn);
            model[p]!.push([c, 5]);
          } else if (kind === 'remove' && at !== -1) {
            expect(removeBackorder(q, c)).toBe(model[at]!.find(([x]) => x === c)![1]);
            model[at] = model[at]!.filter(([x]) => x !== c);
          } else if (kind === 'reduce' && at !== -1 && q.backorderUnits[c]! > 1) {
            reduceBackorder(q, c, 1);
            model[at]!.find(([x]) => x === c)![1] -= 1;
          }
          expect(backorderQueueProblems(q)).toEqual([]);
          for (let product = 0; product < 3; product++) {
            expect(queueOf(q, product)).toEqual(model[product]!.map(([x]) => x));
            expect(q.backlogUnits[product]).toBe(model[product]!.reduce((a, [, u]) => a + u, 0));
          }
        });
      }),
    );
  });

  it('find broken decoded queues (a cycle, a wrong length, a stray order) instead of following them', () => {
    const q = createBackorderQueues(4, 2);
    enqueueBackorder(q, 0, 1, 3, 1);
    enqueueBackorder(q, 2, 1, 4, 2);
    expect(backorderQueueProblems(q)).toEqual([]);
    q.backorderNext[2] = 0;
    expect(backorderQueueProblems(q)).toHaveLength(1);
    q.backorderNext[2] = -1;
    q.backlogLength[1] = 3;
    expect(backorderQueueProblems(q)).toHaveLength(1);
    q.backlogLength[1] = 2;
    q.backorderProduct[3] = 0;
    expect(backorderQueueProblems(q)).toEqual(['world.backorderProduct[3]: not in a queue']);
  });
});
