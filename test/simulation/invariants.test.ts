import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/simulation/generate-world.js';
import { createRng, createSimulation, loadScenario, type Scenario, SHOCK_KINDS } from '../../src/simulation/index.js';
import { computeOfferPriceCents } from '../../src/simulation/pricing.js';
import { backorderQueueProblems } from '../../src/simulation/market/backorder-queues.js';
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
    overhead: fc.double({ min: 0, max: 20, noNaN: true }),
    // Down to the smallest doubles: a chance whose 1 - chance rounds to 1 must not stall a turn.
    costShock: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
    dividend: fc.double({ min: 0, max: 50, noNaN: true }),
    bankruptcy: fc.integer({ min: 1, max: 5 }),
    entry: fc.integer({ min: 1, max: 5 }),
    entryRate: fc.double({ min: 0.01, max: 1, noNaN: true }),
    lead: fc.integer({ min: 1, max: 5 }),
    spendRate: fc.double({ min: 0, max: 1, noNaN: true }),
    creditWorth: fc.double({ min: 0, max: 2, noNaN: true }),
    windfall: fc.double({ min: 0, max: 1, noNaN: true }),
    pause: fc.boolean(),
    outageTurns: fc.integer({ min: 1, max: 12 }),
    outageKeep: fc.double({ min: 0, max: 1, noNaN: true }),
    loadExponent: fc.double({ min: 0, max: 4, noNaN: true }),
    windfallLimit: fc.double({ min: 0.01, max: 1, noNaN: true }),
    switching: fc.double({ min: 0, max: 1, noNaN: true }),
    bySize: fc.boolean(),
    marginStep: fc.double({ min: 0, max: 30, noNaN: true }),
    capacityMultiple: fc.double({ min: 0, max: 5, noNaN: true }),
    burst: fc.integer({ min: 0, max: 20 }),
    referenceCover: fc.double({ min: 0, max: 8, noNaN: true }),
    glutResponse: fc.double({ min: 0, max: 0.2, noNaN: true }),
    patience: fc.integer({ min: 0, max: 8 }),
    maxPerProduct: fc.integer({ min: 0, max: 6 }),
    late: fc.integer({ min: 0, max: 6 }),
    turnMinutes: fc.integer({ min: 1, max: 2_000 }),
    hourly: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 24, maxLength: 24 }),
    timeline: fc.array(
      fc.record({
        at: fc.integer({ min: 1, max: 30 }),
        shock: fc.constantFrom(...SHOCK_KINDS),
        turns: fc.integer({ min: 1, max: 20 }),
        severity: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { maxLength: 4 },
    ),
  })
  .map((r) =>
    loadScenario({
      companies: {
        count: r.companies,
        budgetMin: 0,
        budgetMax: r.budgetMax,
        overheadPercent: r.overhead,
        costShock: r.costShock,
        dividendPercent: r.dividend,
        bankruptcyTurns: r.bankruptcy,
        entryTurns: r.entry,
        entryRate: r.entryRate,
        marginStep: r.marginStep,
      },
      households: {
        spendRate: r.spendRate,
        creditWorth: r.creditWorth,
        windfallSpend: r.windfall,
        windfallLimit: r.windfallLimit,
      },
      calendar: { turnMinutes: r.turnMinutes, hourly: r.hourly.some((v) => v > 0) ? r.hourly : undefined },
      timeline: r.timeline,
      backorders: { patienceTurns: r.patience, maxPerProduct: r.maxPerProduct, lateTurns: r.late },
      products: { count: r.products, priceMin: 0.5, priceMax: 300 },
      suppliers: {
        count: r.suppliers,
        productsMin: 1,
        productsMax: Math.min(5, r.products),
        stockMin: 0,
        stockMax: 40,
        leadTurns: r.lead,
        capacityMultiple: r.capacityMultiple,
        capacityBurstTurns: r.burst,
        referenceCover: r.referenceCover,
        pauseWhileWithdrawn: r.pause,
      },
      market: {
        selectionProbability: r.selection,
        quantityMin: 1,
        quantityMax: 20,
        switchProbability: r.switching,
        sampleBySize: r.bySize,
        glutResponse: r.glutResponse,
      },
      events: {
        interval: r.interval,
        budgetRefill: { probability: r.eventProbability },
        restock: { probability: r.eventProbability },
        inflation: { probability: r.eventProbability, holdTurns: r.hold, declineTurns: r.decline },
        availability: { probability: r.eventProbability, deactivate: 0.4, reactivate: 0.4 },
        supplierRefill: { probability: r.eventProbability },
        supplierOutage: {
          probability: r.eventProbability,
          turnsMin: 1,
          turnsMax: r.outageTurns,
          keep: r.outageKeep,
          loadExponent: r.loadExponent,
        },
      },
    }),
  );

