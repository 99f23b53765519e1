import type { Continent, Strategy } from '../../simulation/index.js';
import { createCompanyCounts } from './company-counts.js';
import { createTopEntries, type TopCompany } from './top-entries.js';
import type { ServiceDefinition } from '../figure-service.js';
import { createTurnFollower } from './turn-follower.js';
import { PurchaseSpread } from './purchase-spread.js';
import { createTopRanking, type TopRanking } from './top-ranking.js';

export type { TopCompany } from './top-entries.js';

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
  const counts = createCompanyCounts();
  let ranking: TopRanking | undefined;
  const spread = new PurchaseSpread();
  const followsLastTurn = createTurnFollower();
  const entries = createTopEntries();

  return {
    name: 'company',
    compute({ report, world }) {
      const n = world.companies.length;
      const { entries: entered } = report.population;
      const { byStrategy, byContinent } = counts.update(world.companies, entered);
      const { purchaseCounts, spentCents } = world;
      const follows = followsLastTurn(report.turn);
      let topBySpend: TopCompany[];
      if (!ranking || !follows) {
        // First turn seen, or turns were played unseen: start from every company.
        ranking = createTopRanking(topN, n);
        // Entries kept from before turns played unseen may be stale: made afresh.
        entries.reset(n);
        ranking.rebuild(spentCents);
        spread.rebuild(purchaseCounts);
        topBySpend = ranking.indices.map((c) => entries.fromWorld(world, c));
      } else {
        // The engine's records carry the values after each change: no per-company lookups.
        spread.update(world.companyChanges(), purchaseCounts, ranking.floor());
        const { candidates } = spread;
        if (entered.length > 0) {
          // A new company's counts start again from 0: the spread takes every count afresh
          // (counts otherwise only grow), and the ranking too if the slot was listed.
          spread.rebuild(purchaseCounts);
          for (const c of entered) entries.forget(c);
        }
        if (entered.some((c) => ranking!.indices.includes(c))) ranking.rebuild(spentCents);
        else ranking.update(candidates.entity, candidates.value, candidates.count);
        // Every company's budget moves every turn (sales, fixed costs), and the list is short.
        topBySpend = ranking.indices.map((c) => entries.fromWorld(world, c));
      }
      return {
        count: n,
        byStrategy,
        byContinent,
        buyersThisTurn: report.aggregates.attempts,
        purchasesPerCompany:
          n === 0 ? { mean: 0, min: 0, max: 0 } : { mean: spread.total / n, min: spread.lo, max: spread.hi },
        topBySpend,
      };
    },
  };
}
