import { CONTINENTS, type Continent, STRATEGIES, type Strategy, type WorldView } from '../../simulation/index.js';
import { fromCents } from '../figures.js';
import type { ServiceDefinition } from '../metrics-service.js';
import { createTurnFollower } from '../turn-follower.js';
import { createTopRanking, type TopRanking } from '../top-ranking.js';

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

/**
 * The spread of purchase counts over companies, kept current from each turn's purchases:
 * counts only grow, so a histogram of counts gives the lowest and highest without a scan.
 */
interface PurchaseSpread {
  total: number;
  lo: number;
  hi: number;
}

/** The company service: population counts, purchase spread and the biggest spenders. */
export function companyService(topN: number): ServiceDefinition<CompanyFigures> {
  let byStrategy: Record<Strategy, number> | undefined;
  let byContinent: Record<Continent, number> | undefined;
  let ranking: TopRanking | undefined;
  // companiesWith[k]: how many companies have made k purchases (grown as counts grow).
  let companiesWith = new Int32Array(64);
  // One past the highest count any company has reached.
  let countLimit = 1;
  const spread: PurchaseSpread = { total: 0, lo: 0, hi: 0 };
  const followsLastTurn = createTurnFollower();
  // The last top-list entry made for each company, as the product service keeps them.
  const topEntries: (TopCompany | undefined)[] = [];

  /** Company `c`'s top-list entry: last turn's object when nothing in it changed. */
  const topEntry = (world: WorldView, c: number): TopCompany => {
    const spent = fromCents(world.spentCents[c]!);
    const budget = fromCents(world.budgetsCents[c]!);
    const purchases = world.purchaseCounts[c]!;
    const kept = topEntries[c];
    if (kept && kept.spent === spent && kept.budget === budget && kept.purchases === purchases) return kept;
    const info = world.companies[c]!;
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

  /** Moves one company from `previous` to `next` purchases in the histogram. */
  const moveCount = (previous: number, next: number) => {
    if (next >= companiesWith.length) {
      const grown = new Int32Array(Math.max(2 * companiesWith.length, next + 1));
      grown.set(companiesWith);
      companiesWith = grown;
    }
    companiesWith[previous]! -= 1;
    companiesWith[next]! += 1;
    if (next >= countLimit) countLimit = next + 1;
    spread.total += next - previous;
  };

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
      const { purchaseCounts, spentCents } = world;
      const follows = followsLastTurn(report.turn);
      if (!ranking || !follows) {
        // First turn seen, or turns were played unseen: start from every company.
        ranking = createTopRanking(topN, n);
        ranking.rebuild(spentCents);
        companiesWith.fill(0);
        companiesWith[0] = n;
        countLimit = 1;
        spread.total = 0;
        spread.lo = 0;
        for (let c = 0; c < n; c++) moveCount(0, purchaseCounts[c]!);
      } else {
        // The engine's records carry the values after each change: no per-company lookups.
        const changes = world.companyChanges();
        ranking.update(changes.company, changes.spentCents, changes.count);
        const { purchases, purchased } = changes;
        for (let i = 0; i < changes.count; i++) {
          if (purchased[i] === 1) moveCount(purchases[i]! - 1, purchases[i]!);
        }
      }
      // Counts only grow: the lowest moves up, the highest moves up.
      while (spread.lo < countLimit - 1 && !companiesWith[spread.lo]) spread.lo += 1;
      spread.hi = Math.max(spread.lo, countLimit - 1);
      while (spread.hi > spread.lo && !companiesWith[spread.hi]) spread.hi -= 1;
      const topBySpend = ranking.indices.map((c) => topEntry(world, c));
      return {
        count: n,
        byStrategy,
        byContinent,
        buyersThisTurn: report.aggregates.attempts,
        purchasesPerCompany: n === 0 ? { mean: 0, min: 0, max: 0 } : { mean: spread.total / n, min: spread.lo, max: spread.hi },
        topBySpend,
      };
    },
  };
}
