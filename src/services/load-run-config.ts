import { figureCatalogue } from './figure-catalogue.js';
import { parseRunConfig, type RunConfig } from './run-config.js';

/** Reads a scenario file with alert rules checked against the services' own figures (see parseRunConfig). */
export function loadRunConfig(input: unknown): RunConfig {
  return parseRunConfig(input, figureCatalogue());
}
