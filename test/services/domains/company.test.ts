import { describe, expect, it } from 'vitest';
import { createTurnLoop, loadRunConfig, type TurnSnapshot } from '../../../src/services/index.js';
import { CONTINENTS, createSimulation, type TurnReport, type WorldView } from '../../../src/simulation/index.js';
import { eachTurn } from './harness.js';

/** The company figures against the world's arrays, recomputed from scratch. */
function checkCompanies(snapshot: TurnSnapshot, world: WorldView, report: TurnReport, n: number, top: number): void {
  const c = snapshot.company;
  expect(c.count).toBe(n);
  expect(c.byStrategy.cheapest + c.byStrategy.by_type).toBe(n);
  expect(c.byStrategy.cheapest).toBe(world.companies.filter((x) => x.strategy === 'cheapest').length);
  expect(Object.values(c.byContinent).reduce((a, b) => a + b, 0)).toBe(n);
  for (const continent of CONTINENTS) {
    expect(c.byContinent[continent]).toBe(world.companies.filter((x) => x.continent === continent).length);
  }
  expect(c.buyersThisTurn).toBe(report.aggregates.attempts);
  const purchases = Array.from(world.purchaseCounts);
  expect(c.purchasesPerCompany.mean).toBeCloseTo(purchases.reduce((a, b) => a + b, 0) / n, 9);
  expect(c.purchasesPerCompany.max).toBe(Math.max(...purchases));
  expect(c.purchasesPerCompany.min).toBe(Math.min(...purchases));
  const expected = world.companies
    .map((x) => ({
      id: x.id,
      name: x.name,
      index: x.index,
      spent: world.spentCents[x.index]! / 100,
      budget: world.budgetsCents[x.index]! / 100,
      purchases: world.purchaseCounts[x.index]!,
    }))
    .filter((x) => x.spent > 0)
    .sort((a, b) => b.spent - a.spent || a.index - b.index)
    .slice(0, top);
  // Budget and purchases too: a listed company's entry changes with a refill as well.
  expect(c.topBySpend.map((x) => [x.id, x.name, x.spent, x.budget, x.purchases])).toEqual(
    expected.map((x) => [x.id, x.name, x.spent, x.budget, x.purchases]),
  );
}

describe('company service', () => {
  it('counts companies and ranks the top spenders as the world has them', () => {
    eachTurn(
      {
        companies: { count: 40 },
        events: { interval: 2, budgetRefill: { probability: 0.8 } },
        services: { topCompanies: 5 },
      },
      4,
      40,
      ({ snapshot, world, report }) => checkCompanies(snapshot, world, report, 40, 5),
    );
  });

  it('follows companies leaving and new ones taking their slots, as the world has them', () => {
    let entries = 0;
    let listedEntered = 0;
    eachTurn(
      {
        companies: { count: 40, overheadPercent: 8, bankruptcyTurns: 3, entryTurns: 2 },
        households: { spendRate: 0.05, volatility: 0.1 },
        services: { topCompanies: 8 },
      },
      5,
      1_000,
      ({ snapshot, world, report }) => {
        checkCompanies(snapshot, world, report, 40, 8);
        entries += report.population.entries.length;
        listedEntered += report.population.exits.filter((c) => world.spentCents[c]! > 0).length;
      },
    );
    // Many companies left and entered (slots taken more than once), some of them big spenders.
    expect(entries).toBeGreaterThan(50);
    expect(listedEntered).toBeGreaterThan(0);
  });

  it('starts from every company when turns were played before the service saw them', () => {
    const config = loadRunConfig(JSON.stringify({ companies: { count: 60 }, services: { topCompanies: 4 } }));
    const simulation = createSimulation(config.scenario, 9);
    for (let i = 0; i < 12; i++) simulation.step();
    const service = createTurnLoop({ simulation, config });
    for (let i = 0; i < 5; i++) {
      const c = service.runTurn().company;
      const purchases = Array.from(simulation.world.purchaseCounts);
      expect(c.purchasesPerCompany.min).toBe(Math.min(...purchases));
      expect(c.purchasesPerCompany.max).toBe(Math.max(...purchases));
      expect(c.purchasesPerCompany.mean).toBeCloseTo(purchases.reduce((a, b) => a + b, 0) / 60, 9);
      const spent = Array.from(simulation.world.spentCents);
      expect(c.topBySpend[0]!.spent).toBe(Math.max(...spent) / 100);
      // And a turn played without the service: the next one starts afresh too.
      if (i === 2) simulation.step();
    }
  });

  it('follows the lowest purchase count as it moves up by more than the counts it keeps', () => {
    // A few companies that buy nearly every turn: the lowest count moves up hundreds of
    // times, past the 32 counts the service keeps from the lowest, so it rescans too.
    const scenario = {
      companies: {
        count: 6,
        budgetMin: 1_000_000,
        budgetMax: 2_000_000,
        inventoryCoverTurns: 1_000,
        overheadPercent: 0,
        dividendPercent: 0,
      },
      households: { spendRate: 0.001 },
      suppliers: { stockMin: 100_000, stockMax: 200_000 },
      market: { selectionProbability: 0.9 },
    };
    let lowest = 0;
    eachTurn(scenario, 12, 400, ({ snapshot, world }) => {
      const purchases = Array.from(world.purchaseCounts);
      expect(snapshot.company.purchasesPerCompany.min).toBe(Math.min(...purchases));
      expect(snapshot.company.purchasesPerCompany.max).toBe(Math.max(...purchases));
      lowest = snapshot.company.purchasesPerCompany.min;
    });
    expect(lowest).toBeGreaterThan(2 * 32);
  });
});
