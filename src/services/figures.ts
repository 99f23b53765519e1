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
  return {
    names: paths.map((path) => [prefix, ...path].join('.')),
    read(value, out) {
      for (let i = 0; i < paths.length; i++) {
        const path = paths[i]!;
        let node: unknown = value;
        for (let k = 0; k < path.length; k++) node = (node as Record<string, unknown>)[path[k]!];
        out[i] = typeof node === 'number' ? node : 0;
      }
    },
  };
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

/** Rounds to a fixed number of decimals for output (figures are kept unrounded). */
export const round = (value: number, decimals = 2): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** Cents to currency units. */
export const fromCents = (cents: number): number => cents / 100;
