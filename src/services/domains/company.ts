import {
  type CompanyChanges,
  CONTINENTS,
  type Continent,
  STRATEGIES,
  type Strategy,
  type WorldView,
} from '../../simulation/index.js';
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
 * The records of one turn whose spend reached the top list's floor, in record order: only
 * they can move the list (most records are far below it).
 */
class SpendCandidates {
  count = 0;
  entity = new Int32Array(64);
  value = new Float64Array(64);

  push(entity: number, value: number): void {
    if (this.count === this.entity.length) {
      const entities = new Int32Array(2 * this.count);
      entities.set(this.entity);
      this.entity = entities;
      const values = new Float64Array(2 * this.count);
      values.set(this.value);
      this.value = values;
    }
    this.entity[this.count] = entity;
    this.value[this.count] = value;
    this.count += 1;
  }
}

/**
 * The spread of purchase counts over companies, kept current from each turn's purchases.
 * Counts only grow, one at a time: the highest is the highest seen, and the lowest moves
 * up only once the last company at it has bought, which is when the counts are rescanned.
 */
class PurchaseSpread {
  total = 0;
  lo = 0;
  hi = 0;
  /** Companies whose count is `lo`. */
  private atLo = 0;
  /** The last turn's candidates for the top-by-spend list, found in the same pass. */
  readonly candidates = new SpendCandidates();

  /** Takes every company's count afresh. */
  rebuild(counts: ArrayLike<number>): void {
    this.total = 0;
    this.hi = 0;
    for (let c = 0; c < counts.length; c++) {
      this.total += counts[c]!;
      this.hi = Math.max(this.hi, counts[c]!);
    }
    this.rescanLowest(counts);
  }

  /**
   * Applies a turn's changes; `counts` are the counts after them all. The same pass picks
   * the records whose spend is at least `spendFloor` into `candidates`: the service reads
   * the turn's records once (each pass over them costs about as much as the work in it).
   */
  update(changes: CompanyChanges, counts: ArrayLike<number>, spendFloor: number): void {
    this.scan(changes, spendFloor);
    if (this.atLo === 0 && counts.length > 0) this.rescanLowest(counts);
  }

  /**
   * The pass itself, with nothing after its loop that runs only on some turns. V8 compiles
   * a long loop on the fly (on-stack replacement) and keeps that code for later calls; code
   * after the loop that had not yet run when it was compiled deoptimizes on every call that
   * reaches it, and the code is kept all the same.
   */
  private scan(changes: CompanyChanges, spendFloor: number): void {
    const { purchased, purchases, company, spentCents } = changes;
    const candidates = this.candidates;
    candidates.count = 0;
    let { total, hi, atLo } = this;
    const lo = this.lo;
    for (let i = 0; i < changes.count; i++) {
      const spent = spentCents[i]!;
      if (spent >= spendFloor) candidates.push(company[i]!, spent);
      if (purchased[i] === 1) {
        const after = purchases[i]!;
        total += 1;
        if (after > hi) hi = after;
        if (after - 1 === lo) atLo -= 1;
      }
    }
    this.total = total;
    this.hi = hi;
    this.atLo = atLo;
  }

  private rescanLowest(counts: ArrayLike<number>): void {
    let lo = Number.POSITIVE_INFINITY;
    let atLo = 0;
    for (let c = 0; c < counts.length; c++) {
      const count = counts[c]!;
      if (count < lo) {
        lo = count;
        atLo = 0;
      }
      if (count === lo) atLo += 1;
    }
    this.lo = counts.length === 0 ? 0 : lo;
    this.atLo = atLo;
  }
}

/** The company service: population counts, purchase spread and the biggest spenders. */
export function companyService(topN: number): ServiceDefinition<CompanyFigures> {
  let byStrategy: Record<Strategy, number> | undefined;
  let byContinent: Record<Continent, number> | undefined;
  let ranking: TopRanking | undefined;
  const spread = new PurchaseSpread();
  const followsLastTurn = createTurnFollower();
  // The last top-list entry made for each company, as the product service keeps them:
  // filled to the population when first used (an empty array written at scattered indices
  // falls back to a dictionary).
  let topEntries: (TopCompany | undefined)[] = [];

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
        if (topEntries.length !== n) topEntries = new Array<TopCompany | undefined>(n).fill(undefined);
        ranking.rebuild(spentCents);
        spread.rebuild(purchaseCounts);
      } else {
        // The engine's records carry the values after each change: no per-company lookups.
        spread.update(world.companyChanges(), purchaseCounts, ranking.floor());
        const { candidates } = spread;
        ranking.update(candidates.entity, candidates.value, candidates.count);
      }
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
