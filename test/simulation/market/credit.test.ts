import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng } from '../../../src/simulation/index.js';
import { creditFromWorth } from '../../../src/simulation/market/credit.js';
import { startSale } from '../../../src/simulation/market/households.js';
import { quietScenario } from '../fixtures.js';

/** Two companies of 1,000 (100,000 cents) each: an initial capital of 200,000 cents. */
function market(creditWorth: number) {
  const scenario = quietScenario({
    companies: { count: 2, budgetMin: 1_000, budgetMax: 1_000 },
    households: { spendRate: 0.1, creditWorth },
  });
  const world = generateWorld(scenario, createRng(1));
  world.turn = 1;
  world.householdCents = 1_000_000;
  world.inventory.fill(0);
  return { scenario, world };
}

describe("households' credit from companies' net worth", () => {
  it('is whole when creditWorth is 0 (off), whatever companies hold', () => {
    const { scenario, world } = market(0);
    world.budgetCents.fill(0);
    expect(creditFromWorth(world, scenario)).toBe(1);
    expect(startSale(world, scenario).trade.demandCents).toBe(100_000);
  });

  it('follows cash plus stock at cost over the initial capital, up to creditWorth', () => {
    const { scenario, world } = market(0.8);
    // Worth 80,000 cash + 20 units at 1,000 cents = 100,000 of 200,000: 0.5 of the capital.
    world.budgetCents.set([80_000, 0]);
    world.inventory.set([0, 20]);
    world.unitCostCents.set([0, 1_000]);
    expect(creditFromWorth(world, scenario)).toBeCloseTo(0.5 / 0.8, 12);
    // Households spend that share of what they would: 100,000 cents x 0.625.
    expect(startSale(world, scenario).trade.demandCents).toBe(62_500);
  });

  it('is whole at and above creditWorth, and nothing when companies hold nothing', () => {
    const { scenario, world } = market(0.8);
    world.budgetCents.set([100_000, 60_000]);
    expect(creditFromWorth(world, scenario)).toBe(1);
    world.budgetCents.set([150_000, 150_000]);
    expect(creditFromWorth(world, scenario)).toBe(1);
    world.budgetCents.fill(0);
    expect(creditFromWorth(world, scenario)).toBe(0);
    expect(startSale(world, scenario).trade.demandCents).toBe(0);
  });

  it('multiplies what a credit freeze leaves', () => {
    const { scenario, world } = market(0.8);
    world.budgetCents.set([40_000, 40_000]);
    world.effects = { ...world.effects, credit: 0.5 };
    // Worth 0.4 of the capital: half the credit; the freeze leaves half of that.
    expect(startSale(world, scenario).trade.demandCents).toBe(25_000);
  });
});
