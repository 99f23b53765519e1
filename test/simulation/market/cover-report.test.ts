import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { periodogramShare } from '../../../scripts/regimes-stats.js';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng, createSimulation, loadScenario } from '../../../src/simulation/index.js';
import { COVER_REPORT_SLOTS, coverTarget } from '../../../src/simulation/market/cover-report.js';
import { quietScenario } from '../fixtures.js';

/** Two suppliers of one product each, selling 10 units a turn in the long run. */
function market(suppliers: object) {
  const scenario = quietScenario({
    products: { count: 2 },
    suppliers: { count: 2, productsMin: 1, productsMax: 1, coverTurns: 10, ...suppliers },
  });
  const world = generateWorld(scenario, createRng(1));
  world.offerLongRun.fill(10);
  return { scenario, world };
}

/** Plays `turns` turns of the report with the offers holding `stock` units each. */
function read(
  world: ReturnType<typeof market>['world'],
  scenario: ReturnType<typeof market>['scenario'],
  stock: number[],
) {
  return stock.map((units) => {
    world.turn += 1;
    world.offerStock.fill(units);
    return coverTarget(world, scenario);
  });
}

describe('coverTarget: suppliers leaning against a delayed industry report', () => {
  it('is coverTurns, recording nothing, with the lean 0', () => {
    const { scenario, world } = market({ reportLean: 0 });
    expect(read(world, scenario, [100, 10, 300, 0])).toEqual([10, 10, 10, 10]);
    expect(world.coverReports.every((cover) => cover === 0)).toBe(true);
    expect(world.coverNormal).toBe(0);
  });

  it('leans nowhere until a report is reportDelayTurns old, then against what it said', () => {
    const { scenario, world } = market({ reportLean: 0.3, reportDelayTurns: 2, reportGain: 10, reportSmoothing: 0 });
    // Covers 10, 5, 10, 10 turns; the normal stays at the first (smoothing 0).
    const targets = read(world, scenario, [100, 50, 100, 100]);
    expect(targets.slice(0, 2)).toEqual([10, 10]);
    // Turn 3 reads turn 1 (at the normal): no lean. Turn 4 reads turn 2, which looked short.
    expect(targets[2]).toBe(10);
    expect(targets[3]).toBeCloseTo(10 * (1 + 0.3 * Math.tanh(10 * 0.5)), 9);
    expect(world.coverReports[2]).toBe(5);
  });

  it('stocks up on a report that looked short and runs down on one that looked flush, within the lean', () => {
    const { scenario, world } = market({ reportLean: 0.3, reportDelayTurns: 1, reportSmoothing: 0 });
    const [, short, , flush] = read(world, scenario, [100, 20, 100, 500, 100]).slice(1);
    expect(short).toBeGreaterThan(10);
    expect(flush).toBeLessThan(10);
    for (const target of read(world, scenario, [0, 1, 10_000, 100, 3, 7_000])) {
      expect(target).toBeGreaterThanOrEqual(10 * 0.7);
      expect(target).toBeLessThanOrEqual(10 * 1.3);
    }
  });

  it("counts the offers in the market only: a withdrawn product's (with pauseWhileWithdrawn), a gone supplier's", () => {
    const { scenario, world } = market({ reportLean: 0.3, pauseWhileWithdrawn: true });
    world.offerStock.set([100, 300]);
    world.turn = 1;
    world.active[world.offerProduct[1]!] = 0;
    coverTarget(world, scenario);
    expect(world.coverReports[1]).toBe(10);
    world.active.fill(1);
    world.supplierActive[world.offerSupplier[0]!] = 0;
    world.turn = 2;
    coverTarget(world, scenario);
    expect(world.coverReports[2]).toBe(30);
  });

  it('records a market whose sales vanished as COVER_CAP x coverTurns at most, so its normal stays finite and comes back', () => {
    const { scenario, world } = market({ reportLean: 0.3, reportDelayTurns: 1 });
    read(world, scenario, [100, 100]);
    world.offerLongRun.fill(Number.MIN_VALUE);
    const targets = read(world, scenario, [100, 100, 100]);
    expect(world.coverReports[3]).toBe(40);
    expect(targets.every(Number.isFinite)).toBe(true);
    world.offerLongRun.fill(10);
    const normal = world.coverNormal;
    read(world, scenario, Array<number>(300).fill(100));
    expect(world.coverNormal).toBeLessThan(normal);
    expect(world.coverNormal).toBeLessThan(10 + (normal - 10) / 2);
  });

  it('clears the turn while the lean is off, so a fork that turns it on reads no stale report', () => {
    const { scenario, world } = market({ reportLean: 0.3, reportDelayTurns: 2 });
    // What an earlier run left: reports of a short industry, and its normal.
    world.coverReports.fill(2);
    world.coverNormal = 45;
    const off = { ...scenario, suppliers: { ...scenario.suppliers, reportLean: 0 } };
    read(world, off, [100, 100, 100]);
    expect(world.coverNormal).toBe(0);
    expect(Array.from(world.coverReports.subarray(0, 5))).toEqual([2, 0, 0, 0, 2]);
    // Back on at turn 4: turns 2 and 3 recorded nothing, so turns 4 and 5 lean nowhere.
    expect(read(world, scenario, [100, 100])).toEqual([10, 10]);
  });

  it('reads the report of reportDelayTurns ago across the ring of COVER_REPORT_SLOTS turns', () => {
    const { scenario, world } = market({ reportLean: 0.3, reportDelayTurns: 1_000, reportSmoothing: 0 });
    const covers = Array.from({ length: COVER_REPORT_SLOTS + 5 }, (_, t) => (t % 7 === 3 ? 50 : 100));
    const targets = read(world, scenario, covers);
    // Turn t reads turn t - 1,000: short (cover 5 against a normal of 10) on every seventh turn.
    for (let turn = 1_001; turn <= covers.length; turn++) {
      const short = covers[turn - 1_000 - 1] === 50;
      expect(targets[turn - 1]! > 10).toBe(short);
    }
  });
});

describe('the inventory cycle of default with no exogenous cycle', () => {
  const quietOrders = (reportLean: number, seed: number) => {
    const raw = JSON.parse(readFileSync('scenarios/default.json', 'utf8')) as Record<string, Record<string, unknown>>;
    raw.households = { ...raw.households, cycleAmplitude: 0, volatility: 0 };
    raw.calendar = { ...raw.calendar, hourly: Array(24).fill(1), weekly: Array(7).fill(1) };
    raw.suppliers = { ...raw.suppliers, reportLean };
    const simulation = createSimulation(loadScenario(raw), seed);
    return Float64Array.from({ length: 3_000 }, () => simulation.step().market.ordered);
  };

  it("gathers the suppliers' orders into one period with the report, and leaves none without it", () => {
    const leaning = periodogramShare(quietOrders(0.35, 3), 20, 500, 100);
    const plain = periodogramShare(quietOrders(0, 3), 20, 500, 100);
    expect(leaning).toBeGreaterThan(0.15);
    expect(plain).toBeLessThan(0.05);
  });
});
