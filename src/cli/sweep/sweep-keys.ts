import type { TSchema } from '@sinclair/typebox';
import { ScenarioSchema } from '../../simulation/index.js';
import { CliErrors } from '../errors.js';

/** Names that reach an object's prototype when used as a key: never a scenario key. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The run file's own sections beside the scenario (alerts, thresholds, service options): their
 * keys are checked when each run loads its file (a bad one is that run's error row).
 */
const RUN_SECTIONS = new Set(['alerts', 'thresholds', 'services', 'slos']);

const propertiesOf = (schema: TSchema | undefined): Record<string, TSchema> | undefined =>
  schema?.type === 'object' ? (schema.properties as Record<string, TSchema>) : undefined;

/**
 * Checks a `--set` key against the scenario's schema: every dotted part is a key of the
 * object before it (`market.selectionProbability`), none reaches a prototype. Throws
 * TRADESIM_ERR_CLI_FLAG_INVALID naming the part and the keys there otherwise.
 */
export function checkSetKey(key: string): void {
  const parts = key.split('.');
  const bad = parts.find((p) => FORBIDDEN.has(p));
  if (bad !== undefined)
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(`--set ${key}: '${bad}' is not a scenario key`);
  if (parts.length > 1 && RUN_SECTIONS.has(parts[0]!)) return;
  let schema: TSchema | undefined = ScenarioSchema;
  for (const [i, part] of parts.entries()) {
    const properties = propertiesOf(schema);
    if (properties === undefined || !Object.hasOwn(properties, part)) {
      const at = i === 0 ? 'the scenario' : `'${parts.slice(0, i).join('.')}'`;
      const keys =
        properties === undefined ? 'it is a value, not a section' : `its keys: ${Object.keys(properties).join(', ')}`;
      throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(`--set ${key}: ${at} has no key '${part}' (${keys})`);
    }
    schema = properties[part];
  }
  // A section takes keys, not a value: `--set market=1` would fail every run.
  const sectionKeys = propertiesOf(schema);
  if (sectionKeys !== undefined) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      `--set ${key}: a section, not a value (set one of its keys: ${Object.keys(sectionKeys).join(', ')})`,
    );
  }
}
