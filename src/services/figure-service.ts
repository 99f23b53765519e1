import type { TurnReport, WorldView } from '../simulation/index.js';
import { type FigurePlan, planFigures } from './figures/figures.js';
import { createHistory, type History } from './history/history.js';
import type { StatsCache } from './history/stats-cache.js';
import { createWindowSource, WindowAt, type WindowReader } from './history/window-reader.js';

/** Seconds spent in each phase of one turn, measured by the turn loop. */
export interface PhaseTimings {
  readonly prices: number;
  readonly purchases: number;
  /** Households, suppliers' orders, exits and entries. */
  readonly market: number;
  readonly events: number;
  /** The domain figure services of this turn (0 for the domain services themselves). */
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

/** One domain's figures: records each turn, keeps a capped history, answers window statistics. */
export interface FigureService<F extends object> {
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
  /** A saved state, not yet checked, with the parts of its own state it predates added (see ServiceDefinition.withAddedState). */
  withAddedState(state: unknown): unknown;
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
  /**
   * A saved state, not yet checked (anything), with what the service started carrying after
   * it was saved added, at the values a run that saved it would have had: an older
   * checkpoint then passes the check against a fresh service's state and plays as it did.
   */
  withAddedState?(state: unknown): unknown;
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
export function createFigureService<F extends object>(
  definition: ServiceDefinition<F>,
  options: { readonly cache: StatsCache; readonly historyCapacity?: number },
): FigureService<F> {
  const { name } = definition;
  const history = createHistory(options.historyCapacity ?? 200);
  let latest: F | undefined;
  let plan: FigurePlan | undefined;
  let row = new Float64Array(0);
  const source = createWindowSource(name, history, options.cache);

  return {
    name,
    history,
    window: new WindowAt(source, undefined),
    record(input, earlier) {
      // The version this turn's append will produce; lazy figures read the window as of it.
      const figures = definition.compute(input, earlier, new WindowAt(source, history.version + 1));
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
    withAddedState(state) {
      if (!definition.withAddedState || state === null || typeof state !== 'object' || !('own' in state)) return state;
      return { ...state, own: definition.withAddedState(state.own) };
    },
  };
}
