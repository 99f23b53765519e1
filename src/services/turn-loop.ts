import { randomUUID } from 'node:crypto';
import {
  type Simulation,
  SimulationErrors,
  type TurnInProgress,
  type TurnPhase,
  type TurnReport,
} from '../simulation/index.js';
import { loopCheckpointProblems } from './checkpoint-shape.js';
import type { AlertRule } from './alerts/alert-rules.js';
import { type AlertEngine, type AlertEvent, createAlertEngine, type RuleState } from './alerts/alert-engine.js';
import { createFiringHistory, type FiringHistoryState, type FiringList } from './alerts/firing-history.js';
import { ServicesErrors } from './errors.js';
import type { ServiceState } from './metrics-service.js';
import { readFigureAt } from './figures/figures.js';
import { type RunConfig, runRules } from './run-config.js';
import { createServiceSet, recordTurn, type ServiceSet } from './service-set.js';
import type { TurnSnapshot } from './snapshot.js';
import type { Summary } from './history/statistics.js';
import { type EntityPage, type EntityQuery, listEntities } from './entities/entity-list.js';
import { createSortCache } from './entities/sort-cache.js';
import { createLiveShocks, type LiveShockRecord, type LiveShocks } from './live-shocks.js';

/** The loop's state. `idle`: not running (before a run, or after a run of N turns ended). */
export type LoopState = 'idle' | 'running' | 'paused' | 'stopped';

/**
 * A subscriber gets every snapshot and the turn's report (for per-transaction detail); a
 * returned promise is not awaited, so nobody stalls the loop.
 */
export type Subscriber = (snapshot: TurnSnapshot, report: TurnReport) => void | Promise<void>;

/** Injected clocks: `monotonicMs` times phases, `wallMs` stamps snapshots. */
export interface Clocks {
  readonly monotonicMs: () => number;
  readonly wallMs: () => number;
}

/** How the loop is built. */
export interface TurnLoopOptions {
  readonly simulation: Simulation;
  readonly config: RunConfig;
  readonly runId?: string;
  readonly clocks?: Clocks;
  /** Told of each subscriber error (it is counted either way). */
  readonly onSubscriberError?: (error: unknown) => void;
  /** The services' and alerts' state from a checkpoint, for a simulation restored from it. */
  readonly restore?: LoopCheckpoint;
}

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

/** How long to run: N turns or until stopped; flat out (0) or paced. */
export interface RunOptions {
  readonly turns?: number;
  /** Pause between turns, on a schedule; 0 (the default) runs flat out. */
  readonly intervalMs?: number;
  /**
   * Flat out, the loop yields to the event loop once this many milliseconds have passed
   * since it last did (default 1; 0 yields after every turn): an event-loop pass costs
   * about as much as a small world's turn, and I/O waits at most this long. The same holds
   * between the slices of a turn (0: after every slice), and the loop plays at least as long
   * as the event loop took the last time, so a flood of requests never takes more than half.
   */
  readonly yieldEveryMs?: number;
  /**
   * Items of work (companies, buyers, offers) a slice of a turn plays before the loop yields to
   * the event loop. By default the loop chooses it from the last turns' pace so a slice takes
   * about SLICE_TARGET_MS; where turns are cut never changes what they play.
   */
  readonly sliceItems?: number;
}

