/*
 * Figures that cost a sort or a window scan are computed only when read. They live as
 * getters on one shared prototype per kind of figures, reading thunks kept in private
 * fields: every object of a kind keeps the same shape (per-object getter closures would
 * give each turn's object a new hidden class, and the code reading them would deoptimize).
 */

const LAZY_NAMES = Symbol('tradesim.lazyNames');

type Thunks<K extends string> = Record<K, () => unknown>;

/** Builds figures objects of one kind: plain data plus the lazily computed `names`. */
export type LazyFactory<K extends string> = <D extends object, V extends Record<K, unknown>>(
  data: D,
  thunks: { [P in K]: () => V[P] },
) => D & Readonly<V>;

/**
 * Declares a kind of figures with lazily computed members `names`. JSON output includes
 * them (through toJSON); history does not (they are not own data properties). The thunks
 * and the values computed so far live in private fields: invisible to spreads, keys and
 * JSON, and set in the constructor, so every object of a kind has one shape.
 */
export function defineLazyFigures<K extends string>(names: readonly K[]): LazyFactory<K> {
  class LazyFigures {
    readonly #thunks: Thunks<K>;
    #values: Partial<Record<K, unknown>> | undefined;

    constructor(thunks: Thunks<K>) {
      this.#thunks = thunks;
    }

    /** The value of `name`, computed on the first read and kept. */
    static read(figures: LazyFigures, name: K): unknown {
      const values = (figures.#values ??= {} as Partial<Record<K, unknown>>);
      if (!(name in values)) values[name] = figures.#thunks[name]();
      return values[name];
    }
  }
  const proto = LazyFigures.prototype as unknown as Record<string | symbol, unknown>;
  for (const name of names) {
    Object.defineProperty(proto, name, {
      enumerable: false,
      get(this: LazyFigures) {
        return LazyFigures.read(this, name);
      },
    });
  }
  Object.defineProperty(proto, 'toJSON', {
    value(this: Record<string, unknown>) {
      const out: Record<string, unknown> = { ...this };
      for (const name of names) out[name] = this[name];
      return out;
    },
  });
  Object.defineProperty(proto, LAZY_NAMES, { value: Object.freeze([...names]) });
  return (data, thunks) => Object.assign(new LazyFigures(thunks as Thunks<K>), data) as never;
}

/** The lazily computed member names of a figures object (none for a plain object). */
export function lazyNamesOf(value: object): readonly string[] {
  const names = (Object.getPrototypeOf(value) as Record<symbol, unknown> | null)?.[LAZY_NAMES];
  return Array.isArray(names) ? (names as readonly string[]) : [];
}
