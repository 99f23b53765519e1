import { figureCatalogue } from './figures/figure-catalogue.js';
import { parseRunConfig, type RunConfig } from './run-config.js';

/** Reads a scenario file with alert rules checked against the services' own figures (see parseRunConfig). */
export function loadRunConfig(input: unknown): RunConfig {
  // The catalogue records a turn of a small world to learn the figures: only files with
  // rules of their own need it, so presets start faster.
  return parseRunConfig(input, figureCatalogue);
}
