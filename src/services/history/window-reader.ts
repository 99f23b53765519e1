import { ServicesErrors } from '../errors.js';
import type { History } from './history.js';
import type { RingReader } from './ring-buffer.js';
import { type StatsCache, statsKey } from './stats-cache.js';
import { pearson, type Summary, summarizeInPlace, summaryFieldInPlace } from './statistics.js';

/** Window statistics over one service's history (figure names within the service), cached. */
export interface WindowReader {
  /** Summary of a figure over the newest `window` turns. */
  summary(figure: string, window: number): Summary;
  /**
   * One field of that summary, computed alone and not cached: for a reader that needs one
   * statistic once a turn (an alert rule), where a cache entry costs more than the figure.
   */
  summaryField(figure: string, window: number, field: keyof Summary): number;
  /** Pearson correlation of two figures over the newest `window` turns. */
  correlation(figureA: string, figureB: string, window: number): number;
  /** The newest `window` values of a figure, oldest first. */
  series(figure: string, window: number): Float64Array;
}

/** What a service's window readers share: its history, the stats cache, scratch space, columns. */
export interface WindowSource {
  readonly name: string;
  readonly history: History;
  readonly cache: StatsCache;
  /** Window statistics copy into it instead of allocating; twice the history's capacity. */
  readonly scratch: Float64Array;
  /** A figure's column, found once: the full name is built (a new string to hash) only then. */
  columnOf(figure: string): RingReader;
}

/** The window source of service `name` over `history`. */
export function createWindowSource(name: string, history: History, cache: StatsCache): WindowSource {
  const columns = new Map<string, RingReader>();
  return {
    name,
    history,
    cache,
    scratch: new Float64Array(2 * history.capacity),
    columnOf(figure) {
      let column = columns.get(figure);
      if (!column) {
        column = history.column(`${name}.${figure}`);
        if (!column) throw new ServicesErrors.TRADESIM_ERR_FIGURE_UNKNOWN(`${name}.${figure}`);
        columns.set(figure, column);
      }
      return column;
    },
  };
}

/**
 * A reader of the windows that end at history version `at` (undefined: the newest).
 * A class rather than closures: each recorded turn makes one, so it should cost one small object.
 */
export class WindowAt implements WindowReader {
  // Declared, not class fields: a field's define-on-construct showed in profiles of the
  // turn loop, an assignment does not.
  declare private readonly source: WindowSource;
  declare private readonly at: number | undefined;

  constructor(source: WindowSource, at: number | undefined) {
    this.source = source;
    this.at = at;
  }

  private version(): number {
    return this.at ?? this.source.history.version;
  }

  summary(figure: string, size: number): Summary {
    const { name, history, cache, scratch } = this.source;
    const v = this.version();
    return cache.get(statsKey(name, figure, size, v), () => {
      const n = this.source.columnOf(figure).copyInto(scratch, size, history.version - v);
      return summarizeInPlace(scratch, n);
    });
  }

  summaryField(figure: string, size: number, field: keyof Summary): number {
    const { history, scratch } = this.source;
    const n = this.source.columnOf(figure).copyInto(scratch, size, history.version - this.version());
    return summaryFieldInPlace(scratch, n, field);
  }

  correlation(a: string, b: string, size: number): number {
    const { name, history, cache, scratch } = this.source;
    const v = this.version();
    return cache.get(statsKey(name, `${a}~${b}`, size, v), () => {
      const skip = history.version - v;
      const half = history.capacity;
      const n = this.source.columnOf(a).copyInto(scratch, size, skip);
      this.source.columnOf(b).copyInto(scratch.subarray(half), size, skip);
      return pearson(scratch.subarray(0, n), scratch.subarray(half, half + n));
    });
  }

  series(figure: string, size: number): Float64Array {
    const { history } = this.source;
    const out = new Float64Array(Math.min(size, history.capacity));
    const n = this.source.columnOf(figure).copyInto(out, size, history.version - this.version());
    return out.subarray(0, n);
  }
}
