import { figureCatalogue } from './figure-catalogue.js';
import { parseRunConfig, type RunConfig } from './run-config.js';

/** Reads a scenario file with alert rules checked against the services' own figures (see parseRunConfig). */
export function loadRunConfig(input: unknown): RunConfig {
  return parseRunConfig(input, figureCatalogue());
}

/**
 * loadRunConfig of the scenario text a checkpoint saved: as its run read it, a key given
 * twice (refused in a file since) taking its last value, so an older checkpoint still resumes.
 */
export function loadSavedRunConfig(text: string): RunConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    // Not JSON: loadRunConfig says so, as for a file.
    return loadRunConfig(text);
  }
  return loadRunConfig(parsed);
}
