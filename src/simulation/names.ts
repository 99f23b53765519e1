import type { Rng } from './rng.js';
import type { ProductType } from './types.js';

const COMPANY_PREFIXES = [
  'Atlas',
  'Blue',
  'Cedar',
  'Delta',
  'Ember',
  'Falcon',
  'Granite',
  'Harbor',
  'Iris',
  'Juniper',
  'Keystone',
  'Lumen',
  'Maple',
  'Nova',
  'Orion',
  'Pioneer',
] as const;
const COMPANY_SUFFIXES = [
  'Trading',
  'Industries',
  'Foods',
  'Works',
  'Retail',
  'Logistics',
  'Goods',
  'Holdings',
] as const;
const SUPPLIER_SUFFIXES = ['Supply', 'Wholesale', 'Distribution', 'Sourcing'] as const;

const PRODUCT_NOUNS: Readonly<Record<ProductType, readonly string[]>> = {
  raw_material: ['Iron Ore', 'Copper', 'Timber', 'Cotton', 'Crude Oil', 'Wheat', 'Bauxite', 'Rubber'],
  consumable: ['Coffee', 'Paper', 'Soap', 'Batteries', 'Detergent', 'Tea', 'Ink', 'Tape'],
  finished_good: ['Bicycle', 'Laptop', 'Chair', 'Kettle', 'Phone', 'Drill', 'Lamp', 'Backpack'],
};

/** A company name, e.g. `Harbor Foods`; deterministic for the RNG's state. */
export function companyName(rng: Rng): string {
  return `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIXES)}`;
}

/** A supplier name, e.g. `Orion Wholesale`. */
export function supplierName(rng: Rng): string {
  return `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(SUPPLIER_SUFFIXES)}`;
}

/** A product name: a noun of its type, numbered once its type's nouns are used up. */
export function productName(type: ProductType, indexWithinType: number): string {
  const nouns = PRODUCT_NOUNS[type];
  const noun = nouns[indexWithinType % nouns.length]!;
  const round = Math.floor(indexWithinType / nouns.length);
  return round === 0 ? noun : `${noun} ${round + 1}`;
}

/** What a unique-name maker has given so far: kept in the world, so a checkpoint carries it. */
export interface UniqueNameState {
  /** How many times each drawn name has been given. */
  readonly numbered: Map<string, number>;
}

/**
 * Makes names unique in the order they are given: the second `Harbor Foods` becomes
 * `Harbor Foods 2`, so legends and labels never merge two entities. Drawn names never end in
 * a number, so a count per drawn name is all it keeps: its memory is bounded by the names
 * that can be drawn, however many companies come and go. Draws nothing from the RNG, so the
 * world is the same but for the names.
 */
export function createUniqueNames(state: UniqueNameState = { numbered: new Map() }): (name: string) => string {
  const { numbered } = state;
  return (name) => {
    const n = (numbered.get(name) ?? 0) + 1;
    numbered.set(name, n);
    return n === 1 ? name : `${name} ${n}`;
  };
}
