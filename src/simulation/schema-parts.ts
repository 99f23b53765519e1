import { type TSchema, Type } from '@sinclair/typebox';

/** A section's options: unknown keys refused, every key defaulted. */
const strict = { additionalProperties: false, default: {} } as const;

/** A probability in [0, 1] with its default. */
export const probability = (value: number, description: string) =>
  Type.Number({ minimum: 0, maximum: 1, default: value, description });
/**
 * The largest count, amount or price a file may state. Money stays exact in cents with two
 * more bounds: what a world starts with (`scenario.ts`) and what refills may add (`budget-refill.ts`).
 */
export const MAX_VALUE = 1_000_000_000;
/** A whole number from `minimum` to `maximum` with its default. */
export const count = (value: number, minimum: number, description: string, maximum = MAX_VALUE) =>
  Type.Integer({ minimum, maximum, default: value, description });
/** An amount of money (currency units) or a price, from 0 to MAX_VALUE, with its default. */
export const amount = (value: number, description: string) =>
  Type.Number({ minimum: 0, maximum: MAX_VALUE, default: value, description });

/** A section of the scenario file: an object of these properties, strict and defaulted. */
export function section<T extends Record<string, TSchema>>(properties: T) {
  return Type.Object(properties, strict);
}
