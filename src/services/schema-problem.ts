import type { ValueError } from '@sinclair/typebox/value';

/**
 * A schema error in words that name the fix: a value outside a set of choices (TypeBox says
 * only "Expected union value") is given with the choices; any other as TypeBox says it.
 */
export function schemaProblemText(error: ValueError): string {
  const choices = (error.schema as { anyOf?: { const?: unknown }[] }).anyOf?.map((c) => c.const);
  if (!choices || choices.some((c) => c === undefined)) return error.message;
  return `${JSON.stringify(error.value) ?? 'nothing'} is not one of ${choices.join(', ')}`;
}
