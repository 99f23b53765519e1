import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng, createSimulation } from '../../../src/simulation/index.js';
import { redrawCosts } from '../../../src/simulation/market/cost-shocks.js';
import { quietScenario } from '../fixtures.js';

function market(count: number, costShock: number, costSpread = 0.5) {
  const scenario = quietScenario({
    companies: { count, budgetMin: 1_000, budgetMax: 1_000, overheadPercent: 2, costShock, costSpread },
  });
  const world = generateWorld(scenario, createRng(1));
  return { scenario, world };
}

describe('redrawCosts', () => {
  it('draws every company in the market again, within the spread around its level at entry', () => {
    const { scenario, world } = market(200, 1);
    const level = (1_000 * 100 * 2) / 100;
    expect(world.overheadCents[0]).toBe(level);
    redrawCosts(world, scenario, createRng(7), 0, 200);
    const costs = Array.from(world.overheadCents);
    expect(Math.min(...costs)).toBeGreaterThanOrEqual(0.5 * level);
    expect(Math.max(...costs)).toBeLessThanOrEqual(1.5 * level);
    // Uniform over the band: both halves are drawn, and most costs moved.
    expect(costs.filter((c) => c < 0.9 * level).length).toBeGreaterThan(50);
    expect(costs.filter((c) => c > 1.1 * level).length).toBeGreaterThan(50);
    expect(costs.every(Number.isInteger)).toBe(true);
  });

  it("moves about costShock of the companies' costs a turn, and never an empty slot's", () => {
    const { scenario, world } = market(2_000, 0.1);
    world.companyActive[5] = 0;
    world.overheadCents[5] = 123;
    const before = Float64Array.from(world.overheadCents);
    redrawCosts(world, scenario, createRng(7), 0, 2_000);
    const moved = world.overheadCents.filter((c, i) => c !== before[i]).length;
    expect(moved).toBeGreaterThan(150);
    expect(moved).toBeLessThan(250);
    expect(world.overheadCents[5]).toBe(123);
  });

  it('draws in slot order: ranges in order draw what one range of them all does', () => {
    const whole = market(300, 0.3);
    const parts = market(300, 0.3);
    redrawCosts(whole.world, whole.scenario, createRng(9), 0, 300);
    const rng = createRng(9);
    for (const [from, to] of [
      [0, 17],
      [17, 150],
      [150, 300],
    ] as const)
      redrawCosts(parts.world, parts.scenario, rng, from, to);
    expect(Array.from(parts.world.overheadCents)).toEqual(Array.from(whole.world.overheadCents));
  });

  it('leaves the costs and the random stream as they are when off, whatever the spread', () => {
    const { scenario } = market(50, 0);
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
