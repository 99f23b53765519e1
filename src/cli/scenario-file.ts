import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliErrors } from './errors.js';
import { readWholeFile } from './whole-file.js';

/** The folder of the shipped presets (`scenarios/` at the project root). */
export const PRESETS_DIR = resolve(fileURLToPath(new URL('../../scenarios', import.meta.url)));

/** The largest scenario file read: 1 MiB, far above any real scenario. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** The names of the shipped presets, e.g. `default`, `large`. */
export function presetNames(dir = PRESETS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** A scenario file's text and where it came from. */
export interface ScenarioSource {
  readonly path: string;
  readonly text: string;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a scenario by preset name (`crisis`) or by path (`./my.json`). A name with no slash
 * and no `.json` is a preset; anything else is a path.
 */
export function readScenarioSource(nameOrPath: string, dir = PRESETS_DIR): ScenarioSource {
  const isPreset = !nameOrPath.includes('/') && !nameOrPath.endsWith('.json');
  const path = isPreset ? join(dir, `${nameOrPath}.json`) : resolve(nameOrPath);
  if (!existsSync(path)) {
    throw new CliErrors.TRADESIM_ERR_CLI_SCENARIO_NOT_FOUND(
      nameOrPath,
      presetNames(dir),
      isPreset && existsSync(nameOrPath),
    );
  }
  const refuse = (problem: string): never => {
    throw new CliErrors.TRADESIM_ERR_CLI_SCENARIO_UNREADABLE(path, problem);
  };
  const bytes = readWholeFile(path, MAX_SCENARIO_BYTES, refuse);
  try {
    // Strict: bytes that are not UTF-8 would be read as U+FFFD, and a name changed without a word.
    return { path, text: STRICT_UTF8.decode(bytes) };
  } catch {
    return refuse('not UTF-8 text');
  }
}