/** Owns the engine and the services, runs turns, publishes snapshots. */
export interface TurnLoop {
  readonly runId: string;
  readonly seed: number;
  readonly config: RunConfig;
  readonly state: LoopState;
  readonly subscriberErrors: number;
  /** The services, for window statistics and history. */
  readonly services: ServiceSet;
  readonly alertRules: readonly AlertRule[];
  /** Plays one turn, feeds the services, evaluates alerts, publishes and returns the snapshot. */
  runTurn(): TurnSnapshot;
  /** Runs turns until `turns` more are done or stop(); settles when the loop leaves `running`. */
  run(options?: RunOptions): Promise<void>;
  pause(): void;
  resume(): void;
  /**
   * Plays one turn of a paused run (within its `turns`); false when the loop is not paused
   * or the run has played all its turns.
   */
  step(): boolean;
  /** The pause between turns of the current run, ms (0: flat out). */
  readonly intervalMs: number;
  /** Changes the pause between turns of the run under way, from the next turn on. */
  setIntervalMs(ms: number): void;
  /** A page of companies, products or suppliers, sorted by one of their fields (read between turns). */
  entities(query: EntityQuery): EntityPage;
  /**
   * Runs `read` between two turns: at once when no turn is half played, else right after the
   * turn in progress is published and before the next one starts. Everything that reads the
   * live world or changes the run (entities, shocks, step) goes through it.
   */
  betweenTurns<T>(read: () => T): Promise<T>;
  /** Asks the loop to stop after the current turn; settles once it has. The loop cannot run again. */
  stop(): Promise<void>;
  /** Settles when the loop has stopped for good. */
  readonly stopped: Promise<void>;
  subscribe(subscriber: Subscriber): () => void;
  /** The last published snapshot, or undefined before the first turn. */
  latest(): TurnSnapshot | undefined;
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
  /** Shocks started and stopped while the run goes on (between turns), and their record. */
  readonly shocks: LiveShocks;
  /**
   * A fault for exercises: while stalled, a running loop plays no turn (its state stays
   * `running`, so the stall shows as one). False ends it.
   */
  stall(on: boolean): void;
  readonly stalled: boolean;
}

const RECENT_ALERT_EVENTS = 100;
/** The longest pause between turns a run takes, ms (an hour). */
export const INTERVAL_MAX_MS = 3_600_000;
const DEFAULT_YIELD_EVERY_MS = 1;
/** The time a slice of a turn aims to take, ms: what a request waits at most for the loop. */
export const SLICE_TARGET_MS = 1.5;
/** The fewest items a chosen slice plays, and the first turn's slice before any pace is known. */
const SLICE_MIN_ITEMS = 512;
const SLICE_FIRST_ITEMS = 8_192;
const TURN_PHASES: readonly TurnPhase[] = ['prices', 'purchases', 'market', 'events'];

const defaultClocks: Clocks = { monotonicMs: () => performance.now(), wallMs: () => Date.now() };

function splitFigure(figure: string): [service: string, rest: string] {
  const dot = figure.indexOf('.');
  return dot < 0 ? [figure, ''] : [figure.slice(0, dot), figure.slice(dot + 1)];
}

