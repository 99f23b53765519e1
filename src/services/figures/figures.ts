/**
 * Figures are plain nested objects of numbers. For history and alerts they are named by
 * their dotted path within the service, e.g. `budget.total`, `transaction.failuresByReason.no_supplier`.
 */

/** A turn's numeric figures by dotted name. */
export type FlatFigures = Record<string, number>;

/** How to read a service's figures as a row of numbers, compiled once from a sample. */
export interface FigurePlan {
  /** Dotted names, `prefix.path`, in row order. */
  readonly names: readonly string[];
  /** Writes the figures' values into `out` in row order. */
  read(value: object, out: Float64Array): void;
}

/**
 * Compiles the plan for figures shaped like `sample`: every numeric data property, nested
 * objects included. Arrays and accessor (lazily computed) properties are skipped: they are
 * not kept in history. A service's figures keep one shape, so the plan is made once and the
 * turn loop reads by key paths, without building names or descriptors each turn.
 */
export function planFigures(prefix: string, sample: object): FigurePlan {
  const paths: string[][] = [];
  const walk = (value: object, path: string[]) => {
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
      if (!('value' in descriptor)) continue;
      const inner: unknown = descriptor.value;
      if (typeof inner === 'number') paths.push([...path, key]);
      else if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) walk(inner, [...path, key]);
    }
  };
  walk(sample, []);
  // Compiled once into plain property reads (keys quoted by JSON.stringify), as schema
  // compilers do: a walk by key made every figure a keyed load the engine cannot specialise.
  const reads = paths.map((path, i) => {
    const access = path.map((key) => `?.[${JSON.stringify(key)}]`).join('');
    return `v = value${access}; out[${i}] = typeof v === 'number' ? v : 0;`;
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from our own key paths
  const read = new Function('value', 'out', `'use strict'; let v; ${reads.join(' ')}`) as FigurePlan['read'];
  return { names: paths.map((path) => [prefix, ...path].join('.')), read };
}

/** Reads one figure by its dotted path from a tree of figures (lazy ones included); undefined if absent. */
export function readFigure(root: object, path: string): number | undefined {
  return readFigureAt(root, path.split('.'));
}

/** The same as {@link readFigure} for a path already split into keys (for per-turn reads). */
export function readFigureAt(root: object, keys: readonly string[]): number | undefined {
  let node: unknown = root;
  for (const key of keys) {
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'number' ? node : undefined;
}

/** Reads one figure of a tree of figures (lazy ones included), as readFigureAt does; undefined if absent. */
export type FigureReader = (root: object) => number | undefined;

/**
 * The reader of the figure at `keys`, compiled once into plain property reads: read every
 * turn by key path, each figure was a chain of keyed lookups the engine cannot specialise.
 * It answers what {@link readFigureAt} answers for the same keys.
 */
export function figureReader(keys: readonly string[]): FigureReader {
  const steps = keys.map(
    (key) => `if (n === null || typeof n !== 'object') return undefined; n = n[${JSON.stringify(key)}];`,
  );
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from our own key paths, quoted
  return new Function(
    'root',
    `'use strict'; let n = root; ${steps.join(' ')} return typeof n === 'number' ? n : undefined;`,
  ) as FigureReader;
}

/** Makes a record of fixed keys from its values, in key order. */
type RecordMaker = (values: ArrayLike<unknown>) => Record<string, unknown>;

/** The record makers compiled so far, by key list (callers pass lists kept for the run). */
const recordMakers = new WeakMap<readonly string[], RecordMaker>();

/** An object literal with `keys` in order, `values[i]` under `keys[i]`: one allocation of a fixed shape. */
function compileRecordMaker(keys: readonly string[]): RecordMaker {
  // A literal `__proto__:` would set the prototype, where a store of a number does nothing.
  if (keys.includes('__proto__')) {
    return (values) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]!] = values[i];
      return out;
    };
  }
  const members = keys.map((key, i) => `${JSON.stringify(key)}: values[${i}]`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from our own keys, quoted
  return new Function('values', `'use strict'; return { ${members.join(', ')} };`) as RecordMaker;
}

/**
 * A record with one entry per key, in key order, `values[i]` under `keys[i]` (so every record
 * of one key list has one shape), for figures built every turn. Made by an object literal
 * compiled once per key list: stores by a key read from the list were each a lookup the
 * engine could not specialise. Pass a key list kept for the run (a module constant).
 */
export function recordFrom<K extends string, T>(keys: readonly K[], values: ArrayLike<T>): Record<K, T> {
  let make = recordMakers.get(keys);
  if (make === undefined) {
    make = compileRecordMaker(keys);
    recordMakers.set(keys, make);
  }
  return make(values) as Record<K, T>;
}

/** A record with one entry per key, in key order, each from `value` (see {@link recordFrom}). */
export function recordOf<K extends string, T>(keys: readonly K[], value: (key: K, index: number) => T): Record<K, T> {
  const values = new Array<T>(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = value(keys[i]!, i);
  return recordFrom(keys, values);
}

/** Rounds to a fixed number of decimals for output (figures are kept unrounded). */
export const round = (value: number, decimals = 2): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** Cents to currency units. */
export const fromCents = (cents: number): number => cents / 100;
