import { describe, expect, it } from 'vitest';
import { createSimulation, type TurnReport } from '../../../src/simulation/index.js';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { exitAndEnter } from '../../../src/simulation/market/population.js';
import { createRng } from '../../../src/simulation/rng.js';
import { quietScenario } from '../fixtures.js';

/** Companies that earn nothing and pay fixed costs of 10 % a turn: they run out in 10 turns. */
const DRAINING = {
  companies: { count: 3, budgetMin: 1_000, budgetMax: 1_000, overheadPercent: 10, bankruptcyTurns: 5, entryTurns: 7 },
  market: { selectionProbability: 0 },
};

describe('exits and entries', () => {
  it('a company unable to pay its fixed costs for bankruptcyTurns exits; its budget goes to households', () => {
    const sim = createSimulation(quietScenario(DRAINING), 2);
    const reports: TurnReport[] = [];
    for (let i = 0; i < 14; i++) reports.push(sim.step());
    // Budgets reach 0 at turn 10 (100 a turn): unable to pay turns 10 to 14, the fifth is the exit.
    const exitTurn = reports.find((r) => r.population.exits.length > 0)?.turn;
    expect(exitTurn).toBe(14);
    expect(reports[13]!.population.exits).toEqual([0, 1, 2]);
    expect(Array.from(sim.world.companyActive)).toEqual([0, 0, 0]);
    expect(sim.world.totals()).toMatchObject({ exits: 3, overheadCents: 300_000 });
  });

  it('an empty slot takes a new company after entryTurns, with a new id, name and budget from households', () => {
    const sim = createSimulation(quietScenario(DRAINING), 2);
    const names = sim.world.companies.map((c) => c.name);
    let entered: TurnReport | undefined;
    for (let i = 0; i < 40 && !entered; i++) {
      const r = sim.step();
      if (r.population.entries.length > 0) entered = r;
    }
    // Nobody serves households at all once every company has gone: entry is open.
    expect(entered?.turn).toBe(14 + 7);
    const c = entered!.population.entries[0]!;
    const company = sim.world.companies[c]!;
    expect(company.id).toBe('C4');
    expect(names).not.toContain(company.name);
    expect(sim.world.budgetsCents[c]).toBe(company.initialBudgetCents);
    expect(sim.world.purchaseCounts[c]).toBe(0);
    expect(sim.world.totals().entryCapitalCents).toBeGreaterThan(0);
  });

  it('at most entryRate of the slots ready for an entrant, times how profitable the market is (rounded up), take one in a turn', () => {
    const entriesAfterSixExits = (entryRate: number, profitable = 100_000_000) => {
      const scenario = quietScenario({ companies: { count: 10, entryTurns: 1, entryRate, overheadPercent: 1 } });
      const rng = createRng(1);
      const world = generateWorld(scenario, rng);
      world.turn = 1;
      exitAndEnter(world, scenario, rng, [0, 1, 2, 3, 4, 5], profitable);
      world.turn = 2;
      return exitAndEnter(world, scenario, rng, [], profitable).entries;
    };
    expect(entriesAfterSixExits(1)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(entriesAfterSixExits(0.5)).toEqual([0, 1, 2]);
    expect(entriesAfterSixExits(0.1)).toEqual([0]);
    // A profit per company far below the fixed costs: the entry flow is at its least, one slot.
    expect(entriesAfterSixExits(0.5, 100)).toEqual([0]);
    // No profit: no entry.
    expect(entriesAfterSixExits(0.5, 0)).toEqual([]);
  });

  it('no entry during a credit freeze', () => {
    const sim = createSimulation(
      quietScenario({ ...DRAINING, timeline: [{ at: 1, shock: 'credit_freeze', turns: 100, severity: 1 }] }),
      2,
    );
    for (let i = 0; i < 60; i++) expect(sim.step().population.entries).toEqual([]);
  });
});
