import { CONTINENTS, type Continent, STRATEGIES, type Strategy } from '../../simulation/index.js';
import { fromCents } from '../figures.js';
import type { ServiceDefinition } from '../metrics-service.js';

/** One company in the top-by-spend list; money in currency units. */
export interface TopCompany {
  readonly id: string;
  readonly name: string;
  readonly continent: Continent;
  readonly strategy: Strategy;
  readonly spent: number;
  readonly budget: number;
  readonly purchases: number;
}

/** Company figures for one turn. */
export interface CompanyFigures {
  readonly count: number;
  readonly byStrategy: Readonly<Record<Strategy, number>>;
  readonly byContinent: Readonly<Record<Continent, number>>;
  /** Companies that tried to buy this turn. */
  readonly buyersThisTurn: number;
  /** Successful purchases per company since the start: spread over companies. */
  readonly purchasesPerCompany: { readonly mean: number; readonly min: number; readonly max: number };
  /** The companies that spent most since the start, most first (at most `topN`). */
  readonly topBySpend: readonly TopCompany[];
}

/** The company service: population counts, purchase spread and the biggest spenders. */
export function companyService(topN: number): ServiceDefinition<CompanyFigures> {
  let byStrategy: Record<Strategy, number> | undefined;
  let byContinent: Record<Continent, number> | undefined;
  return {
    name: 'company',
    compute({ report, world }) {
      const n = world.companies.length;
      if (!byStrategy || !byContinent) {
        // Strategy and continent never change: count them once.
        byStrategy = Object.fromEntries(STRATEGIES.map((s) => [s, 0])) as Record<Strategy, number>;
        byContinent = Object.fromEntries(CONTINENTS.map((c) => [c, 0])) as Record<Continent, number>;
        for (const company of world.companies) {
          byStrategy[company.strategy] += 1;
          byContinent[company.continent] += 1;
        }
      }
      // Top N by spend: a small sorted array, so the scan stays O(companies x N) at worst.
      const top: number[] = [];
      let purchasesTotal = 0;
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      const { purchaseCounts, spentCents } = world;
      for (let c = 0; c < n; c++) {
        const purchases = purchaseCounts[c]!;
        purchasesTotal += purchases;
        if (purchases < lo) lo = purchases;
        if (purchases > hi) hi = purchases;
        const spent = spentCents[c]!;
        if (spent === 0 || (top.length === topN && spent <= spentCents[top[top.length - 1]!]!)) continue;
        let at = top.length;
        while (at > 0 && spentCents[top[at - 1]!]! < spent) at -= 1;
        top.splice(at, 0, c);
        if (top.length > topN) top.pop();
      }
      return {
        count: n,
        byStrategy,
        byContinent,
        buyersThisTurn: report.aggregates.attempts,
        purchasesPerCompany: { mean: purchasesTotal / n, min: lo, max: hi },
        topBySpend: top.map((c) => {
          const info = world.companies[c]!;
          return Object.freeze({
            id: info.id,
            name: info.name,
            continent: info.continent,
            strategy: info.strategy,
            spent: fromCents(world.spentCents[c]!),
            budget: fromCents(world.budgetsCents[c]!),
            purchases: world.purchaseCounts[c]!,
          });
        }),
      };
    },
  };
}
