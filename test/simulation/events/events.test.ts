import { describe, expect, it } from 'vitest';
import { createSimulation, type Scenario } from '../../../src/simulation/index.js';
import { endSupplierOutages, outageChance } from '../../../src/simulation/events/supplier-outage.js';
import { MAX_MONEY_CENTS } from '../../../src/simulation/events/budget-refill.js';
import { goodsHeld, MAX_GOODS } from '../../../src/simulation/world.js';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng } from '../../../src/simulation/index.js';
import { applyEvents } from '../../../src/simulation/phases/apply-events.js';
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

  it('restock and supplier_refill stop short of the goods where whole units stop being exact', () => {
    // 10,000 offers given 10^9 units each by each event every turn: 2 x 10^13 a turn, at MAX_GOODS in about 110 turns.
    const scenario = quietScenario({
      ...WORLD,
      products: { count: 10 },
      suppliers: { count: 1000, productsMin: 10, productsMax: 10, stockMin: 10, stockMax: 10 },
      events: {
        interval: 1,
        restock: { probability: 1, min: 1e9, max: 1e9 },
        supplierRefill: { probability: 1, supplierProbability: 1, productProbability: 1, min: 1e9, max: 1e9 },
      },
    });
    const sim = createSimulation(scenario, 3);
    const held = () => goodsHeld(sim.world.totals());
    const stock = () => Array.from(sim.world.offerStock).reduce((a, b) => a + b, 0);
    for (let turn = 0; turn < 150; turn++) sim.step();
    expect(held()).toBeLessThanOrEqual(MAX_GOODS);
    expect(held()).toBeGreaterThan(MAX_GOODS - 2e13);
    // Every unit added is on the shelves (nobody buys): the totals still add up exactly.
    expect(stock()).toBe(held());
  });

  it('budget_refill stops short of the money where whole cents stop being exact', () => {
    // 1,000 companies refilled 10^9 each every turn: 10^14 cents a turn, at MAX_MONEY_CENTS in about 22 turns.
    const scenario = quietScenario({
      ...WORLD,
      companies: { count: 1000, budgetMin: 1e9, budgetMax: 1e9 },
      events: { interval: 1, budgetRefill: { probability: 1, min: 1e9, max: 1e9 } },
    });
    const sim = createSimulation(scenario, 3);
    const budgets = () => Array.from(sim.world.budgetsCents).reduce((a, b) => a + b, 0);
    // The money after turn 1 (its refill included); households' part is in the turn's report.
    const households = sim.step().market.householdCents;
    const start = budgets() + households;
    let refilled = 0;
    const totals: number[] = [];
    for (let turn = 0; turn < 40; turn++) {
      const report = sim.step();
      for (const e of report.events) if (e.type === 'budget_refill') refilled += e.total;
      totals.push(budgets() + report.market.householdCents);
    }
    expect(totals.at(-1)).toBeLessThanOrEqual(MAX_MONEY_CENTS);
    expect(totals.at(-1)).toBeGreaterThan(MAX_MONEY_CENTS - 1e11);
    // Exact to the cent all along: what is there is what was there and what was given.
    expect(totals.at(-1)).toBe(start + refilled);
    expect(totals.every(Number.isSafeInteger)).toBe(true);
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

  describe('supplier_outage', () => {
    /** A world and the event phase alone, turn after turn. */
    const outageWorld = (supplierOutage: object, seed = 3) => {
      const scenario = quietScenario({ ...WORLD, events: { interval: 1, supplierOutage } });
      const rng = createRng(seed);
      const world = generateWorld(scenario, rng);
      const step = () => {
        world.turn += 1;
        return applyEvents(world, scenario, rng);
      };
      return { scenario, world, step };
    };

    it("stops one supplier's production for a drawn number of turns, then lets it produce again", () => {
      const { world, step } = outageWorld({ probability: 1, turnsMin: 2, turnsMax: 4, keep: 0.25 });
      const [event] = step();
      expect(event).toMatchObject({ type: 'supplier_outage', targetCount: 1 });
      const { index: supplier, value: turns } = event!.targets![0]!;
      expect(turns).toBeGreaterThanOrEqual(2);
      expect(turns).toBeLessThanOrEqual(4);
      expect(event?.total).toBe(turns);
      const offers = world.suppliers[supplier]!.offers;
      const hit = (): number[] => offers.map((o) => world.outage[o]!);
      expect(hit()).toEqual(offers.map(() => 0.75));
      expect(world.outageEnds[supplier]).toBe(1 + turns);
      // Every other offer produces in full.
      expect(Array.from(world.outage).filter((_, o) => !offers.includes(o))).toEqual(
        Array<number>(world.outage.length - offers.length).fill(0),
      );
      // Turn 1 + turns ends it (before that turn's draw, which may start another).
      while (world.turn < turns) step();
      expect(hit()).toEqual(offers.map(() => 0.75));
      world.turn += 1;
      endSupplierOutages(world);
      expect(hit()).toEqual(offers.map(() => 0));
      expect(world.outageEnds[supplier]).toBe(0);
    });

    it('hits only suppliers not already out, and none when every one is: no event then', () => {
      const { world, scenario, step } = outageWorld({ probability: 1, turnsMin: 50, turnsMax: 50 });
      const hit = [1, 2, 3].map(() => step()[0]!.targets![0]!.index);
      expect(new Set(hit).size).toBe(3);
      expect(outageChance(world, scenario)).toBe(0);
      expect(step()).toEqual([]);
    });

    it('with loadExponent, draws the supplier in proportion to its load^exponent', () => {
      const { scenario, world, step } = outageWorld({ probability: 1, turnsMin: 1, turnsMax: 1, loadExponent: 2 });
      // Supplier 1's offers expect twice their long-run sales, the others nothing: only it has weight.
      world.offerLongRun.fill(10);
      world.salesEstimate.fill(0);
      for (const o of world.suppliers[1]!.offers) world.salesEstimate[o] = 20;
      // The chance: probability x the mean weight (0 + 4 + 0) / 3, at most 1.
      const outage = { ...scenario.events.supplierOutage, probability: 0.3 };
      expect(outageChance(world, { ...scenario, events: { ...scenario.events, supplierOutage: outage } })).toBeCloseTo(
        0.4,
      );
      expect(outageChance(world, scenario)).toBe(1);
      expect(step()[0]!.targets![0]!.index).toBe(1);
    });

    it('is never drawn with probability 0, so a scenario without it plays the stream it always did', () => {
      const base = quietScenario({ ...WORLD, events: { interval: 1, inflation: { probability: 0.5 } } });
      const off = quietScenario({
        ...WORLD,
        events: { interval: 1, inflation: { probability: 0.5 }, supplierOutage: { probability: 0 } },
      });
      const a = createSimulation(base, 9);
      const b = createSimulation(off, 9);
      for (let t = 0; t < 20; t++) expect(b.step().events).toEqual(a.step().events);
      expect(b.rngState()).toEqual(a.rngState());
    });
  });
});
