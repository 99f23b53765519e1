import { describe, expect, it } from 'vitest';
import { createTurnLoop, loadRunConfig } from '../../../src/services/index.js';
import { createSimulation, EVENT_TYPES } from '../../../src/simulation/index.js';
import { eachTurn } from './harness.js';

describe('event service', () => {
  it('counts each event type, its last turn and size, and what it moved', () => {
    const counts = Object.fromEntries(EVENT_TYPES.map((t) => [t, 0]));
    let previousStock = 0;
    let restocksChecked = 0;
    let refillsChecked = 0;
    let outagesChecked = 0;
    eachTurn(
      {
        events: {
          interval: 2,
          restock: { probability: 0.7 },
          budgetRefill: { probability: 0.7 },
          supplierRefill: { probability: 0.7 },
          inflation: { probability: 0.5 },
          supplierOutage: { probability: 0.3, turnsMin: 2, turnsMax: 6 },
        },
      },
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
          // A type that never occurred has no last turn, size or impact: absent, not 0.
          if (counts[type] === 0) {
            expect([e.lastTurn[type], e.lastMagnitude[type], e.impact[type].before, e.impact[type].after]).toEqual([
              Number.NaN,
              Number.NaN,
              Number.NaN,
              Number.NaN,
            ]);
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
        const outage = report.events.find((x) => x.type === 'supplier_outage');
        if (outage) {
          // Its size is the outage's turns; it moves no goods when it starts.
          expect(e.lastMagnitude.supplier_outage).toBe(outage.total);
          expect(e.impact.supplier_outage.after).toBe(e.impact.supplier_outage.before);
          outagesChecked += 1;
        }
        previousStock = snapshot.supplier.totalStock;
      },
    );
    expect(outagesChecked).toBeGreaterThan(0);
    expect(Object.values(counts).every((n) => n > 0)).toBe(true);
    expect(restocksChecked).toBeGreaterThan(0);
    expect(refillsChecked).toBeGreaterThan(0);
  });

  it('keeps every turn in history, also quiet turns that repeat the figures object', () => {
    const config = loadRunConfig(JSON.stringify({ events: { interval: 4, restock: { probability: 1 } } }));
    const service = createTurnLoop({ simulation: createSimulation(config.scenario, 5), config });
    const seen: { lastTurn: number; count: number; thisTurn: number }[] = [];
    let repeated = 0;
    let previous: object | undefined;
    for (let i = 0; i < 30; i++) {
      const e = service.runTurn().event;
      if (e === previous) repeated += 1;
      previous = e;
      seen.push({ lastTurn: e.lastTurn.restock, count: e.counts.restock, thisTurn: e.thisTurn.restock });
    }
    // Most turns have no event: the service hands back the same object, and history still
    // gets that turn's row.
    expect(repeated).toBeGreaterThan(10);
    expect(Array.from(service.history('event.lastTurn.restock', 30).values)).toEqual(seen.map((x) => x.lastTurn));
    expect(Array.from(service.history('event.counts.restock', 30).values)).toEqual(seen.map((x) => x.count));
    expect(Array.from(service.history('event.thisTurn.restock', 30).values)).toEqual(seen.map((x) => x.thisTurn));
    expect(seen.at(-1)!.count).toBeGreaterThan(5);
  });

  it("keeps the last price index measured as an inflation's impact while every product is withdrawn", () => {
    const config = loadRunConfig(
      JSON.stringify({
        events: { interval: 1, inflation: { probability: 1, productProbability: 1 } },
        timeline: [{ at: 3, shock: 'product_recall', turns: 5, severity: 1 }],
      }),
    );
    const service = createTurnLoop({ simulation: createSimulation(config.scenario, 3), config });
    let checked = 0;
    for (let i = 0; i < 8; i++) {
      const snapshot = service.runTurn();
      const impact = snapshot.event.impact.inflation;
      expect(Number.isFinite(impact.after)).toBe(true);
      if (snapshot.event.thisTurn.inflation === 1 && Number.isNaN(snapshot.product.priceIndex)) {
        expect(impact.after).toBe(impact.before);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
