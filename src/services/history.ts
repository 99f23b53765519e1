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

/** Creates an empty history keeping the last `capacity` turns (default 200). */
export function createHistory(capacity = 200): History {
  const turns = createRingBuffer(capacity);
  const columns = new Map<string, RingBuffer>();
  // The buffers of a names array, looked up once per distinct array (services reuse theirs).
  const resolved = new WeakMap<readonly string[], RingBuffer[]>();

  const column = (name: string): RingBuffer => {
    let buffer = columns.get(name);
    if (!buffer) {
      buffer = createRingBuffer(capacity);
      for (let i = 0; i < turns.length; i++) buffer.push(0);
      columns.set(name, buffer);
    }
    return buffer;
  };
  const buffersOf = (names: readonly string[]): RingBuffer[] => {
    let buffers = resolved.get(names);
    if (!buffers) {
      buffers = names.map(column);
      resolved.set(names, buffers);
    }
    return buffers;
  };

  return {
    capacity,
    get length() {
      return turns.length;
    },
    get version() {
      return turns.version;
    },
    append(turn, names, values) {
      const buffers = buffersOf(names);
      turns.push(turn);
      for (let i = 0; i < buffers.length; i++) buffers[i]!.push(values[i]!);
      // Columns this call did not name still take a value, so every column keeps the turns' length.
      if (buffers.length < columns.size) {
        for (const buffer of columns.values()) if (buffer.length < turns.length) buffer.push(0);
      }
    },
    has: (figure) => columns.has(figure),
    column: (figure) => columns.get(figure),
    figureNames: () => [...columns.keys()],
    series(figure, window) {
      const buffer = columns.get(figure);
      if (!buffer) throw new ServicesErrors.TRADESIM_ERR_FIGURE_UNKNOWN(figure);
      return buffer.toArray(window);
    },
    turns: (window) => turns.toArray(window),
  };
}
