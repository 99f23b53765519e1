import type { ValueError } from '@sinclair/typebox/value';
import { formatValueError } from '../simulation/index.js';

/**
 * A schema error in words that name the fix, without its path: a value outside a set of
 * choices (TypeBox says only "Expected union value") is given with the choices; any other as
 * a scenario file's problems say it (`must be <= 999999999`, `unknown key`).
 */
export function schemaProblemText(error: ValueError): string {
  const choices = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf?.map((c) => c.const);
  if (!choices || choices.some((c) => c === undefined)) {
    const text = formatValueError(error);
    return text.slice(text.indexOf(': ') + 2);
  }
  return `${JSON.stringify(error.value) ?? 'nothing'} is not one of ${choices.join(', ')}`;
}
