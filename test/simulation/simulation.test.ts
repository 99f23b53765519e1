import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, loadScenario, type TurnReport } from '../../src/simulation/index.js';

const DEFAULT = loadScenario(readFileSync('scenarios/default.json', 'utf8'));

function run(seed: number, turns: number): TurnReport[] {
  const sim = createSimulation(DEFAULT, seed);
  return Array.from({ length: turns }, () => sim.step());
}

describe('createSimulation', () => {
  it('gives deep-equal reports for the same scenario and seed over 500 turns', () => {
    expect(run(42, 500)).toEqual(run(42, 500));
  });

  it('gives different reports for another seed', () => {
    expect(run(42, 50)).not.toEqual(run(43, 50));
  });

  it('generates the same world for the same seed', () => {
    const a = createSimulation(DEFAULT, 5).world;
    const b = createSimulation(DEFAULT, 5).world;
    expect(a.companies).toEqual(b.companies);
    expect(a.suppliers).toEqual(b.suppliers);
    expect(a.products).toEqual(b.products);
    expect(Array.from(a.offerStock)).toEqual(Array.from(b.offerStock));
  });

  it('pins a short run of the default scenario (golden)', () => {
    const reports = run(2026, 60);
    const digest = createHash('sha256').update(JSON.stringify(reports)).digest('hex');
    const summary = reports
      .filter((r) => r.turn % 10 === 0)
      .map((r) => ({
        turn: r.turn,
        attempts: r.aggregates.attempts,
        successes: r.aggregates.successes,
        amountCents: r.aggregates.amountCents,
        events: r.events.map((e) => `${e.type}:${e.targetCount}`),
      }));
    expect({ digest, summary }).toMatchInlineSnapshot(`
      {
        "digest": "5507239388824704795e06186de62efbfa8bfba87b486aef32ff94ef25998d06",
        "summary": [
          {
            "amountCents": 32453746,
            "attempts": 190,
            "events": [],
            "successes": 190,
            "turn": 10,
          },
          {
            "amountCents": 50048034,
            "attempts": 261,
            "events": [
              "inflation:7",
            ],
            "successes": 261,
            "turn": 20,
          },
          {
            "amountCents": 2902200,
            "attempts": 18,
            "events": [],
            "successes": 18,
            "turn": 30,
          },
          {
            "amountCents": 25846953,
            "attempts": 201,
            "events": [],
            "successes": 151,
            "turn": 40,
          },
          {
            "amountCents": 4501204,
            "attempts": 48,
            "events": [
              "inflation:15",
            ],
            "successes": 34,
            "turn": 50,
          },
          {
            "amountCents": 23453220,
            "attempts": 168,
            "events": [],
            "successes": 139,
            "turn": 60,
          },
        ],
      }
    `);
  });

  it('numbers turns from 1 and exposes the world read-only', () => {
    const sim = createSimulation(DEFAULT, 1);
    expect(sim.turn).toBe(0);
    expect(sim.step().turn).toBe(1);
    expect(sim.world.turn).toBe(1);
    expect(Object.isFrozen(sim.world)).toBe(true);
    expect(Object.isFrozen(sim.world.companies[0])).toBe(true);
    expect(Object.isFrozen(sim.step())).toBe(true);
  });

  it('reports the end of each phase, in order, for the caller to time', () => {
    const sim = createSimulation(DEFAULT, 1);
    const phases: string[] = [];
    sim.step((phase) => phases.push(phase));
    expect(phases).toEqual(['prices', 'purchases', 'market', 'events']);
  });

  it('keeps only aggregates when the scenario turns the transaction list off', () => {
    const quiet = loadScenario({
      ...JSON.parse(readFileSync('scenarios/default.json', 'utf8')),
      report: { transactions: false },
    });
    const full = createSimulation(DEFAULT, 8);
    const lean = createSimulation(quiet, 8);
    for (let i = 0; i < 30; i++) {
      const a = full.step();
      const b = lean.step();
      expect(b.transactions).toBeNull();
      expect(b.aggregates).toEqual(a.aggregates);
      for (const event of b.events) expect(event.targets).toBeNull();
    }
  });

  it('agrees between the transaction list and the aggregates', () => {
    const sim = createSimulation(DEFAULT, 11);
    for (let i = 0; i < 100; i++) {
      const { transactions, aggregates } = sim.step();
      const list = transactions ?? [];
      expect(list).toHaveLength(aggregates.attempts);
      expect(list.filter((t) => t.success)).toHaveLength(aggregates.successes);
      expect(list.reduce((s, t) => s + t.amountCents, 0)).toBe(aggregates.amountCents);
      expect(list.reduce((s, t) => s + t.quantity, 0)).toBe(aggregates.quantity);
      expect(list.filter((t) => t.intercontinental)).toHaveLength(aggregates.intercontinental);
      for (const reason of Object.keys(aggregates.failuresByReason) as (keyof typeof aggregates.failuresByReason)[]) {
        expect(list.filter((t) => t.reason === reason)).toHaveLength(aggregates.failuresByReason[reason]);
      }
    }
  });
});

describe('entity names', () => {
  it('are unique on a large world, so legends and labels never merge two entities', () => {
    const world = createSimulation(loadScenario({ companies: { count: 5_000 }, suppliers: { count: 300 } }), 3).world;
    expect(new Set(world.companies.map((c) => c.name)).size).toBe(5_000);
    expect(new Set(world.suppliers.map((s) => s.name)).size).toBe(300);
    expect(world.companies.map((c) => c.name)).toContain('Harbor Foods 2');
  });
});
