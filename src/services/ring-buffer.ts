import { ServicesErrors } from './errors.js';

/**
 * A fixed-capacity buffer of numbers: O(1) append, the oldest value dropped when full,
 * iteration oldest first. `version` counts appends, so a cache keyed by it never serves a
 * figure computed before the latest value.
 */
export interface RingBuffer {
  readonly capacity: number;
  readonly length: number;
  /** Appends so far, ever (not capped). */
  readonly version: number;
  push(value: number): void;
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

/** Creates an empty ring buffer holding at most `capacity` values. */
export function createRingBuffer(capacity: number): RingBuffer {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new ServicesErrors.TRADESIM_ERR_HISTORY_CAPACITY_INVALID(capacity);
  }
  const values = new Float64Array(capacity);
  let start = 0;
  let length = 0;
  let version = 0;
  const copyInto = (out: Float64Array, window = length, skipNewest = 0): number => {
    const end = length - Math.max(0, skipNewest);
    const n = Math.max(0, Math.min(end, out.length, Math.floor(window)));
    for (let i = 0; i < n; i++) out[i] = values[(start + end - n + i) % capacity]!;
    return n;
  };
  const at = (index: number): number | undefined =>
    index >= 0 && index < length ? values[(start + index) % capacity] : undefined;

  return {
    capacity,
    get length() {
      return length;
    },
    get version() {
      return version;
    },
    push(value: number): void {
      if (length < capacity) {
        values[(start + length) % capacity] = value;
        length += 1;
      } else {
        values[start] = value;
        start = (start + 1) % capacity;
      }
      version += 1;
    },
    at,
    last: () => at(length - 1),
    toArray(window = length): Float64Array {
      const out = new Float64Array(Math.max(0, Math.min(length, Math.floor(window))));
      copyInto(out, window);
      return out;
    },
    copyInto,
    *[Symbol.iterator]() {
      for (let i = 0; i < length; i++) yield values[(start + i) % capacity]!;
    },
  };
}
