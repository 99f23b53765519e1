import type { Continent, Strategy, WorldView } from '../../simulation/index.js';
import { fromCents } from '../figures/figures.js';

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

/**
 * The last top-list entry made for each company, as the product service keeps them, so an
 * entry whose values did not change is the kept object. Filled to the population when reset
 * (an empty array written at scattered indices falls back to a dictionary).
 */
export function createTopEntries() {
  let kept: (TopCompany | undefined)[] = [];
  return {
    /** Forgets every entry (turns were played unseen, so they may be stale). */
    reset(n: number): void {
      kept = new Array<TopCompany | undefined>(n).fill(undefined);
    },
    /** Forgets slot c's entry (a new company entered it). */
    forget(c: number): void {
      kept[c] = undefined;
    },
    /** Company c's entry with its values read from the world: the kept object when none changed. */
    fromWorld(world: WorldView, c: number): TopCompany {
      const spent = fromCents(world.spentCents[c]!);
      const budget = fromCents(world.budgetsCents[c]!);
      const purchases = world.purchaseCounts[c]!;
      const entry = kept[c];
      if (entry && entry.spent === spent && entry.budget === budget && entry.purchases === purchases) return entry;
      const info = entry ?? world.companies[c]!;
      return (kept[c] = Object.freeze({
        id: info.id,
        name: info.name,
        continent: info.continent,
        strategy: info.strategy,
        spent,
        budget,
        purchases,
      }));
    },
  };
}
