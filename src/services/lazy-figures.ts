/*
 * Figures that cost a sort or a window scan are computed only when read. They live as
 * getters on one shared prototype per kind of figures, reading memoized thunks stored on
 * the object: every object of a kind keeps the same shape (per-object getter closures would
 * give each turn's object a new hidden class, and the code reading them would deoptimize).
 */

const THUNKS = Symbol('tradesim.lazyThunks');
const LAZY_NAMES = Symbol('tradesim.lazyNames');

type Thunks<K extends string> = Record<K, () => unknown>;

/** Builds figures objects of one kind: plain data plus the lazily computed `names`. */
export type LazyFactory<K extends string> = <D extends object, V extends Record<K, unknown>>(
  data: D,
  thunks: { [P in K]: () => V[P] },
) => D & Readonly<V>;

function memoize<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/**
 * Declares a kind of figures with lazily computed members `names`. JSON output includes
 * them (through toJSON); history does not (they are not own data properties).
 */
export function defineLazyFigures<K extends string>(names: readonly K[]): LazyFactory<K> {
  const proto: Record<string | symbol, unknown> = {};
  for (const name of names) {
    Object.defineProperty(proto, name, {
      enumerable: false,
      get(this: { [THUNKS]: Thunks<K> }) {
        return this[THUNKS][name]();
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
  return (data, thunks) => {
    const figures = Object.create(proto) as Record<string | symbol, unknown>;
    const memoized = {} as Thunks<K>;
    for (const name of names) memoized[name] = memoize(thunks[name]);
    Object.defineProperty(figures, THUNKS, { value: memoized });
    return Object.assign(figures, data) as never;
  };
}

/** The lazily computed member names of a figures object (none for a plain object). */
export function lazyNamesOf(value: object): readonly string[] {
  const names = (Object.getPrototypeOf(value) as Record<symbol, unknown> | null)?.[LAZY_NAMES];
  return Array.isArray(names) ? names : [];
}
