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
      expect(m.fillRate).toBe(a.quantityWanted > 0 ? a.quantity / a.quantityWanted : 1);
      expect(m.fillRate).toBeLessThanOrEqual(1);
      if (a.successes > 0) expect(m.paidPriceIndex).toBeGreaterThan(0);
      exits += m.exits;
      shocks = Math.max(shocks, m.shocksInForce);
    });
    // The crisis story ran: an insolvency wave and overlapping shocks.
    expect(exits).toBeGreaterThan(0);
    expect(shocks).toBeGreaterThanOrEqual(2);
  });
});
