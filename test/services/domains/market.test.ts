import { describe, expect, it } from 'vitest';
import { eachTurn } from './harness.js';

describe('market service', () => {
  it("matches the turn's report and the world's running totals, every turn", () => {
    let exits = 0;
    let shocks = 0;
    eachTurn('crisis', 2, 1_300, ({ snapshot, world, report }) => {
      const m = snapshot.market;
      const totals = world.totals();
      expect(m.demandIndex).toBe(report.market.demandIndex);
      expect(m.householdMoney).toBeCloseTo(report.market.householdCents / 100, 6);
      expect(m.revenueTotal).toBeCloseTo(totals.revenueCents / 100, 6);
      expect(m.consumedUnitsTotal).toBe(totals.consumedGoods);
      expect(m.inTransit).toBe(report.market.inTransit);
      expect([m.exitsTotal, m.entriesTotal]).toEqual([totals.exits, totals.entries]);
      let active = 0;
      for (let c = 0; c < world.companies.length; c++) active += world.companyActive[c]!;
      expect(m.activeCompanies).toBe(active);
      const a = report.aggregates;
      expect(m.simulatedTime * 1000).toBe(report.market.timeMs);
      expect(m.unitsAsked).toBe(report.market.unitsAsked);
      if (a.quantityWanted > 0) {
        expect(m.fillRate).toBe(a.quantity / a.quantityWanted);
        expect(m.fillRate).toBeLessThanOrEqual(1);
      } else expect(m.fillRate).toBeNaN();
      if (a.successes > 0) expect(m.paidPriceIndex).toBeGreaterThan(0);
      exits += m.exits;
      shocks = Math.max(shocks, m.shocksInForce);
    });
    // The crisis story ran: an insolvency wave and overlapping shocks.
    expect(exits).toBeGreaterThan(0);
    expect(shocks).toBeGreaterThanOrEqual(2);
  });

  it('reports the ratios of a turn with no attempt as absent, never 0, 1 or 100, and alerts keep their state', () => {
    // Nobody is ever drawn to buy: every turn has nothing to measure.
    const quiet = { market: { selectionProbability: 0 }, calendar: { hourly: Array<number>(24).fill(1) } };
    let seen = 0;
    eachTurn(quiet, 1, 30, ({ snapshot }) => {
      expect(snapshot.transaction.attempts).toBe(0);
      expect(snapshot.transaction.failureRate).toBeNaN();
      expect(snapshot.transaction.successRate).toBeNaN();
      expect(snapshot.market.fillRate).toBeNaN();
      expect(snapshot.market.paidPriceIndex).toBeNaN();
      expect(snapshot.transaction.meanAmount).toBeNaN();
      expect(snapshot.transaction.meanQuantity).toBeNaN();
      expect(snapshot.transaction.intercontinentalShare).toBeNaN();
      // Products are listed: the listed price index has prices to measure.
      expect(snapshot.product.priceIndex).toBeGreaterThan(0);
      // The failure-rate rule (a mean over 5 turns of absent values) neither fires nor resolves.
      expect(snapshot.alerts.transitions.filter((t) => t.rule === 'transaction_failure_rate_high')).toEqual([]);
      // Once the window holds turns, all of them absent: its mean is absent too.
      if (snapshot.turn > 2) expect(snapshot.transaction.window.successRateMean).toBeNaN();
      seen += 1;
    });
    expect(seen).toBe(30);
  });

  it('reports the listed price index as absent while every product is withdrawn, and present again after', () => {
    const recall = { timeline: [{ at: 5, shock: 'product_recall', turns: 3 }] };
    const indexAt = new Map<number, number>();
    eachTurn(recall, 1, 10, ({ snapshot }) => indexAt.set(snapshot.turn, snapshot.product.priceIndex));
    for (const turn of [5, 6, 7]) expect(indexAt.get(turn)).toBeNaN();
    for (const turn of [4, 8]) expect(indexAt.get(turn)).toBeGreaterThan(0);
  });
});
