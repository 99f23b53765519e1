import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eachTurn } from './harness.js';

describe('budget service', () => {
  it('matches the budgets recomputed from the world, every turn, its spread over the companies in the market', () => {
    let refills = 0;
    let refillAmount = 0;
    let turnsWithEmptySlots = 0;
    let initial: number | undefined;
    const crisis = JSON.parse(readFileSync('scenarios/crisis.json', 'utf8')) as { events: object; companies: object };
    // Refills on, so their count and amount are checked too; fixed costs that make some
    // companies exit, and entrants slow to take their slots, so the spread has empty slots to skip.
    const scenario = {
      ...crisis,
      companies: { ...crisis.companies, overheadPercent: 3, bankruptcyTurns: 2, entryTurns: 20 },
      events: { ...crisis.events, interval: 5, budgetRefill: { probability: 0.5 } },
    };
    eachTurn(scenario, 11, 80, ({ snapshot, world, report }) => {
      const b = snapshot.budget;
      const all = Array.from(world.budgetsCents, (c) => c / 100);
      const budgets = all.filter((_, c) => world.companyActive[c] === 1);
      if (budgets.length < all.length) turnsWithEmptySlots += 1;
      // The run's initial total: its first companies', entrants' not added.
      initial ??= world.companies.reduce((s, c) => s + c.initialBudgetCents, 0) / 100;
      const sorted = [...budgets].sort((x, y) => x - y);
      const n = budgets.length;
      const sum = budgets.reduce((s, v) => s + v, 0);
      expect(b.total).toBeCloseTo(sum, 6);
      expect(b.mean).toBeCloseTo(sum / n, 6);
      expect(b.min).toBe(sorted[0]);
      expect(b.max).toBe(sorted[n - 1]);
      expect(b.median).toBeCloseTo(n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2, 6);
      // Gini from its definition: mean absolute difference over twice the mean.
      let pairs = 0;
      for (const x of budgets) for (const y of budgets) pairs += Math.abs(x - y);
      expect(b.gini).toBeCloseTo(sum === 0 ? 0 : pairs / (2 * n * n * (sum / n)), 9);
      expect(b.initialTotal).toBeCloseTo(initial, 6);
      expect(b.evolutionPercent).toBeCloseTo(((sum - initial) / initial) * 100, 6);
      const states = { insolvent: 0, struggling: 0, stable: 0, prosperous: 0 };
      world.companies.forEach((c, i) => {
        const v = all[i]!;
        const start = c.initialBudgetCents / 100;
        if (v < 100) states.insolvent++;
        else if (v < 0.25 * start) states.struggling++;
        else if (v > 1.5 * start) states.prosperous++;
        else states.stable++;
      });
      expect(b.companiesByState).toEqual(states);
      expect(b.solvent).toBe(all.length - states.insolvent);
      for (const e of report.events) {
        if (e.type === 'budget_refill') {
          refills += 1;
          refillAmount += e.total / 100;
        }
      }
      expect(b.refills.count).toBe(refills);
      expect(b.refills.amount).toBeCloseTo(refillAmount, 6);
    });
    expect(refills).toBeGreaterThan(0);
    expect(turnsWithEmptySlots).toBeGreaterThan(10);
  });

  // Refills large enough to carry companies across the prosperous limit and back as they buy.
  const growing = (thresholds: object) => ({
    // The market before households: companies buy whatever their budget allows, refills pay.
    companies: {
      count: 30,
      budgetMin: 500,
      budgetMax: 2000,
      inventoryCoverTurns: 1_000,
      overheadPercent: 0,
      dividendPercent: 0,
    },
    households: { spendRate: 0.001 },
    suppliers: { capacity: 0, capacityMultiple: 0 },
    calendar: { hourly: Array<number>(24).fill(1) },
    products: { priceMin: 5, priceMax: 40 },
    market: { selectionProbability: 0.8, quantityMin: 1, quantityMax: 2 },
    events: { interval: 1, budgetRefill: { probability: 0.5, min: 20, max: 120 } },
    thresholds,
  });

  it.each([
    ['the usual order of limits', { solventMinimum: 300, strugglingBelowShare: 0.6, prosperousAboveShare: 1.1 }],
    [
      'a prosperous limit below the struggling one',
      { solventMinimum: 200, strugglingBelowShare: 1.2, prosperousAboveShare: 0.9 },
    ],
    [
      'a solvent minimum above the prosperous limit',
      { solventMinimum: 1500, strugglingBelowShare: 0.3, prosperousAboveShare: 0.5 },
    ],
  ])('classifies every company as recomputed from the world, with %s', (_, thresholds) => {
    const moves = { in: 0, out: 0 };
    let previous = -1;
    eachTurn(growing(thresholds), 3, 300, ({ snapshot, world }) => {
      const states = { insolvent: 0, struggling: 0, stable: 0, prosperous: 0 };
      world.companies.forEach((c, i) => {
        const v = world.budgetsCents[i]! / 100;
        const start = c.initialBudgetCents / 100;
        if (v < thresholds.solventMinimum) states.insolvent++;
        else if (v < thresholds.strugglingBelowShare * start) states.struggling++;
        else if (v > thresholds.prosperousAboveShare * start) states.prosperous++;
        else states.stable++;
      });
      expect(snapshot.budget.companiesByState).toEqual(states);
      const budgets = Array.from(world.budgetsCents, (c) => c / 100);
      expect(snapshot.budget.min).toBe(Math.min(...budgets));
      expect(snapshot.budget.max).toBe(Math.max(...budgets));
      if (previous >= 0 && states.prosperous > previous) moves.in += 1;
      if (previous >= 0 && states.prosperous < previous) moves.out += 1;
      previous = states.prosperous;
    });
    // Companies did cross the prosperous limit, both ways.
    expect(moves.in).toBeGreaterThan(3);
    expect(moves.out).toBeGreaterThan(3);
  });

  it('finds the new lowest budget when only the poorest company moved up (a refill nobody spends)', () => {
    const idle = {
      companies: { count: 25, budgetMin: 1, budgetMax: 3 },
      products: { priceMin: 500, priceMax: 900 },
      events: { interval: 1, budgetRefill: { probability: 0.5, min: 1, max: 5 } },
    };
    let checked = 0;
    eachTurn(idle, 8, 40, ({ snapshot, world }) => {
      const budgets = Array.from(world.budgetsCents, (c) => c / 100);
      expect(snapshot.budget.min).toBe(Math.min(...budgets));
      expect(snapshot.budget.max).toBe(Math.max(...budgets));
      checked += 1;
    });
    expect(checked).toBe(40);
  });
});
