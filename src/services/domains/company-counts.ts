import { type CompanyInfo, CONTINENTS, type Continent, STRATEGIES, type Strategy } from '../../simulation/index.js';

/** The companies counted by strategy and by continent. */
export interface CompanyCounts {
  readonly byStrategy: Readonly<Record<Strategy, number>>;
  readonly byContinent: Readonly<Record<Continent, number>>;
}

/**
 * The companies' counts by strategy and continent, kept from turn to turn: a company's
 * strategy and continent never change, so only a slot a new company entered moves them.
 * Invariant: `slots[c]` is the company whose strategy and continent the counts hold for slot c.
 * A turn with no entry returns the same objects as the one before.
 */
export function createCompanyCounts(): {
  update(companies: readonly CompanyInfo[], entries: readonly number[]): CompanyCounts;
} {
  let byStrategy: Record<Strategy, number> | undefined;
  let byContinent: Record<Continent, number> | undefined;
  let slots: CompanyInfo[] = [];
  return {
    update(companies, entries) {
      if (!byStrategy || !byContinent) {
        byStrategy = Object.fromEntries(STRATEGIES.map((s) => [s, 0])) as Record<Strategy, number>;
        byContinent = Object.fromEntries(CONTINENTS.map((c) => [c, 0])) as Record<Continent, number>;
        slots = [...companies];
        for (const company of companies) {
          byStrategy[company.strategy] += 1;
          byContinent[company.continent] += 1;
        }
      } else if (entries.length > 0) {
        byStrategy = { ...byStrategy };
        byContinent = { ...byContinent };
        for (const c of entries) {
          const before = slots[c]!;
          const after = companies[c]!;
          byStrategy[before.strategy] -= 1;
          byContinent[before.continent] -= 1;
          byStrategy[after.strategy] += 1;
          byContinent[after.continent] += 1;
          slots[c] = after;
        }
      }
      return { byStrategy, byContinent };
    },
  };
}
