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

  it("draws each slot again with costShock, the first slot too, and never an empty slot's cost", () => {
    // 2,000 slots over 50 turns at 0.5: 100,000 trials, a rate within 0.49-0.51 (5 standard
    // deviations); a gap one too long or too short moves it to 1/3 or 1.
    const market = marketOf(2_000, 0.5);
    const { world } = market;
    for (let c = 0; c < 2_000; c += 2) world.companyActive[c] = 0;
    const level = world.overheadCents[1]!;
    const rng = createRng(7);
    let moved = 0;
    let first = 0;
    for (let turn = 0; turn < 50; turn++) {
      world.overheadCents.fill(level);
      world.overheadCents[0] = 123;
      world.companyActive[0] = turn % 2;
      redrawAll(market, rng, 2_000);
      moved += world.overheadCents.filter((c, i) => i % 2 === 1 && c !== level).length;
      if (world.overheadCents[0] !== 123) first += 1;
      // An empty slot keeps its cost whatever its trial gave.
      expect(world.overheadCents.filter((c, i) => i > 0 && i % 2 === 0 && c !== level)).toHaveLength(0);
    }
    expect(moved / (1_000 * 50)).toBeGreaterThan(0.49);
    expect(moved / (1_000 * 50)).toBeLessThan(0.51);
    // Slot 0, in the market every other turn: drawn again on about half of those 25 turns.
    expect(first).toBeGreaterThan(5);
    expect(first).toBeLessThan(20);
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

  it('draws no random number when off, and ends at once for a chance too small to round', () => {
    // A turn with a tiny chance draws exactly one number more than one with none: the first
    // gap, too long to land on any slot. So with none, the turn draws nothing for the shocks.
    const drawsOfFirstTurn = (costShock: number): number => {
      const { scenario } = marketOf(50, costShock);
      const inner = createRng(3);
      let draws = 0;
      const counted = new Proxy(inner, {
        get(target, key) {
          const value = Reflect.get(target, key) as unknown;
          if (typeof value !== 'function' || key === 'getState' || key === 'setState') return value;
          return (...args: unknown[]) => {
            draws += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      });
      const simulation = createSimulation(scenario, 3, counted);
      const afterWorld = draws;
      simulation.step();
      return draws - afterWorld;
    };
    expect(drawsOfFirstTurn(1e-300)).toBe(drawsOfFirstTurn(0) + 1);
    // Below about 5.5e-17, 1 - chance rounds to 1: the gap must not come out -Infinity.
    const market = marketOf(100, 1e-17);
    const before = Array.from(market.world.overheadCents);
    expect(redrawAll(market, createRng(5), 100)).toBeGreaterThanOrEqual(100);
    expect(Array.from(market.world.overheadCents)).toEqual(before);
  });

  it('leaves the costs as they are when off', () => {
    const { scenario } = marketOf(50, 0);
    const on = { ...scenario, companies: { ...scenario.companies, costShock: 0.5 } };
    const [off, shocked] = [createSimulation(scenario, 3), createSimulation(on, 3)];
    const costs = Array.from(off.state().world.overheadCents);
    for (let t = 0; t < 20; t++) for (const simulation of [off, shocked]) simulation.step();
    expect(Array.from(off.state().world.overheadCents)).toEqual(costs);
    expect(Array.from(shocked.state().world.overheadCents)).not.toEqual(costs);
  });
});
