import type { TurnReport, WorldView } from '../simulation/index.js';
import { ServicesErrors } from './errors.js';
import { type FigurePlan, planFigures } from './figures/figures.js';
import { createHistory, type History } from './history/history.js';
import type { RingReader } from './history/ring-buffer.js';
import { type StatsCache, statsKey } from './history/stats-cache.js';
import { pearson, type Summary, summarizeInPlace, summaryFieldInPlace } from './history/statistics.js';

/** Seconds spent in each phase of one turn, measured by the turn loop. */
export interface PhaseTimings {
  readonly prices: number;
  readonly purchases: number;
  /** Households, suppliers' orders, exits and entries. */
  readonly market: number;
  readonly events: number;
  /** The domain metrics services of this turn (0 for the domain services themselves). */
  readonly services: number;
}

/** What every service receives after a turn. */
export interface TurnInput {
  readonly report: TurnReport;
  readonly world: WorldView;
  readonly timings: PhaseTimings;
  /** Wall-clock time at the end of the turn, seconds (from the loop's injected clock). */
  readonly clockSeconds: number;
}

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

/** One domain's metrics: records each turn, keeps a capped history, answers window statistics. */
export interface MetricsService<F extends object> {
  readonly name: string;
  readonly history: History;
  /** Computes this turn's figures, appends them to the history and returns them. */
  record(input: TurnInput, earlier: Readonly<Record<string, object>>): F;
  /** The figures of the last recorded turn. */
  latest(): F | undefined;
  /** Window statistics as of the latest turn. */
  readonly window: WindowReader;
  /** History and carried state, for a checkpoint (see ServiceDefinition.saveState). */
  saveState(): ServiceState;
  /** Restores saveState's result into a service that has recorded nothing yet. */
  loadState(state: ServiceState): void;
}

/**
 * How a domain computes its figures. `window` reads the history as it stands once this
 * turn is appended, even if read turns later (while the turn is still within the history):
 * use it inside lazy getters, for figures computed only when someone reads them.
 */
export interface ServiceDefinition<F extends object> {
  readonly name: string;
  /**
   * This turn's figures. Returning the very object of the turn before says that nothing in
   * it changed (its history row is repeated without being read again): figures are data
   * that is never changed once returned.
   */
  compute(input: TurnInput, earlier: Readonly<Record<string, object>>, window: WindowReader): F;
  /**
   * What the service carries from turn to turn that the world cannot give back (running
   * totals, the last values it compares with), as structured-clonable data; for checkpoints.
   * A service that rebuilds everything from the world on a turn it did not follow has none.
   */
  saveState?(): unknown;
  /** Takes back what saveState gave, before the first turn of a resumed run. */
  loadState?(state: unknown): void;
}

/** A service's part of a checkpoint: its history's rows and its own carried state. */
export interface ServiceState {
  readonly names: readonly string[];
  readonly turns: Float64Array;
  /** Each name's values over the rows, oldest first. */
  readonly columns: readonly Float64Array[];
  readonly own: unknown;
}

/** Wraps a domain definition with its history and cached window statistics. */
export function createMetricsService<F extends object>(
  definition: ServiceDefinition<F>,
  options: { readonly cache: StatsCache; readonly historyCapacity?: number },
): MetricsService<F> {
  const { name } = definition;
  const history = createHistory(options.historyCapacity ?? 200);
  const cache = options.cache;
  let latest: F | undefined;
  let plan: FigurePlan | undefined;
  let row = new Float64Array(0);
  // One scratch array per service: window statistics copy into it instead of allocating.
  const scratch = new Float64Array(2 * history.capacity);

  // Each figure's column, found once: the full name is built (a new string to hash) only then.
  const columns = new Map<string, RingReader>();
  const columnOf = (figure: string) => {
    let column = columns.get(figure);
    if (!column) {
      column = history.column(`${name}.${figure}`);
      if (!column) throw new ServicesErrors.TRADESIM_ERR_FIGURE_UNKNOWN(`${name}.${figure}`);
      columns.set(figure, column);
    }
    return column;
  };

  /**
   * A reader of the windows that end at history version `version` (undefined: the newest).
   * A class rather than closures: each recorded turn makes one, so it should cost one small object.
   */
  class WindowAt implements WindowReader {
    // Declared, not a class field: a field's define-on-construct showed in profiles of the
    // turn loop, an assignment does not.
    declare private readonly at: number | undefined;

    constructor(at: number | undefined) {
      this.at = at;
    }

    private version(): number {
      return this.at ?? history.version;
    }

    summary(figure: string, size: number): Summary {
      const v = this.version();
      return cache.get(statsKey(name, figure, size, v), () => {
        const n = columnOf(figure).copyInto(scratch, size, history.version - v);
        return summarizeInPlace(scratch, n);
      });
    }

    summaryField(figure: string, size: number, field: keyof Summary): number {
      const n = columnOf(figure).copyInto(scratch, size, history.version - this.version());
      return summaryFieldInPlace(scratch, n, field);
    }

    correlation(a: string, b: string, size: number): number {
      const v = this.version();
      return cache.get(statsKey(name, `${a}~${b}`, size, v), () => {
        const skip = history.version - v;
        const half = history.capacity;
        const n = columnOf(a).copyInto(scratch, size, skip);
        columnOf(b).copyInto(scratch.subarray(half), size, skip);
        return pearson(scratch.subarray(0, n), scratch.subarray(half, half + n));
      });
    }

    series(figure: string, size: number): Float64Array {
      const out = new Float64Array(Math.min(size, history.capacity));
      const n = columnOf(figure).copyInto(out, size, history.version - this.version());
      return out.subarray(0, n);
    }
  }

  return {
    name,
    history,
    window: new WindowAt(undefined),
    record(input, earlier) {
      // The version this turn's append will produce; lazy figures read the window as of it.
      const figures = definition.compute(input, earlier, new WindowAt(history.version + 1));
      if (!plan) {
        plan = planFigures(name, figures);
        row = new Float64Array(plan.names.length);
      }
      // The same object as last turn's (a service with nothing new, such as the event
      // service between events) holds the same values: the row already has them.
      if (figures !== latest) plan.read(figures, row);
      history.append(input.report.turn, plan.names, row);
      latest = Object.freeze(figures);
      return latest;
    },
    latest: () => latest,
    saveState() {
      const names = history.figureNames();
      return {
        names,
        turns: history.turns(),
        columns: names.map((n) => history.series(n)),
        own: definition.saveState?.(),
      };
    },
    loadState(state) {
      const row = new Float64Array(state.names.length);
      for (let r = 0; r < state.turns.length; r++) {
        state.columns.forEach((column, c) => (row[c] = column[r]!));
        history.append(state.turns[r]!, state.names, row);
      }
      if (state.own !== undefined) definition.loadState?.(state.own);
    },
  };
}