/** Busy markets with scarce supply: offers run out of stock, so orders wait. */
const scarceScenarioArb: fc.Arbitrary<Scenario> = fc
  .tuple(
    scenarioArb,
    fc.record({
      selection: fc.double({ min: 0.3, max: 1, noNaN: true }),
      spendRate: fc.double({ min: 0.02, max: 0.5, noNaN: true }),
      stockMax: fc.integer({ min: 0, max: 10 }),
      capacity: fc.integer({ min: 0, max: 3 }),
      capacityMultiple: fc.double({ min: 0, max: 1.5, noNaN: true }),
    }),
  )
  .map(([s, r]) =>
    loadScenario({
      ...s,
      households: { ...s.households, spendRate: r.spendRate },
      market: { ...s.market, selectionProbability: r.selection },
      suppliers: {
        ...s.suppliers,
        stockMax: r.stockMax,
        capacity: r.capacity,
        capacityMultiple: r.capacityMultiple,
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
        // A world may open with goods in transit (suppliers.initialCover).
        const initialGoods = sum(w.offerStock) + sum(w.inventory) + sum(w.inTransit);
        let spent = 0;
        let refilled = 0;
        let goodsIn = 0;
        let revenue = 0;
        let paidOut = 0;
        let consumed = 0;
        let ordered = 0;
        let household = 0;
        for (let turn = 0; turn < 40; turn++) {
          const report = sim.step();
          const t = w.totals();
          if (turn === 0) household = t.initialHouseholdCents;
          // Backorders are paid when delivered: their sales are the turn's other purchases.
          spent += report.aggregates.amountCents + report.backorders.deliveredCents;
          revenue += report.market.revenueCents;
          paidOut += report.market.overheadCents + report.market.dividendCents;
          consumed += report.market.unitsConsumed;
          ordered += report.market.ordered;
          for (const e of report.events) {
            if (e.type === 'budget_refill') refilled += e.total;
            if (e.type === 'restock' || e.type === 'supplier_refill') goodsIn += e.total;
          }
          // The report's flows add up to the running totals.
          expect([t.spentCents, t.revenueCents, t.overheadCents + t.dividendCents]).toEqual([spent, revenue, paidOut]);
          expect([t.refilledCents, t.consumedGoods, t.producedGoods]).toEqual([refilled, consumed, ordered]);
          // Money: companies' budgets and households' money, in integer cents.
          const budgets = sum(w.budgetsCents);
          expect(budgets).toBe(
            initialBudget + refilled + revenue + t.entryCapitalCents - spent - paidOut - t.writtenOffCents,
          );
          expect(report.market.householdCents).toBe(
            household + spent + paidOut + t.writtenOffCents - revenue - t.entryCapitalCents,
          );
          expect(budgets + report.market.householdCents).toBe(initialBudget + household + refilled);
          expect(Number.isInteger(budgets) && Number.isInteger(report.market.householdCents)).toBe(true);
          // Goods: suppliers' stock, companies' inventories and goods in transit.
          const inTransit = sum(w.inTransit);
          expect(inTransit).toBe(report.market.inTransit);
          expect(sum(w.offerStock) + sum(w.inventory) + inTransit).toBe(
            initialGoods + goodsIn + ordered - consumed - t.liquidatedGoods - t.lostGoods,
          );
          const { marginMin, marginMax, marginPercent } = scenario.companies;
          for (let c = 0; c < w.companies.length; c++) {
            expect(w.budgetsCents[c]).toBeGreaterThanOrEqual(0);
            expect(w.inventory[c]).toBeGreaterThanOrEqual(0);
            // Customers move between companies, never below none; margins stay in their bounds.
            expect(Number.isFinite(w.customers[c]) && w.customers[c]! >= 0).toBe(true);
            expect(w.margins[c]).toBeGreaterThanOrEqual(Math.min(marginMin, marginPercent));
            expect(w.margins[c]).toBeLessThanOrEqual(Math.max(marginMax, marginPercent));
          }
          expect(Number.isFinite(report.market.demandIndex) && report.market.demandIndex >= 0).toBe(true);
          for (let o = 0; o < w.offerStock.length; o++) {
            expect(w.offerStock[o]).toBeGreaterThanOrEqual(0);
            expect(w.inTransit[o]).toBeGreaterThanOrEqual(0);
          }
          expect(report.market.householdCents).toBeGreaterThanOrEqual(0);
          for (let p = 0; p < w.products.length; p++) {
            expect(Number.isFinite(w.prices[p]) && (w.prices[p] ?? 0) > 0).toBe(true);
          }
          for (const tr of report.transactions ?? []) {
            if (!tr.success) expect([tr.quantity, tr.amountCents]).toEqual([0, 0]);
            else expect(tr.quantity).toBeGreaterThan(0);
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

  it("journals every change of a turn but the households' operations: replaying the records on the last turn gives this one, up to what the operations moved", () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), (scenario, seed) => {
        const sim = createSimulation(scenario, seed);
        const w = sim.world;
        for (let turn = 0; turn < 30; turn++) {
          const budgets = Array.from(w.budgetsCents);
          const spent = Array.from(w.spentCents);
          const purchases = Array.from(w.purchaseCounts);
          const stock = Array.from(w.offerStock);
          const activeBefore = Array.from(w.companyActive);
          const report = sim.step();
          const companies = w.companyChanges();
          const entered = new Set<number>();
          for (let i = 0; i < companies.count; i++) {
            const c = companies.company[i]!;
            // A company entering an empty slot starts from nothing bought, with its initial
            // budget (its first record says so; an event later in the turn may add its own).
            if (report.population.entries.includes(c) && !entered.has(c)) {
              entered.add(c);
              expect([companies.purchases[i], companies.spentCents[i], companies.budgetChangeCents[i]]).toEqual([
                0,
                0,
                companies.initialBudgetCents[i],
              ]);
              purchases[c] = 0;
              spent[c] = 0;
            }
            // Budgets are replayed by change: the households' operations (sales, fixed costs,
            // dividends) move every budget every turn and are not journaled.
            budgets[c] = budgets[c]! + companies.budgetChangeCents[i]!;
            expect(companies.initialBudgetCents[i]).toBe(w.initialBudgetsCents[c]);
            const bought = companies.purchased[i]!;
            expect(companies.purchases[i]! - bought).toBe(purchases[c]);
            if (!bought) expect(companies.spentCents[i]).toBe(spent[c]);
            spent[c] = companies.spentCents[i]!;
            purchases[c] = companies.purchases[i]!;
          }
          // What the replay leaves out is the operations' moves: sales less fixed costs and dividends.
          const { revenueCents, overheadCents, dividendCents } = report.market;
          const unjournaled = Array.from(w.budgetsCents).reduce((a, b, c) => a + b - budgets[c]!, 0);
          expect(unjournaled).toBe(revenueCents - overheadCents - dividendCents);
          activeBefore.forEach((active, c) => {
            // A slot out of the market when the households spent had no operations.
            if (active !== 1) expect(w.budgetsCents[c], `company ${c}`).toBe(budgets[c]);
          });
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

  it('keeps the backorders in their queues, within their patience and caps, every order accounted for, money and goods conserved', () => {
    let inFlight = 0;
    fc.assert(
      fc.property(scarceScenarioArb, fc.nat(), (scenario, seed) => {
        const rng = createRng(seed);
        const world = generateWorld(scenario, rng);
        const money = sum(world.budgetCents) + world.householdCents;
        const buyers = new Int32Array(world.companies.length);
        const { patienceTurns, maxPerProduct } = scenario.backorders;
        let placed = 0;
        let filled = 0;
        let cancelled = 0;
        let decided = 0;
        for (let turn = 0; turn < 40; turn++) {
          const { backorders: b } = playTurn(world, scenario, rng, buyers);
          placed += b.placed;
          filled += b.filled;
          cancelled += b.cancelled;
          expect(backorderQueueProblems(world)).toEqual([]);
          // Each order is decided once: late, filled on time or cancelled early; or it waits, not yet late.
          decided += b.late + b.filledOnTime + b.cancelledEarly;
          expect(b.filledOnTime).toBeLessThanOrEqual(b.filled);
          expect(b.cancelledEarly).toBeLessThanOrEqual(b.cancelled);
          let waitingOnTime = 0;
          for (let c = 0; c < world.companies.length; c++) {
            if (world.backorderProduct[c] !== -1 && world.backorderLate[c] === 0) waitingOnTime += 1;
          }
          expect(placed).toBe(decided + waitingOnTime);
          // Every order queued is filled, cancelled, or still waiting.
          expect(placed).toBe(filled + cancelled + b.openOrders);
          expect([placed, filled, cancelled]).toEqual([
            world.totals.backordersPlaced,
            world.totals.backordersFilled,
            world.totals.backordersCancelled,
          ]);
          expect(b.openOrders).toBe(sum(world.backlogLength));
          expect(b.openUnits).toBe(sum(world.backlogUnits));
          expect(b.waits.length).toBe(b.filled);
          for (const wait of b.waits) expect(wait >= 1 && wait <= patienceTurns).toBe(true);
          expect(b.oldestAgeTurns).toBeLessThanOrEqual(patienceTurns);
          if (patienceTurns === 0) expect(b.placed + b.openOrders).toBe(0);
          for (let p = 0; p < world.backlogLength.length; p++) {
            expect(world.backlogLength[p]).toBeLessThanOrEqual(maxPerProduct);
          }
          for (let c = 0; c < world.companies.length; c++) {
            // Only companies in the market wait, each for at most one order.
            if (world.backorderProduct[c] !== -1) expect(world.companyActive[c]).toBe(1);
          }
          inFlight += b.openOrders;
          // Conserved with orders in flight: a waiting order holds neither money nor goods.
          const t = world.totals;
          expect(sum(world.budgetCents) + world.householdCents).toBe(money + t.refilledCents);
          expect(sum(world.offerStock) + sum(world.inventory) + world.inTransitTotal).toBe(
            t.initialGoods +
              t.restockedGoods +
              t.refilledGoods +
              t.producedGoods -
              t.consumedGoods -
              t.liquidatedGoods -
              t.lostGoods,
          );
        }
      }),
      { numRuns: 60 },
    );
    // The conservation laws above ran with orders waiting, not only with empty queues.
    expect(inFlight).toBeGreaterThan(0);
  });
});
