import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../src/simulation/index.js';
import { eachTurn } from './harness.js';

describe('event service', () => {
  it('counts each event type, its last turn and size, and what it moved', () => {
    const counts = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0]));
    let previousStock = 0;
    let restocksChecked = 0;
    let refillsChecked = 0;
    eachTurn(
      { events: { interval: 2, restock: { probability: 0.7 }, budgetRefill: { probability: 0.7 }, inflation: { probability: 0.5 } } },
      13,
      80,
      ({ snapshot, report }) => {
        const e = snapshot.event;
        for (const type of EVENT_TYPES) {
          const fired = report.events.find((x) => x.type === type);
          expect(e.thisTurn[type]).toBe(fired ? 1 : 0);
          if (fired) {
            counts[type]! += 1;
            expect(e.lastTurn[type]).toBe(report.turn);
          }
          expect(e.counts[type]).toBe(counts[type]);
        }
        const restock = report.events.find((x) => x.type === 'restock');
        const refill = report.events.find((x) => x.type === 'supplier_refill');
        if (restock && !refill) {
          expect(e.impact.restock.after).toBe(snapshot.supplier.totalStock);
          expect(e.impact.restock.after - e.impact.restock.before).toBe(restock.total);
          expect(e.lastMagnitude.restock).toBe(restock.total);
          // Before the restock is after this turn's sales.
          expect(e.impact.restock.before).toBe(previousStock - snapshot.supplier.unitsSold);
          restocksChecked += 1;
        }
        const budgetRefill = report.events.find((x) => x.type === 'budget_refill');
        if (budgetRefill) {
          expect(e.impact.budget_refill.after).toBeCloseTo(snapshot.budget.total, 6);
          expect(e.lastMagnitude.budget_refill).toBeCloseTo(budgetRefill.total / 100, 6);
          refillsChecked += 1;
        }
        previousStock = snapshot.supplier.totalStock;
      },
    );
    expect(Object.values(counts).every((n) => n > 0)).toBe(true);
    expect(restocksChecked).toBeGreaterThan(0);
    expect(refillsChecked).toBeGreaterThan(0);
  });
});
