import type { Continent } from './types.js';

/** A country and the continent it is on. */
export interface Country {
  readonly name: string;
  readonly continent: Continent;
}

/** The countries entities are placed in: four per continent, so every continent is reachable. */
export const COUNTRIES: readonly Country[] = Object.freeze(
  (
    [
      ['France', 'Europe'],
      ['Germany', 'Europe'],
      ['Italy', 'Europe'],
      ['Poland', 'Europe'],
      ['Canada', 'North America'],
      ['Mexico', 'North America'],
      ['United States', 'North America'],
      ['Cuba', 'North America'],
      ['Argentina', 'South America'],
      ['Brazil', 'South America'],
      ['Chile', 'South America'],
      ['Peru', 'South America'],
      ['China', 'Asia'],
      ['India', 'Asia'],
      ['Japan', 'Asia'],
      ['Vietnam', 'Asia'],
      ['Egypt', 'Africa'],
      ['Kenya', 'Africa'],
      ['Nigeria', 'Africa'],
      ['South Africa', 'Africa'],
      ['Australia', 'Oceania'],
      ['Fiji', 'Oceania'],
      ['New Zealand', 'Oceania'],
      ['Samoa', 'Oceania'],
    ] as const
  ).map(([name, continent]) => Object.freeze({ name, continent })),
);
