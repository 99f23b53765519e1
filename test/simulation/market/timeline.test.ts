import { describe, expect, it } from 'vitest';
import { createSimulation, loadScenario, type TurnReport } from '../../../src/simulation/index.js';
import { quietScenario } from '../fixtures.js';

const WORLD = {
  companies: { count: 4 },
  products: { count: 12 },
  suppliers: { count: 6, productsMin: 4, productsMax: 6, stockMin: 20, stockMax: 20 },
};

function run(timeline: object[], turns: number, seed = 1) {
  const sim = createSimulation(quietScenario({ ...WORLD, timeline: timeline }), seed);
  const reports: TurnReport[] = [];
  for (let i = 0; i < turns; i++) reports.push(sim.step());
  return { sim, reports };
}

describe('timeline shocks', () => {
  it('start at their turn and end after their turns, reported in the TurnReport', () => {
    const { reports } = run([{ at: 2, shock: 'demand_surge', turns: 3, severity: 0.2 }], 6);
    const shocks = reports.map((r) => r.shocks.map((s) => `${s.kind}:${s.phase}`));
    expect(shocks).toEqual([[], ['demand_surge:start'], [], [], ['demand_surge:end'], []]);
    expect(reports.map((r) => r.market.shocksInForce)).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it('a product recall withdraws every product of its type, then brings back those it withdrew', () => {
    const { sim, reports } = run([{ at: 3, shock: 'product_recall', turns: 2 }], 5);
    expect(reports[2]!.shocks[0]!.targetCount).toBe(12);
    expect(Array.from(sim.world.active)).toEqual(new Array(12).fill(1));
    const during = createSimulation(
      quietScenario({ ...WORLD, timeline: [{ at: 3, shock: 'product_recall', turns: 2 }] }),
      1,
    );
    for (let i = 0; i < 3; i++) during.step();
    expect(Array.from(during.world.active)).toEqual(new Array(12).fill(0));
  });

  it('an inflation shock raises every product of its type by its percent and holds it for its turns', () => {
    const sim = createSimulation(
      quietScenario({
        ...WORLD,
        timeline: [{ at: 2, shock: 'inflation_shock', productType: 'consumable', percent: 50, turns: 4 }],
      }),
      1,
    );
    sim.step();
    const before = Array.from(sim.world.prices);
    sim.step();
    sim.world.products.forEach((p) => {
      const ratio = sim.world.prices[p.index]! / before[p.index]!;
      expect(ratio).toBeCloseTo(p.type === 'consumable' ? 1.5 : 1, 9);
    });
    for (let i = 0; i < 4; i++) sim.step(); // holds through turn 6, declines from turn 7
    const held = sim.world.products.filter((p) => p.type === 'consumable');
    for (const p of held) expect(sim.world.inflation(p.index).phase).toBe('hold');
    sim.step();
    for (const p of held) expect(sim.world.inflation(p.index).phase).toBe('decline');
  });

  it('a supplier exit takes a share of the suppliers out for good, their stock written off', () => {
    const { sim, reports } = run([{ at: 2, shock: 'supplier_exit', severity: 0.5 }], 3);
    const start = reports[1]!.shocks[0]!;
    expect(start.targetCount).toBe(3);
    const gone = start.targets!.map((t) => t.index);
    for (const s of gone) {
      expect(sim.world.supplierActive[s]).toBe(0);
      for (const o of sim.world.suppliers[s]!.offers) expect(sim.world.offerStock[o]).toBe(0);
    }
    expect(sim.world.totals().lostGoods).toBe(start.targets!.reduce((a, t) => a + t.value, 0));
  });

  it('a credit freeze cuts what households spend and stops refills', () => {
    const scenario = {
      ...WORLD,
      households: { spendRate: 0.2 },
      events: { interval: 1, budgetRefill: { probability: 1 } },
    };
    const free = createSimulation(quietScenario(scenario), 1);
    const frozen = createSimulation(
      quietScenario({ ...scenario, timeline: [{ at: 1, shock: 'credit_freeze', turns: 10, severity: 0.75 }] }),
      1,
    );
    const a = free.step();
    const b = frozen.step();
    expect(b.market.householdDemandCents).toBe(Math.floor(a.market.householdDemandCents * 0.25));
    expect(a.events.map((e) => e.type)).toEqual(['budget_refill']);
    expect(b.events).toEqual([]);
  });

  it('is validated with the scenario: every problem by its path', () => {
    const problem = (timeline: unknown) => {
      try {
        loadScenario({ timeline });
        return [];
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
    };
    expect(problem([{ at: 0, shock: 'demand_surge' }])).toEqual(['timeline.0.at: must be >= 1']);
    expect(problem([{ at: 5, shock: 'meteor' }])[0]).toMatch(/^timeline\.0\.shock: must be one of supply_disruption/);
    expect(problem([{ at: 5, shock: 'demand_surge', continent: 'Asia' }])).toEqual([
      'timeline.0.continent: demand_surge does not take a continent',
    ]);
    expect(problem([{ at: 5, shock: 'supply_disruption', continent: 'Asia', productType: 'consumable' }])).toEqual([
      'timeline.0: give a continent or a product type, not both',
    ]);
    expect(problem({})).toEqual(['timeline: must be an array']);
  });
});
