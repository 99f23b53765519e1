import { ServicesErrors } from '../errors.js';

/**
 * A fixed-capacity buffer of numbers: O(1) append, the oldest value dropped when full,
 * iteration oldest first. `version` counts appends, so a cache keyed by it never serves a
 * figure computed before the latest value.
 */
export interface RingBuffer extends RingReader {
  push(value: number): void;
}

/** The reading side of a ring buffer (a history's columns offer only this). */
export interface RingReader {
  readonly capacity: number;
  readonly length: number;
  /** Appends so far, ever (not capped). */
  readonly version: number;
  /** The i-th value, 0 = oldest kept; undefined outside [0, length). */
  at(index: number): number | undefined;
  /** The newest value, or undefined when empty. */
  last(): number | undefined;
  /** The newest `window` values (all when omitted), oldest first, as a new array. */
  toArray(window?: number): Float64Array;
  /**
   * Copies `window` values, oldest first, into `out`, ending `skipNewest` values before the
   * newest (to read a window as it was some appends ago); returns how many were copied.
   */
  copyInto(out: Float64Array, window?: number, skipNewest?: number): number;
  [Symbol.iterator](): Iterator<number>;
}

/**
 * The ring buffer. A class rather than an object literal: a literal with getters is kept in
 * dictionary mode by V8, which made every `push` a hash lookup.
 */
class Ring implements RingBuffer {
  readonly #values: Float64Array;
  #start = 0;
  #count = 0;
  #appends = 0;

  constructor(readonly capacity: number) {
    this.#values = new Float64Array(capacity);
  }

  get length(): number {
    return this.#count;
  }

  get version(): number {
    return this.#appends;
  }

  push(value: number): void {
    if (this.#count < this.capacity) {
      this.#values[(this.#start + this.#count) % this.capacity] = value;
      this.#count += 1;
    } else {
      this.#values[this.#start] = value;
      this.#start = (this.#start + 1) % this.capacity;
    }
    this.#appends += 1;
  }

  at(index: number): number | undefined {
    return index >= 0 && index < this.#count ? this.#values[(this.#start + index) % this.capacity] : undefined;
  }

  last(): number | undefined {
    return this.at(this.#count - 1);
  }

  toArray(window = this.#count): Float64Array {
    const out = new Float64Array(Math.max(0, Math.min(this.#count, Math.floor(window))));
    this.copyInto(out, window);
    return out;
  }

  copyInto(out: Float64Array, window = this.#count, skipNewest = 0): number {
    const end = this.#count - Math.max(0, skipNewest);
    const n = Math.max(0, Math.min(end, out.length, Math.floor(window)));
    for (let i = 0; i < n; i++) out[i] = this.#values[(this.#start + end - n + i) % this.capacity]!;
    return n;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.#count; i++) yield this.#values[(this.#start + i) % this.capacity]!;
  }
}

/** Creates an empty ring buffer holding at most `capacity` values. */
export function createRingBuffer(capacity: number): RingBuffer {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new ServicesErrors.TRADESIM_ERR_HISTORY_CAPACITY_INVALID(capacity);
  }
  return new Ring(capacity);
}
