import {
  type CompanyInfo,
  CONTINENTS,
  type Continent,
  STRATEGIES,
  type Strategy,
  type WorldView,
} from '../../simulation/index.js';
import { fromCents } from '../figures/figures.js';
import type { ServiceDefinition } from '../metrics-service.js';
import { createTurnFollower } from './turn-follower.js';
import { PurchaseSpread } from './purchase-spread.js';
import { createTopRanking, type TopRanking } from './top-ranking.js';

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
  // The company in each slot when the counts by strategy and continent were last made.
  let slots: CompanyInfo[] = [];
  let ranking: TopRanking | undefined;
  const spread = new PurchaseSpread();
  const followsLastTurn = createTurnFollower();
  // The last top-list entry made for each company, as the product service keeps them:
  // filled to the population when first used (an empty array written at scattered indices
  // falls back to a dictionary).
  let topEntries: (TopCompany | undefined)[] = [];

  /** Company `c`'s top-list entry with these values: the kept object when none changed. */
  const topEntry = (
    world: WorldView,
    c: number,
    spentCents: number,
    budgetCents: number,
    purchases: number,
  ): TopCompany => {
    const spent = fromCents(spentCents);
    const budget = fromCents(budgetCents);
    const kept = topEntries[c];
    if (kept && kept.spent === spent && kept.budget === budget && kept.purchases === purchases) return kept;
    const info = kept ?? world.companies[c]!;
    return (topEntries[c] = Object.freeze({
      id: info.id,
      name: info.name,
      continent: info.continent,
      strategy: info.strategy,
      spent,
      budget,
      purchases,
    }));
  };

  /** Company `c`'s entry from the world's arrays (after a rebuild). */
  const entryFromWorld = (world: WorldView, c: number): TopCompany =>
    topEntry(world, c, world.spentCents[c]!, world.budgetsCents[c]!, world.purchaseCounts[c]!);

  /**
   * The top list after an update, each listed company's values read from the world: every
   * company's budget moves every turn (sales, fixed costs), and the list is short. An entry
   * whose values did not change is the kept object.
   */
  const updatedTopList = (world: WorldView, indices: readonly number[]): TopCompany[] =>
    indices.map((c) => entryFromWorld(world, c));

  return {
    name: 'company',
    compute({ report, world }) {
      const n = world.companies.length;
      const { entries } = report.population;
      if (!byStrategy || !byContinent) {
        // A company's strategy and continent never change; a slot's change when one enters it.
        byStrategy = Object.fromEntries(STRATEGIES.map((s) => [s, 0])) as Record<Strategy, number>;
        byContinent = Object.fromEntries(CONTINENTS.map((c) => [c, 0])) as Record<Continent, number>;
        slots = [...world.companies];
        for (const company of world.companies) {
          byStrategy[company.strategy] += 1;
          byContinent[company.continent] += 1;
        }
      } else if (entries.length > 0) {
        byStrategy = { ...byStrategy };
        byContinent = { ...byContinent };
        for (const c of entries) {
          const before = slots[c]!;
          const after = world.companies[c]!;
          byStrategy[before.strategy] -= 1;
          byContinent[before.continent] -= 1;
          byStrategy[after.strategy] += 1;
          byContinent[after.continent] += 1;
          slots[c] = after;
        }
      }
      const { purchaseCounts, spentCents } = world;
      const follows = followsLastTurn(report.turn);
      let topBySpend: TopCompany[];
      if (!ranking || !follows) {
        // First turn seen, or turns were played unseen: start from every company.
        ranking = createTopRanking(topN, n);
        // Entries kept from before turns played unseen may be stale: made afresh.
        topEntries = new Array<TopCompany | undefined>(n).fill(undefined);
        ranking.rebuild(spentCents);
        spread.rebuild(purchaseCounts);
        topBySpend = ranking.indices.map((c) => entryFromWorld(world, c));
      } else {
        // The engine's records carry the values after each change: no per-company lookups.
        spread.update(world.companyChanges(), purchaseCounts, ranking.floor());
        const { candidates } = spread;
        if (entries.length > 0) {
          // A new company's counts start again from 0: the spread takes every count afresh
          // (counts otherwise only grow), and the ranking too if the slot was listed.
          spread.rebuild(purchaseCounts);
          for (const c of entries) topEntries[c] = undefined;
        }
        if (entries.some((c) => ranking!.indices.includes(c))) ranking.rebuild(spentCents);
        else ranking.update(candidates.entity, candidates.value, candidates.count);
        topBySpend = updatedTopList(world, ranking.indices);
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
