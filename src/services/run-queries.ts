/*
 * The questions asked of a run between turns: a figure's history and window summary, a page
 * of entities, the alerts' record and the state a checkpoint needs. Nothing here plays a turn.
 */
import { type Simulation, SimulationErrors } from '../simulation/index.js';
import type { AlertEvent, RuleState } from './alerts/alert-engine.js';
import type { FiringHistoryState, FiringList } from './alerts/firing-history.js';
import { type EntityPage, type EntityQuery, listEntities } from './entities/entity-list.js';
import { createSortCache } from './entities/sort-cache.js';
import { ServicesErrors } from './errors.js';
import type { Summary } from './history/statistics.js';
import { figureTarget } from './figure-target.js';
import type { LiveShockRecord } from './live-shocks.js';
import type { ServiceState } from './figure-service.js';
import type { LoopAlerts } from './loop-alerts.js';
import type { RunConfig } from './run-config.js';
import type { ServiceSet } from './service-set.js';
import type { TurnSlicer } from './turn-slicer.js';

/**
 * The loop's part of a checkpoint: each business service's history and carried totals, the
 * alert rules' state machines and the recent transitions. Structured-clonable data. The
 * performance service's figures are timings, not business: a resumed run starts them afresh.
 */
export interface LoopCheckpoint {
  readonly services: Readonly<Record<string, ServiceState>>;
  readonly alerts: Readonly<Record<string, RuleState>>;
  readonly recentAlertEvents: readonly AlertEvent[];
  /** The shocks started and stopped live (absent in checkpoints written before they existed). */
  readonly liveShocks?: readonly LiveShockRecord[];
  /** Every firing kept so far (absent in a checkpoint written before it was kept). */
  readonly alertFirings?: FiringHistoryState;
}

/** What a run answers between turns. */
export interface RunQueries {
  /**
   * A page of companies, products or suppliers, sorted by one of their fields. Read between
   * turns: throws TRADESIM_ERR_TURN_IN_PROGRESS during one (ask through betweenTurns).
   */
  entities(query: EntityQuery): EntityPage;
  /**
   * Runs `read` between two turns: at once when no turn is half played, else right after the
   * turn in progress is published and before the next one starts. Everything that reads the
   * live world or changes the run (entities, shocks, step) goes through it.
   */
  betweenTurns<T>(read: () => T): Promise<T>;
  /** A figure's window summary (e.g. `budget.total`), through the cache. */
  summary(figure: string, window: number): Summary;
  /** The newest `window` values of a figure with their turn numbers. */
  history(figure: string, window: number): { turns: Float64Array; values: Float64Array };
  /** Recent alert transitions, oldest first (bounded). */
  recentAlertEvents(): readonly AlertEvent[];
  /** The run's firings with their fired and resolved turns (bounded; see FiringHistory.list). */
  alertFirings(since?: number): FiringList;
  /** The state a checkpoint needs between two turns (with the simulation's own). */
  checkpoint(): LoopCheckpoint;
}

const checkWindow = (window: number) => {
  if (!Number.isInteger(window) || window < 1) throw new ServicesErrors.TRADESIM_ERR_WINDOW_INVALID(window);
};

/** What the queries read. */
export interface RunQueryDeps {
  readonly simulation: Simulation;
  readonly config: RunConfig;
  readonly services: ServiceSet;
  readonly alerts: LoopAlerts;
  readonly slicer: TurnSlicer;
  readonly liveShocks: () => readonly LiveShockRecord[];
}

/** The queries of one run. */
export function createRunQueries(deps: RunQueryDeps): RunQueries {
  const { simulation, config, services, alerts } = deps;
  // Whole-list sorts for deep entity pages, reused across requests (see sort-cache.ts).
  const sortCache = createSortCache();
  return {
    entities: (query) => {
      if (deps.slicer.inTurn) throw new SimulationErrors.TRADESIM_ERR_TURN_IN_PROGRESS(simulation.turn + 1);
      return listEntities(simulation.world, config.thresholds, query, sortCache);
    },
    betweenTurns: (read) => deps.slicer.betweenTurns(read),
    summary(figure, window) {
      checkWindow(window);
      const { service, rest } = figureTarget(services, figure);
      return service.window.summary(rest, window);
    },
    history(figure, window) {
      checkWindow(window);
      const { service } = figureTarget(services, figure);
      return { turns: service.history.turns(window), values: service.history.series(figure, window) };
    },
    recentAlertEvents: () => alerts.recent(),
    alertFirings: (since) => alerts.firings.list(since),
    checkpoint: () => ({
      services: Object.fromEntries(services.domains.map((d) => [d.name, d.saveState()])),
      alerts: alerts.engine.saveState(),
      recentAlertEvents: alerts.recent(),
      liveShocks: [...deps.liveShocks()],
      alertFirings: alerts.firings.saveState(),
    }),
  };
}
