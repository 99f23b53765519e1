import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/simulation/generate-world.js';
import { createRng, createSimulation, loadScenario, type Scenario } from '../../src/simulation/index.js';
import { computeOfferPriceCents } from '../../src/simulation/pricing.js';
import { playTurn } from '../../src/simulation/simulation.js';

/** Random but valid scenarios: small worlds with every event likely to fire. */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    companies: fc.integer({ min: 1, max: 12 }),
    products: fc.integer({ min: 1, max: 15 }),
    suppliers: fc.integer({ min: 1, max: 6 }),
    budgetMax: fc.integer({ min: 10, max: 5_000 }),
    selection: fc.double({ min: 0, max: 1, noNaN: true }),
    interval: fc.integer({ min: 1, max: 4 }),
    eventProbability: fc.double({ min: 0, max: 1, noNaN: true }),
    hold: fc.integer({ min: 0, max: 4 }),
    decline: fc.integer({ min: 1, max: 6 }),
  })
  .map((r) =>
    loadScenario({
      companies: { count: r.companies, budgetMin: 0, budgetMax: r.budgetMax },
      products: { count: r.products, priceMin: 0.5, priceMax: 300 },
      suppliers: {
        count: r.suppliers,
        productsMin: 1,
        productsMax: Math.min(5, r.products),
        stockMin: 0,
        stockMax: 40,
      },
      market: { selectionProbability: r.selection, quantityMin: 1, quantityMax: 20 },
      events: {
        interval: r.interval,
        budgetRefill: { probability: r.eventProbability },
        restock: { probability: r.eventProbability },
        inflation: { probability: r.eventProbability, holdTurns: r.hold, declineTurns: r.decline },
        availability: { probability: r.eventProbability, deactivate: 0.4, reactivate: 0.4 },
        supplierRefill: { probability: r.eventProbability },
      },
    }),
  );

const sum = (values: ArrayLike<number>): number => {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
};

describe('market invariants (property tests)', () => {
  it('conserves money and goods, keeps everything non-negative and prices finite', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat({ max: 2 ** 31 }), (scenario, seed) => {
        const sim = createSimulation(scenario, seed);
        const w = sim.world;
        const initialBudget = sum(w.budgetsCents);
        const initialGoods = sum(w.offerStock);
        let spent = 0;
        let refilled = 0;
        let goodsIn = 0;
        for (let turn = 0; turn < 40; turn++) {
          const report = sim.step();
          spent += report.aggregates.amountCents;
          for (const e of report.events) {
            if (e.type === 'budget_refill') refilled += e.total;
            if (e.type === 'restock' || e.type === 'supplier_refill') goodsIn += e.total;
          }
          expect(sum(w.budgetsCents) + spent).toBe(initialBudget + refilled);
          let companyGoods = 0;
          for (let c = 0; c < w.companies.length; c++) {
            expect(w.budgetsCents[c]).toBeGreaterThanOrEqual(0);
            for (let p = 0; p < w.products.length; p++) companyGoods += w.companyStock(c, p);
          }
          expect(sum(w.offerStock) + companyGoods).toBe(initialGoods + goodsIn);
          for (let o = 0; o < w.offerStock.length; o++) expect(w.offerStock[o]).toBeGreaterThanOrEqual(0);
          for (let p = 0; p < w.products.length; p++) {
            expect(Number.isFinite(w.prices[p]) && (w.prices[p] ?? 0) > 0).toBe(true);
          }
          for (const t of report.transactions ?? []) {
            if (!t.success) expect([t.quantity, t.amountCents]).toEqual([0, 0]);
            else expect(t.quantity).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps every cached offer price equal to a fresh computation', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, seed) => {
        const rng = createRng(seed);
        const world = generateWorld(scenario, rng);
        const buyers = new Int32Array(world.companies.length);
        for (let turn = 0; turn < 30; turn++) {
          playTurn(world, scenario, rng, buyers);
          for (let offer = 0; offer < world.offerProduct.length; offer++) {
            expect(world.offerPriceCents[offer]).toBe(computeOfferPriceCents(world, scenario, offer));
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('journals every change of a turn: replaying the records on the last turn gives this one', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, seed) => {
        const sim = createSimulation(scenario, seed);
        const w = sim.world;
        for (let turn = 0; turn < 30; turn++) {
          const budgets = Array.from(w.budgetsCents);
          const spent = Array.from(w.spentCents);
          const purchases = Array.from(w.purchaseCounts);
          const stock = Array.from(w.offerStock);
          sim.step();
          const companies = w.companyChanges();
          for (let i = 0; i < companies.count; i++) {
            const c = companies.company[i]!;
            // Each record starts where the last change of that company left it.
            expect(companies.budgetCents[i]! - companies.budgetChangeCents[i]!).toBe(budgets[c]);
            budgets[c] = companies.budgetCents[i]!;
            expect(companies.initialBudgetCents[i]).toBe(w.initialBudgetsCents[c]);
            const bought = companies.purchased[i]!;
            expect(companies.purchases[i]! - bought).toBe(purchases[c]);
            if (!bought) expect(companies.spentCents[i]).toBe(spent[c]);
            spent[c] = companies.spentCents[i]!;
            purchases[c] = companies.purchases[i]!;
          }
          expect(budgets).toEqual(Array.from(w.budgetsCents));
          expect(spent).toEqual(Array.from(w.spentCents));
          expect(purchases).toEqual(Array.from(w.purchaseCounts));
          const offers = w.offerChanges();
          for (let i = 0; i < offers.count; i++) {
            const o = offers.offer[i]!;
            expect(offers.stock[i]! - offers.stockChange[i]!).toBe(stock[o]);
            expect([offers.product[i], offers.supplier[i]]).toEqual([w.offerProduct[o], w.offerSupplier[o]]);
            stock[o] = offers.stock[i]!;
          }
          expect(stock).toEqual(Array.from(w.offerStock));
        }
      }),
      { numRuns: 40 },
    );
  });
});