/** Creates the turn loop for a simulation and its run configuration. */
export function createTurnLoop(options: TurnLoopOptions): TurnLoop {
  const { simulation, config } = options;
  const clocks = options.clocks ?? defaultClocks;
  const runId = options.runId ?? randomUUID();
  const subscribers = new Set<Subscriber>();
  let subscriberErrors = 0;
  // The scenario's calendar, once it has one: SLO windows are simulated time.
  const turnMinutes = (config.scenario as { calendar?: { turnMinutes?: number } }).calendar?.turnMinutes;
  const services = createServiceSet(config.thresholds, config.services, () => subscriberErrors, {
    objectives: config.slos,
    ...(turnMinutes === undefined ? {} : { turnMinutes }),
  });
  const alerts: AlertEngine = createAlertEngine(runRules(config));
  // Whole-list sorts for deep entity pages, reused across requests (see sort-cache.ts).
  const sortCache = createSortCache();
  // Each rule's figure path, split once rather than every turn.
  const rulePaths = new Map(alerts.rules.map((rule) => [rule.name, rule.figure.split('.')]));
  // The figures of the turn being evaluated, and a rule's value in them (one function for the run).
  let turnFigures: object = {};
  const ruleTargets = new Map<string, ReturnType<typeof serviceOf>>();
  const ruleValue = (rule: AlertRule): number => {
    if (rule.stat === 'value') return readFigureAt(turnFigures, rulePaths.get(rule.name)!) ?? 0;
    let target = ruleTargets.get(rule.figure);
    if (!target) {
      target = serviceOf(rule.figure);
      ruleTargets.set(rule.figure, target);
    }
    // A window statistic over fewer turns than its window is absent (a start-up transient
    // would otherwise read as a trend).
    const { history } = target.service;
    if (history.length < Math.min(rule.window, history.capacity)) return Number.NaN;
    // One statistic, once a turn: computed alone rather than a whole summary cached for it
    // (on large the cache entry and the rest of the summary were most of the alerts' cost).
    const { window } = target.service;
    if (rule.stat === 'slopePercent') {
      // The slope over the window's mean: absent when the mean is nothing to compare with.
      const level = Math.abs(window.summaryField(target.rest, rule.window, 'mean'));
      return level > 0 ? (100 * window.summaryField(target.rest, rule.window, 'slope')) / level : Number.NaN;
    }
    return window.summaryField(target.rest, rule.window, rule.stat);
  };
  const recentEvents: AlertEvent[] = [];
  const firings = createFiringHistory(config.services.alertFirings);
  if (options.restore) {
    // A decoded file is checked against what these services save before any of it is taken.
    const fresh = {
      services: Object.fromEntries(services.domains.map((d) => [d.name, d.saveState()])),
      alerts: alerts.saveState(),
      recentAlertEvents: [],
    };
    const problems = loopCheckpointProblems(options.restore, fresh, simulation.turn, RECENT_ALERT_EVENTS);
    if (problems.length > 0) throw new SimulationErrors.TRADESIM_ERR_CHECKPOINT_MISMATCH(problems.join('; '));
    for (const service of services.domains) {
      const saved = options.restore.services[service.name];
      if (saved) service.loadState(saved);
    }
    alerts.loadState(options.restore.alerts);
    recentEvents.push(...options.restore.recentAlertEvents);
    if (options.restore.alertFirings) firings.loadState(options.restore.alertFirings);
  }
  const shocks = createLiveShocks(simulation, options.restore?.liveShocks);
  let stalled = false;
  let latest: TurnSnapshot | undefined;
  let state: LoopState = 'idle';
  let stopRequested = false;
  let intervalMs = 0;
  let rescheduled = false;
  let lastTurn = Number.POSITIVE_INFINITY;
  let wake: (() => void) | undefined;
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });

  const serviceOf = (figure: string) => {
    const [name, rest] = splitFigure(figure);
    const service = services.byName(name);
    if (!service || !service.history.has(figure)) throw new ServicesErrors.TRADESIM_ERR_FIGURE_UNKNOWN(figure);
    return { service, rest };
  };
  const checkWindow = (window: number) => {
    if (!Number.isInteger(window) || window < 1) throw new ServicesErrors.TRADESIM_ERR_WINDOW_INVALID(window);
  };

  // Read through a function: pause() changes the state while run() awaits.
  const currentState = (): LoopState => state;

  const reportSubscriberError = (error: unknown) => {
    subscriberErrors += 1;
    options.onSubscriberError?.(error);
  };

  function publish(snapshot: TurnSnapshot, report: TurnReport): void {
    latest = snapshot;
    for (const subscriber of subscribers) {
      try {
        const result = subscriber(snapshot, report);
        if (result && typeof result.then === 'function') result.then(undefined, reportSubscriberError);
      } catch (error) {
        reportSubscriberError(error);
      }
    }
  }

  // Seconds of each phase of the turn being played, summed over its slices by the engine's
  // phase callback (one object and one callback for the run rather than two per turn); `at`
  // is the phase in progress, `busy` the turn's seconds in slices.
  const phases = { mark: 0, at: 0, busy: 0, slices: 0, prices: 0, purchases: 0, market: 0, events: 0 };
  const endPhase = (phase: TurnPhase) => {
    const now = clocks.monotonicMs();
    phases[phase] += (now - phases.mark) / 1000;
    phases.mark = now;
    phases.at += 1;
  };
  // The turn half played, if any, and the items its slices play (chosen, or fixed by run()).
  let current: TurnInProgress | undefined;
  // A turn the engine has played and the services have not yet seen (see playSlice).
  let played: TurnReport | undefined;
  let sliceItems = SLICE_FIRST_ITEMS;
  let sliceFixed = false;
  const waiting: (() => void)[] = [];

  /** Plays the next slice of the turn in progress (begun if none is); its snapshot once it is done. */
  function playSlice(items: number): TurnSnapshot | undefined {
    if (played) return publishTurn(played);
    const start = clocks.monotonicMs();
    if (!current) {
      phases.prices = phases.purchases = phases.market = phases.events = 0;
      phases.at = phases.busy = phases.slices = 0;
      shocks.beforeTurn();
      current = simulation.begin(endPhase);
    }
    phases.mark = start;
    const report = current.advance(items);
    const end = clocks.monotonicMs();
    phases.busy += (end - start) / 1000;
    phases.slices += 1;
    if (!report) {
      phases[TURN_PHASES[phases.at]!] += (end - phases.mark) / 1000;
      return undefined;
    }
    if (!sliceFixed && phases.busy > 0) {
      const chosen = Math.floor((SLICE_TARGET_MS * current.played) / (phases.busy * 1000));
      sliceItems = Math.max(SLICE_MIN_ITEMS, chosen);
    }
    // A turn of several slices is published in a slice of its own (the services' work on a
    // large world is a slice's worth); until then it counts as in progress.
    if (phases.slices > 1 && items !== Number.POSITIVE_INFINITY) {
      played = report;
      return undefined;
    }
    return publishTurn(report);
  }

  /** Feeds the services, publishes the turn and runs the readers waiting for its end. */
  function publishTurn(report: TurnReport): TurnSnapshot {
    current = played = undefined;
    const snapshot = finishTurn(report);
    // Readers waiting for the turn's end run now, before the next turn starts.
    while (waiting.length > 0) waiting.shift()!();
    return snapshot;
  }

  function runTurn(): TurnSnapshot {
    return playSlice(Number.POSITIVE_INFINITY)!;
  }

  function finishTurn(report: TurnReport): TurnSnapshot {
    const figures = recordTurn(
      services,
      {
        report,
        world: simulation.world,
        prices: phases.prices,
        purchases: phases.purchases,
        market: phases.market,
        events: phases.events,
        clockSeconds: clocks.monotonicMs() / 1000,
      },
      clocks.monotonicMs,
    );
    turnFigures = figures;
    const evaluation = alerts.evaluate(report.turn, ruleValue);
    recentEvents.push(...evaluation.events);
    if (evaluation.events.length > 0) firings.observe(evaluation.events);
    if (recentEvents.length > RECENT_ALERT_EVENTS) recentEvents.splice(0, recentEvents.length - RECENT_ALERT_EVENTS);
    const snapshot: TurnSnapshot = Object.freeze({
      runId,
      seed: simulation.seed,
      scenario: config.scenario.name,
      turn: report.turn,
      publishedAtMs: clocks.wallMs(),
      ...figures,
      alerts: Object.freeze({ active: evaluation.active, transitions: evaluation.events }),
    });
    publish(snapshot, report);
    return snapshot;
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  // setImmediate lets pending I/O (HTTP requests, file writes) run between flat-out turns.
  const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

  async function run(runOptions: RunOptions = {}): Promise<void> {
    if (state === 'stopped') throw new ServicesErrors.TRADESIM_ERR_LOOP_STOPPED();
    if (state !== 'idle') throw new ServicesErrors.TRADESIM_ERR_LOOP_ALREADY_RUNNING();
    intervalMs = runOptions.intervalMs ?? 0;
    const yieldEveryMs = runOptions.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
    sliceFixed = runOptions.sliceItems !== undefined;
    if (runOptions.sliceItems !== undefined) sliceItems = runOptions.sliceItems;
    let yieldedAt = clocks.monotonicMs();
    // The time the event loop took the last time the loop yielded: the loop plays at least as
    // long before it yields again, so a flood of requests gets at most half the time.
    let awayMs = 0;
    lastTurn = runOptions.turns === undefined ? Number.POSITIVE_INFINITY : simulation.turn + runOptions.turns;
    state = 'running';
    let due = clocks.monotonicMs();
    while (current || (!stopRequested && simulation.turn < lastTurn)) {
      if (!current && (currentState() === 'paused' || stalled)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        due = clocks.monotonicMs();
        continue;
      }
      const snapshot = playSlice(sliceItems);
      if (snapshot && intervalMs > 0) {
        // Pace against a schedule, not after each turn, so turn time does not add up as drift;
        // a change of interval starts a new schedule.
        if (rescheduled) {
          due = clocks.monotonicMs();
          rescheduled = false;
        }
        due += intervalMs;
        await sleep(Math.max(0, due - clocks.monotonicMs()));
        yieldedAt = clocks.monotonicMs();
        awayMs = 0;
      } else if (clocks.monotonicMs() - yieldedAt >= (yieldEveryMs === 0 ? 0 : Math.max(yieldEveryMs, awayMs))) {
        const away = clocks.monotonicMs();
        await yieldToEventLoop();
        yieldedAt = clocks.monotonicMs();
        awayMs = yieldedAt - away;
      }
    }
    if (stopRequested) {
      state = 'stopped';
      resolveStopped();
    } else {
      state = 'idle';
    }
  }

  const service = {
    runId,
    seed: simulation.seed,
    config,
    services,
    alertRules: alerts.rules,
    runTurn,
    run,
    pause() {
      if (state === 'running') state = 'paused';
    },
    resume() {
      if (state !== 'paused') return;
      state = 'running';
      wake?.();
    },
    step() {
      if (state !== 'paused' || stopRequested || current || simulation.turn >= lastTurn) return false;
      runTurn();
      return true;
    },
    setIntervalMs(ms) {
      if (!Number.isInteger(ms) || ms < 0 || ms > INTERVAL_MAX_MS)
        throw new ServicesErrors.TRADESIM_ERR_INTERVAL_INVALID(ms);
      intervalMs = ms;
      rescheduled = true;
      // A sleep under the old interval ends now; the next turn is paced by the new one.
      if (state === 'running') wake?.();
    },
    entities: (query) => {
      if (current) throw new SimulationErrors.TRADESIM_ERR_TURN_IN_PROGRESS(current.turn);
      return listEntities(simulation.world, config.thresholds, query, sortCache);
    },
    betweenTurns<T>(read: () => T): Promise<T> {
      if (!current) return new Promise<T>((resolve) => resolve(read()));
      return new Promise<T>((resolve, reject) => {
        waiting.push(() => {
          try {
            resolve(read());
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
    },
    stop() {
      stopRequested = true;
      if (state === 'idle') {
        state = 'stopped';
        resolveStopped();
      } else if (state === 'paused') {
        state = 'running';
      }
      wake?.();
      return stopped;
    },
    stopped,
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    latest: () => latest,
    summary(figure, window) {
      checkWindow(window);
      const { service, rest } = serviceOf(figure);
      return service.window.summary(rest, window);
    },
    history(figure, window) {
      checkWindow(window);
      const { service } = serviceOf(figure);
      return { turns: service.history.turns(window), values: service.history.series(figure, window) };
    },
    recentAlertEvents: () => [...recentEvents],
    alertFirings: (since) => firings.list(since),
    checkpoint: () => ({
      services: Object.fromEntries(services.domains.map((d) => [d.name, d.saveState()])),
      alerts: alerts.saveState(),
      recentAlertEvents: [...recentEvents],
      liveShocks: [...shocks.record()],
      alertFirings: firings.saveState(),
    }),
    shocks,
    stall(on) {
      stalled = on;
      if (!on) wake?.();
    },
  } satisfies Omit<TurnLoop, 'state' | 'subscriberErrors' | 'intervalMs' | 'stalled'>;
  // Getters defined on the object, not written in the literal: V8 keeps a literal with
  // getters in slow dictionary mode, and readers call into this object every turn.
  return Object.defineProperties(service, {
    state: { get: () => state, enumerable: true },
    intervalMs: { get: () => intervalMs, enumerable: true },
    subscriberErrors: { get: () => subscriberErrors, enumerable: true },
    stalled: { get: () => stalled, enumerable: true },
  }) as typeof service & Pick<TurnLoop, 'state' | 'subscriberErrors' | 'intervalMs' | 'stalled'>;
}
