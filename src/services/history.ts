import { ServicesErrors } from './errors.js';
import { createRingBuffer, type RingBuffer } from './ring-buffer.js';

/**
 * A service's capped history: for each figure a ring buffer of its value per turn, all of
 * the same length. A figure first seen late is back-filled with 0 for earlier kept turns;
 * a figure missing from a turn gets 0.
 */
export interface History {
  readonly capacity: number;
  readonly length: number;
  /** Changes on each append; part of every statistics cache key. */
  readonly version: number;
  /** Appends one turn: `values[i]` is the value of `names[i]`. */
  append(turn: number, names: readonly string[], values: ArrayLike<number>): void;
  has(figure: string): boolean;
  /** The ring buffer of one figure (read it, do not push), or undefined. */
  column(figure: string): RingBuffer | undefined;
  figureNames(): string[];
  /** The newest `window` values of a figure, oldest first. Throws for an unknown figure. */
  series(figure: string, window?: number): Float64Array;
  /** The turn numbers matching `series(…, window)`. */
  turns(window?: number): Float64Array;
}

/** The history (a class: see the ring buffer's note on getters in object literals). */
class ColumnHistory implements History {
  readonly #turnNumbers: RingBuffer;
  readonly #columns = new Map<string, RingBuffer>();
  // The buffers of a names array, looked up once per distinct array (services reuse theirs).
  readonly #resolved = new WeakMap<readonly string[], RingBuffer[]>();

  constructor(readonly capacity: number) {
    this.#turnNumbers = createRingBuffer(capacity);
  }

  get length(): number {
    return this.#turnNumbers.length;
  }

  get version(): number {
    return this.#turnNumbers.version;
  }

  /** The buffer of `name`, made (back-filled with 0) if new. */
  #columnToFill(name: string): RingBuffer {
    let buffer = this.#columns.get(name);
    if (!buffer) {
      buffer = createRingBuffer(this.capacity);
      for (let i = 0; i < this.#turnNumbers.length; i++) buffer.push(0);
      this.#columns.set(name, buffer);
    }
    return buffer;
  }

  #buffersOf(names: readonly string[]): RingBuffer[] {
    let buffers = this.#resolved.get(names);
    if (!buffers) {
      buffers = names.map((name) => this.#columnToFill(name));
      this.#resolved.set(names, buffers);
    }
    return buffers;
  }

  append(turn: number, names: readonly string[], values: ArrayLike<number>): void {
    const buffers = this.#buffersOf(names);
    this.#turnNumbers.push(turn);
    for (let i = 0; i < buffers.length; i++) buffers[i]!.push(values[i]!);
    // Columns this call did not name still take a value, so every column keeps the turns' length.
    if (buffers.length < this.#columns.size) {
      for (const buffer of this.#columns.values()) if (buffer.length < this.#turnNumbers.length) buffer.push(0);
    }
  }

  has(figure: string): boolean {
    return this.#columns.has(figure);
  }

  column(figure: string): RingBuffer | undefined {
    return this.#columns.get(figure);
  }

  figureNames(): string[] {
    return [...this.#columns.keys()];
  }

  series(figure: string, window?: number): Float64Array {
    const buffer = this.#columns.get(figure);
    if (!buffer) throw new ServicesErrors.TRADESIM_ERR_FIGURE_UNKNOWN(figure);
    return buffer.toArray(window);
  }

  turns(window?: number): Float64Array {
    return this.#turnNumbers.toArray(window);
  }
}

/** Creates an empty history keeping the last `capacity` turns (default 200). */
export function createHistory(capacity = 200): History {
  return new ColumnHistory(capacity);
}
