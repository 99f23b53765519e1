import { type Static, type TLiteral, type TUnion, Type } from '@sinclair/typebox';
import { CONTINENTS, PRODUCT_TYPES } from './types.js';

/** The shocks a scenario's timeline can schedule. */
export const SHOCK_KINDS = [
  'supply_disruption',
  'demand_surge',
  'demand_collapse',
  'inflation_shock',
  'credit_freeze',
  'supplier_exit',
  'product_recall',
] as const;
/** A timeline shock's kind. */
export type ShockKind = (typeof SHOCK_KINDS)[number];

function literals<T extends readonly string[]>(values: T): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(values.map((v) => Type.Literal(v)));
}

/**
 * One scheduled shock. What each kind does with its fields:
 * - supply_disruption: offers of suppliers on `continent` (or of products of `productType`; every
 *   offer when neither is given) receive and order only (1 - severity) of their goods; the rest
 *   of what arrives waits in transit.
 * - demand_surge / demand_collapse: the demand index is multiplied by 1 + severity / 1 - severity.
 * - inflation_shock: every product of `productType` (every product when none) rises by `percent`,
 *   holds for `turns`, then declines as inflation events do.
 * - credit_freeze: households spend (1 - severity) of what they would; refills and entries stop.
 * - supplier_exit: a share `severity` of the suppliers (on `continent` when given) leaves for good,
 *   their stock and orders written off.
 * - product_recall: every product of `productType` (every product when none) is withdrawn.
 */
// Bounded fields with defaults, as in scenario-schema.ts: declarations, not logic.
export const ShockSchema = Type.Object(
  {
    at: Type.Integer({
      minimum: 1,
      maximum: 999_999_999,
      description: 'turn the shock starts (below the turn that marks no shock)',
    }),
    shock: literals(SHOCK_KINDS),
    turns: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 50, description: 'turns the shock lasts' }),
    severity: Type.Number({ minimum: 0, maximum: 1, default: 0.5, description: 'strength, 0 to 1' }),
    percent: Type.Number({
      exclusiveMinimum: 0,
      maximum: 10_000,
      default: 30,
      description: 'inflation_shock: the price rise, percent',
    }),
    continent: Type.Optional(literals(CONTINENTS)),
    productType: Type.Optional(literals(PRODUCT_TYPES)),
  },
  { additionalProperties: false },
);

/** A validated shock with its defaults. */
export type Shock = Static<typeof ShockSchema>;

/** The scenario's timeline: shocks at given turns, applied in the order listed. */
export const TimelineSchema = Type.Array(ShockSchema, { maxItems: 1_000, default: [] });

/** Problems a shock's fields cannot state alone, by path (`timeline.3.continent: ...`). */
export function shockProblems(shock: Shock, path: string): string[] {
  const problems: string[] = [];
  const usesContinent = shock.shock === 'supply_disruption' || shock.shock === 'supplier_exit';
  const usesType = ['supply_disruption', 'inflation_shock', 'product_recall'].includes(shock.shock);
  if (shock.continent !== undefined && !usesContinent) {
    problems.push(`${path}.continent: ${shock.shock} does not take a continent`);
  }
  if (shock.productType !== undefined && !usesType) {
    problems.push(`${path}.productType: ${shock.shock} does not take a product type`);
  }
  if (shock.continent !== undefined && shock.productType !== undefined) {
    problems.push(`${path}: give a continent or a product type, not both`);
  }
  return problems;
}
