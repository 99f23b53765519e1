import { describe, expect, it } from 'vitest';
import { createSimulation, type Scenario } from '../../../src/simulation/index.js';
import { quietScenario } from '../fixtures.js';

const WORLD = {
  companies: { count: 6, budgetMin: 1000, budgetMax: 1000 },
  products: { count: 8 },
  suppliers: { count: 3, productsMin: 4, productsMax: 4, stockMin: 10, stockMax: 10 },
  // Nobody buys, so every change comes from the event under test.
  market: { selectionProbability: 0 },
} as const;

function firstEventTurn(scenario: Scenario, seed = 3) {
  const sim = createSimulation(scenario, seed);
  const before = {
    budgets: Array.from(sim.world.budgetsCents),
    stock: Array.from(sim.world.offerStock),
    prices: Array.from(sim.world.prices),
    active: Array.from(sim.world.active),
  };
  const report = sim.step();
  return { sim, before, report };
}

describe('events', () => {
  it('fires only on every interval-th turn', () => {
    const scenario = quietScenario({
      ...WORLD,
      events: { interval: 3, restock: { probability: 1 } },
    });
    const sim = createSimulation(scenario, 1);
    const turnsWithEvents = Array.from({ length: 9 }, () => sim.step())
      .filter((r) => r.events.length > 0)
      .map((r) => r.turn);
    expect(turnsWithEvents).toEqual([3, 6, 9]);
  });

  it('fires nothing with probability 0', () => {
    const sim = createSimulation(quietScenario({ ...WORLD, events: { interval: 1 } }), 1);
    for (let i = 0; i < 20; i++) expect(sim.step().events).toEqual([]);
  });

  it('budget_refill gives every company an amount within [min, max]', () => {
    const scenario = quietScenario({
      ...WORLD,
      events: { interval: 1, budgetRefill: { probability: 1, min: 10, max: 20 } },
    });
    const { sim, before, report } = firstEventTurn(scenario);
    const [event] = report.events;
    expect(event?.type).toBe('budget_refill');
    expect(event?.targetCount).toBe(6);
    let added = 0;
    for (let c = 0; c < 6; c++) {
      const delta = sim.world.budgetsCents[c]! - before.budgets[c]!;
      expect(delta).toBeGreaterThanOrEqual(1000);
      expect(delta).toBeLessThanOrEqual(2000);
      added += delta;
      expect(event?.targets?.[c]).toEqual({ index: c, value: delta });
    }
    expect(event?.total).toBe(added);
  });

  it('restock adds a quantity within [min, max] to every stocked product', () => {
    const scenario = quietScenario({
      ...WORLD,
      events: { interval: 1, restock: { probability: 1, min: 5, max: 7 } },
    });
    const { sim, before, report } = firstEventTurn(scenario);
    expect(report.events.map((e) => e.type)).toEqual(['restock']);
    let added = 0;
    for (let o = 0; o < sim.world.offerStock.length; o++) {
      const delta = sim.world.offerStock[o]! - before.stock[o]!;
      expect(delta >= 5 && delta <= 7).toBe(true);
      added += delta;
    }
    expect(report.events[0]?.total).toBe(added);
    expect(report.events[0]?.targetCount).toBe(3);
  });

  it('supplier_refill refills some suppliers and some of their products', () => {
    const scenario = quietScenario({
      ...WORLD,
      events: {
        interval: 1,
        supplierRefill: {
          probability: 1,
          supplierProbability: 1,
          productProbability: 0.5,
          min: 3,
          max: 3,
        },
      },
    });
    const { sim, before, report } = firstEventTurn(scenario);
    const deltas = Array.from(sim.world.offerStock, (s, o) => s - before.stock[o]!);
    expect(deltas.every((d) => d === 0 || d === 3)).toBe(true);
    expect(deltas.filter((d) => d === 3).length).toBeGreaterThan(0);
    expect(deltas.filter((d) => d === 0).length).toBeGreaterThan(0);
    expect(report.events[0]?.total).toBe(deltas.reduce((a, b) => a + b, 0));
    const none = quietScenario({
      ...WORLD,
      events: { interval: 1, supplierRefill: { probability: 1, supplierProbability: 0 } },
    });
    expect(firstEventTurn(none).report.events[0]?.targetCount).toBe(0);
  });

  it('inflation raises the hit products by a percent within [min, max]', () => {
    const scenario = quietScenario({
      ...WORLD,
      events: {
        interval: 1,
        inflation: { probability: 1, productProbability: 1, minPercent: 10, maxPercent: 15 },
      },
    });
    const { sim, before, report } = firstEventTurn(scenario);
    expect(report.events[0]?.targetCount).toBe(8);
    for (let p = 0; p < 8; p++) {
      const rise = (sim.world.prices[p]! / before.prices[p]! - 1) * 100;
      expect(rise).toBeGreaterThanOrEqual(10 - 1e-9);
      expect(rise).toBeLessThanOrEqual(15 + 1e-9);
      expect(sim.world.inflation(p).phase).toBe('hold');
    }
  });

  it('availability withdraws active products and brings back inactive ones', () => {
    const off = quietScenario({
      ...WORLD,
      events: { interval: 1, availability: { probability: 1, deactivate: 1, reactivate: 0 } },
    });
    const first = firstEventTurn(off);
    expect(Array.from(first.sim.world.active)).toEqual(new Array(8).fill(0));
    expect(first.report.events[0]?.total).toBe(8);
    const flip = quietScenario({
      ...WORLD,
      events: { interval: 1, availability: { probability: 1, deactivate: 1, reactivate: 1 } },
    });
    const sim = createSimulation(flip, 3);
    sim.step();
    sim.step();
    expect(Array.from(sim.world.active)).toEqual(new Array(8).fill(1));
  });
});
