import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng, createSimulation } from '../../../src/simulation/index.js';
import { firstRedraw, redrawCosts } from '../../../src/simulation/market/cost-shocks.js';
import { quietScenario } from '../fixtures.js';

/** One turn's redraws over slots `from` to `to` - 1 of a market, as the turn takes them. */
function redrawAll(market: ReturnType<typeof marketOf>, rng: ReturnType<typeof createRng>, to: number): number {
  return redrawCosts(market.world, market.scenario, rng, firstRedraw(market.scenario, rng), 0, to);
}

function marketOf(count: number, costShock: number, costSpread = 0.5) {
  const scenario = quietScenario({
    companies: { count, budgetMin: 1_000, budgetMax: 1_000, overheadPercent: 2, costShock, costSpread },
  });
  const world = generateWorld(scenario, createRng(1));
  return { scenario, world };
}

describe('redrawCosts', () => {
  it('draws every company in the market again, within the spread around its level at entry', () => {
    const market = marketOf(200, 1);
    const { world } = market;
    const level = (1_000 * 100 * 2) / 100;
    expect(world.overheadCents[0]).toBe(level);
    expect(redrawAll(market, createRng(7), 200)).toBe(200);
    const costs = Array.from(world.overheadCents);
    expect(Math.min(...costs)).toBeGreaterThanOrEqual(0.5 * level);
    expect(Math.max(...costs)).toBeLessThanOrEqual(1.5 * level);
    // Uniform over the band: both halves are drawn, and most costs moved.
    expect(costs.filter((c) => c < 0.9 * level).length).toBeGreaterThan(50);
    expect(costs.filter((c) => c > 1.1 * level).length).toBeGreaterThan(50);
    expect(costs.every(Number.isInteger)).toBe(true);
  });

  it("moves about costShock of the companies' costs a turn, and never an empty slot's", () => {
    const market = marketOf(2_000, 0.1);
    const { world } = market;
    world.companyActive[5] = 0;
    world.overheadCents[5] = 123;
    const before = Float64Array.from(world.overheadCents);
    redrawAll(market, createRng(7), 2_000);
    const moved = world.overheadCents.filter((c, i) => c !== before[i]).length;
    expect(moved).toBeGreaterThan(150);
    expect(moved).toBeLessThan(250);
    expect(world.overheadCents[5]).toBe(123);
  });

  it('draws again at the rate asked when it is small: the gaps between redraws are geometric', () => {
    // 1,000 slots over 100 turns at 0.01: 1,000 redraws expected, a standard deviation of 31.
    const market = marketOf(1_000, 0.01);
    const { world } = market;
    const level = world.overheadCents[0]!;
    const rng = createRng(11);
    let moved = 0;
    for (let turn = 0; turn < 100; turn++) {
      world.overheadCents.fill(level);
      redrawAll(market, rng, 1_000);
      moved += world.overheadCents.filter((c) => c !== level).length;
    }
    expect(moved).toBeGreaterThan(880);
    expect(moved).toBeLessThan(1_120);
  });

  it('draws in slot order: ranges in order draw what one range of them all does', () => {
    const whole = marketOf(300, 0.3);
    const parts = marketOf(300, 0.3);
    redrawAll(whole, createRng(9), 300);
    const rng = createRng(9);
    let next = firstRedraw(parts.scenario, rng);
    for (const [from, to] of [
      [0, 17],
      [17, 150],
      [150, 300],
    ] as const)
      next = redrawCosts(parts.world, parts.scenario, rng, next, from, to);
    expect(Array.from(parts.world.overheadCents)).toEqual(Array.from(whole.world.overheadCents));
  });

  it('leaves the costs and the random stream as they are when off, whatever the spread', () => {
    const { scenario } = marketOf(50, 0);
    const wide = { ...scenario, companies: { ...scenario.companies, costSpread: 1 } };
    const on = { ...scenario, companies: { ...scenario.companies, costShock: 0.5 } };
    const [off, offWide, shocked] = [createSimulation(scenario, 3), createSimulation(wide, 3), createSimulation(on, 3)];
    const costs = Array.from(off.state().world.overheadCents);
    for (let t = 0; t < 20; t++) for (const simulation of [off, offWide, shocked]) simulation.step();
    expect(Array.from(off.state().world.overheadCents)).toEqual(costs);
    expect(offWide.rngState()).toEqual(off.rngState());
    expect(Array.from(shocked.state().world.overheadCents)).not.toEqual(costs);
    expect(shocked.rngState()).not.toEqual(off.rngState());
  });
});
