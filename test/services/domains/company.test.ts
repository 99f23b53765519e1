import { describe, expect, it } from 'vitest';
import { eachTurn } from './harness.js';

describe('company service', () => {
  it('counts companies and ranks the top spenders as the world has them', () => {
    eachTurn({ companies: { count: 40 }, services: { topCompanies: 5 } }, 4, 30, ({ snapshot, world, report }) => {
      const c = snapshot.company;
      expect(c.count).toBe(40);
      expect(c.byStrategy.cheapest + c.byStrategy.by_type).toBe(40);
      expect(c.byStrategy.cheapest).toBe(world.companies.filter((x) => x.strategy === 'cheapest').length);
      expect(Object.values(c.byContinent).reduce((a, b) => a + b, 0)).toBe(40);
      expect(c.byContinent.Europe).toBe(world.companies.filter((x) => x.continent === 'Europe').length);
      expect(c.buyersThisTurn).toBe(report.aggregates.attempts);
      const purchases = Array.from(world.purchaseCounts);
      expect(c.purchasesPerCompany.mean).toBeCloseTo(purchases.reduce((a, b) => a + b, 0) / 40, 9);
      expect(c.purchasesPerCompany.max).toBe(Math.max(...purchases));
      expect(c.purchasesPerCompany.min).toBe(Math.min(...purchases));
      const expected = world.companies
        .map((x) => ({ id: x.id, spent: world.spentCents[x.index]! / 100 }))
        .filter((x) => x.spent > 0)
        .sort((a, b) => b.spent - a.spent)
        .slice(0, 5);
      expect(c.topBySpend.map((x) => x.spent)).toEqual(expected.map((x) => x.spent));
      expect(c.topBySpend.length).toBeLessThanOrEqual(5);
    });
  });
});
