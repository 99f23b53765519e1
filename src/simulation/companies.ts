import { COUNTRIES } from './geography.js';
import { companyName } from './names.js';
import type { Rng } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import { CONTINENTS, PRODUCT_TYPES, STRATEGIES } from './types.js';
import type { CompanyInfo } from './world.js';

const TYPE_INDICES = PRODUCT_TYPES.map((_, t) => t);

/**
 * Draws a company's attributes (country, name, strategy, preferred types, initial budget) in a
 * fixed order: at generation, and when a new company enters an empty slot.
 */
export function drawCompany(
  scenario: Scenario,
  rng: Rng,
  index: number,
  number: number,
  uniqueName: (name: string) => string,
): CompanyInfo {
  const comp = scenario.companies;
  const country = rng.pick(COUNTRIES);
  const name = uniqueName(companyName(rng));
  const strategy = rng.bernoulli(comp.cheapestShare) ? STRATEGIES[0] : STRATEGIES[1];
  const preferredTypes = rng.sample(TYPE_INDICES, rng.int(1, 2));
  // One or two types, in order: a swap, not sort(), whose work arrays were garbage per entrant.
  if (preferredTypes.length === 2 && preferredTypes[0]! > preferredTypes[1]!) preferredTypes.reverse();
  const initialBudgetCents = Math.round(rng.range(comp.budgetMin, comp.budgetMax) * 100);
  return Object.freeze({
    index,
    id: `C${number}`,
    name,
    country: country.name,
    continent: country.continent,
    strategy,
    preferredTypes: Object.freeze(preferredTypes),
    initialBudgetCents,
  });
}

/** A company's purchase type mask: every type for `cheapest`, its preferred ones for `by_type`. */
export function typeMaskOf(company: CompanyInfo): number {
  return company.strategy === 'by_type'
    ? company.preferredTypes.reduce((mask, t) => mask | (1 << t), 0)
    : (1 << PRODUCT_TYPES.length) - 1;
}

/** Index of a continent in CONTINENTS. */
export const continentIndex = (c: string): number => CONTINENTS.indexOf(c as (typeof CONTINENTS)[number]);

/** Weight of one company in households' spending: its initial budget over the scenario's mean. */
export function companyWeightOf(scenario: Scenario, initialBudgetCents: number): number {
  const mean = 50 * (scenario.companies.budgetMin + scenario.companies.budgetMax);
  return mean > 0 ? initialBudgetCents / mean : 1;
}
