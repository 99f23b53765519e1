import { ServicesErrors } from '../errors.js';
import { createRingBuffer, type RingBuffer, type RingReader } from './ring-buffer.js';

/**
 * A service's capped history: for each figure its value per turn, all of the same length.
 * A figure first seen late is back-filled with 0 for earlier kept turns; a figure missing
 * from a turn gets 0.
 */
export interface History {
  readonly capacity: number;
  readonly length: number;
  /** Changes on each append; part of every statistics cache key. */
  readonly version: number;
  /** Appends one turn: `values[i]` is the value of `names[i]`. */
  append(turn: number, names: readonly string[], values: ArrayLike<number>): void;
  has(figure: string): boolean;
  /** The values of one figure, as a ring buffer to read, or undefined. */
  column(figure: string): RingReader | undefined;
  figureNames(): string[];
  /** The newest `window` values of a figure, oldest first. Throws for an unknown figure. */
  series(figure: string, window?: number): Float64Array;
  /** The turn numbers matching `series(…, window)`. */
  turns(window?: number): Float64Array;
}

/**
 * The history as one matrix of `capacity` rows (turns, used as a ring) by one column per
 * figure: a turn is appended with one copy of its row, where a ring buffer per figure took
 * a call per figure. Columns are read through views (window statistics, series).
 */
class MatrixHistory implements History {
  readonly #turnNumbers: RingBuffer;
  readonly #columnOf = new Map<string, number>();
  readonly #names: string[] = [];
  #data: Float64Array;
  #width = 0;
  readonly #views = new Map<string, ColumnView>();
  // The column of each name of a names array, resolved once per distinct array (services
  // reuse theirs); null when the array is exactly the columns in order.
  readonly #layouts = new WeakMap<readonly string[], Int32Array | null>();

  constructor(readonly capacity: number) {
    this.#turnNumbers = createRingBuffer(capacity);
    this.#data = new Float64Array(0);
  }

  get length(): number {
    return this.#turnNumbers.length;
  }

  get version(): number {
    return this.#turnNumbers.version;
  }

  /** The row a version's turn is kept in. */
  rowOf(version: number): number {
    return (version - 1) % this.capacity;
  }

  /** The value of column `col` in the turn of `version` (which must still be kept). */
  valueAt(version: number, col: number): number {
    return this.#data[this.rowOf(version) * this.#width + col]!;
  }

  /** Adds columns for names not seen yet (back-filled with 0). */
  #widen(names: readonly string[]): void {
    const added = names.filter((name, i) => !this.#columnOf.has(name) && names.indexOf(name) === i);
    if (added.length === 0) return;
    const width = this.#width + added.length;
    const data = new Float64Array(this.capacity * width);
    for (let row = 0; row < this.capacity; row++) {
      data.set(this.#data.subarray(row * this.#width, (row + 1) * this.#width), row * width);
    }
    for (const name of added) {
      this.#columnOf.set(name, this.#names.length);
      this.#names.push(name);
    }
    this.#data = data;
    this.#width = width;
  }

  #layoutOf(names: readonly string[]): Int32Array | null {
    let layout = this.#layouts.get(names);
    if (layout === undefined) {
      this.#widen(names);
      const cols = Int32Array.from(names, (name) => this.#columnOf.get(name)!);
      const inOrder = cols.length === this.#width && cols.every((col, i) => col === i);
      layout = inOrder ? null : cols;
      this.#layouts.set(names, layout);
    }
    return layout;
  }

  append(turn: number, names: readonly string[], values: ArrayLike<number>): void {
    let cols = this.#layoutOf(names);
    if (cols === null && names.length !== this.#width) {
      // All the columns in order when resolved, but another names array has widened the
      // matrix since: resolve again (the new columns get 0).
      this.#layouts.delete(names);
      cols = this.#layoutOf(names);
    }
    this.#turnNumbers.push(turn);
    const at = this.rowOf(this.version) * this.#width;
    if (cols === null) {
      this.#data.set(values, at);
    } else {
      this.#data.fill(0, at, at + this.#width);
      for (let i = 0; i < cols.length; i++) this.#data[at + cols[i]!] = values[i]!;
    }
  }

  has(figure: string): boolean {
    return this.#columnOf.has(figure);
  }

  column(figure: string): RingReader | undefined {
    let view = this.#views.get(figure);
    if (!view) {
      const col = this.#columnOf.get(figure);
      if (col === undefined) return undefined;
      view = new ColumnView(this, col);
      this.#views.set(figure, view);
    }
    return view;
  }

  figureNames(): string[] {
    return [...this.#names];
  }

  series(figure: string, window?: number): Float64Array {
    const column = this.column(figure);
    if (!column) throw new ServicesErrors.TRADESIM_ERR_FIGURE_UNKNOWN(figure);
    return column.toArray(window);
  }

  turns(window?: number): Float64Array {
    return this.#turnNumbers.toArray(window);
  }
}

/** One figure's values in a MatrixHistory, read as a ring buffer. */
class ColumnView implements RingReader {
  constructor(
    private readonly history: MatrixHistory,
    private readonly col: number,
  ) {}

  get capacity(): number {
    return this.history.capacity;
  }

  get length(): number {
    return this.history.length;
  }

  get version(): number {
    return this.history.version;
  }

  at(index: number): number | undefined {
    const { length, version } = this.history;
    return index >= 0 && index < length ? this.history.valueAt(version - length + 1 + index, this.col) : undefined;
  }

  last(): number | undefined {
    return this.at(this.history.length - 1);
  }

  toArray(window = this.history.length): Float64Array {
    const out = new Float64Array(Math.max(0, Math.min(this.history.length, Math.floor(window))));
    this.copyInto(out, window);
    return out;
  }

  copyInto(out: Float64Array, window = this.history.length, skipNewest = 0): number {
    const end = this.history.length - Math.max(0, skipNewest);
    const n = Math.max(0, Math.min(end, out.length, Math.floor(window)));
    // The version of the oldest value copied.
    const first = this.history.version - this.history.length + 1 + end - n;
    for (let i = 0; i < n; i++) out[i] = this.history.valueAt(first + i, this.col);
    return n;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.history.length; i++) yield this.at(i)!;
  }
}

/** Creates an empty history keeping the last `capacity` turns (default 200). */
export function createHistory(capacity = 200): History {
  return new MatrixHistory(capacity);
}
