import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng } from '../../../src/simulation/index.js';
import { baseSpending, salePriceCents, sellToHouseholds } from '../../../src/simulation/market/households.js';
import { quietScenario } from '../fixtures.js';

function market(companies: object, households: object) {
  const scenario = quietScenario({
    companies: { count: 2, budgetMin: 1_000, budgetMax: 1_000, ...companies },
    households,
  });
  const world = generateWorld(scenario, createRng(1));
  world.turn = 1;
  return { scenario, world };
}

describe('sellToHouseholds', () => {
  it('sells each company its share of what households spend, at cost plus margin, from its inventory', () => {
    const { scenario, world } = market({ marginPercent: 25 }, { spendRate: 0.1 });
    world.householdCents = 1_000_000;
    world.unitCostCents.fill(400);
    world.salePriceCents.fill(salePriceCents(400, 25));
    world.inventory.set([100, 3]);
    const trade = sellToHouseholds(world, scenario, []);
    // 100,000 cents to spend, 50,000 each: 100 units at 500 cents; the second has only 3.
    expect(trade.demandCents).toBe(100_000);
    expect(Array.from(world.inventory)).toEqual([0, 0]);
    expect(trade.units).toBe(103);
    expect(trade.revenueCents).toBe(103 * 500);
    expect(world.householdCents).toBe(1_000_000 - 103 * 500);
    expect(Array.from(world.budgetCents)).toEqual([100_000 + 50_000, 100_000 + 1_500]);
  });

  it('takes fixed costs every turn and dividends only from what a company holds beyond its start', () => {
    const { scenario, world } = market({ overheadPercent: 1, dividendPercent: 10 }, { spendRate: 0 });
    world.budgetCents.set([200_000, 50_000]);
    const trade = sellToHouseholds(world, scenario, []);
    // Fixed costs 1,000 each; the first then holds 99,000 beyond its 100,000 start: 9,900 to owners.
    expect(trade.overheadCents).toBe(2_000);
    expect(trade.dividendCents).toBe(9_900);
    expect(Array.from(world.budgetCents)).toEqual([200_000 - 1_000 - 9_900, 49_000]);
  });

  it('never takes more than households set out to spend, even with fractions carried over', () => {
    const { scenario, world } = market({}, { spendRate: 0.01 });
    world.householdCents = 10_000;
    world.salePriceCents.fill(70);
    world.inventory.fill(1_000);
    let spent = 0;
    for (let t = 0; t < 50; t++) {
      const before = world.householdCents;
      const trade = sellToHouseholds(world, scenario, []);
      expect(trade.revenueCents).toBeLessThanOrEqual(trade.demandCents);
      spent += before - world.householdCents;
    }
    expect(spent).toBeGreaterThan(0);
  });
});

describe('baseSpending', () => {
  it('is spendRate of households money when windfalls are off, its estimates still kept current', () => {
    const { scenario, world } = market({}, { spendRate: 0.1, normalSmoothing: 0.01, recentSmoothing: 0.2 });
    world.householdNormalCents = 1_000_000;
    world.householdRecentCents = 1_000_000;
    world.householdCents = 2_000_000;
    expect(baseSpending(world, scenario)).toBe(200_000);
    // So a fork that turns windfall spending on starts from today's money, not the first turn's.
    expect(world.householdNormalCents).toBeCloseTo(1_010_000, 6);
    expect(world.householdRecentCents).toBeCloseTo(1_200_000, 6);
  });

  it('spends a windfall on top of the usual spending, and cuts back in a shortfall, within its limit', () => {
    const households = {
      spendRate: 0.1,
      windfallSpend: 0.5,
      windfallLimit: 0.3,
      normalSmoothing: 0,
      recentSmoothing: 1,
    };
    const { scenario, world } = market({}, households);
    world.householdNormalCents = 1_000_000;
    // Normal spending 100,000; a gap of 20,000 spent at 0.5 is 10,000, well inside the 30,000 bound.
    world.householdCents = 1_020_000;
    const small = baseSpending(world, scenario);
    expect(small).toBeGreaterThan(109_000);
    expect(small).toBeLessThan(110_000);
    expect(world.householdNormalCents).toBe(1_000_000);
    expect(world.householdRecentCents).toBe(1_020_000);
    // A gap of 1,000,000 would be 500,000 more: the bound holds it below 30,000 more.
    world.householdCents = 2_000_000;
    const large = baseSpending(world, scenario);
    expect(large).toBeGreaterThan(129_000);
    expect(large).toBeLessThanOrEqual(130_000);
    world.householdCents = 0;
    const cut = baseSpending(world, scenario);
    expect(cut).toBeGreaterThanOrEqual(70_000);
    expect(cut).toBeLessThan(71_000);
  });

  it('moves households estimates of their normal and recent money by their smoothing', () => {
    const households = { spendRate: 0.1, windfallSpend: 0.5, normalSmoothing: 0.01, recentSmoothing: 0.2 };
    const { scenario, world } = market({}, households);
    world.householdNormalCents = 1_000_000;
    world.householdRecentCents = 1_000_000;
    world.householdCents = 2_000_000;
    baseSpending(world, scenario);
    expect(world.householdNormalCents).toBeCloseTo(1_010_000, 6);
    expect(world.householdRecentCents).toBeCloseTo(1_200_000, 6);
  });
});
