import { randomUUID } from 'node:crypto';
import { type Simulation, SimulationErrors, type TurnReport } from '../simulation/index.js';
import { loopCheckpointProblems } from './checkpoint-shape.js';
import type { AlertRule } from './alerts/alert-rules.js';
import { createLoopAlerts, RECENT_ALERT_EVENTS } from './loop-alerts.js';
import { createLiveShocks, type LiveShocks } from './live-shocks.js';
import type { RunConfig } from './run-config.js';
import { type LoopState, RunControl, type RunOptions } from './run-control.js';
import { createRunQueries, type LoopCheckpoint, type RunQueries } from './run-queries.js';
import { createServiceSet, recordTurnInSteps, type ServiceSet } from './service-set.js';
import type { TurnSnapshot } from './snapshot.js';
import { type Subscriber, TurnPublisher } from './turn-publisher.js';
import { type PhaseSeconds, TurnSlicer } from './turn-slicer.js';

export { INTERVAL_MAX_MS, type LoopState, type RunOptions } from './run-control.js';
export type { LoopCheckpoint, RunQueries } from './run-queries.js';

export type { Subscriber } from './turn-publisher.js';
export { SLICE_TARGET_MS } from './turn-slicer.js';

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
 * The run's control: plays turns, publishes their snapshots, and runs, pauses, steps, paces
 * and stops. Its queries are apart (RunQueries).
 */
export interface RunControls {
  readonly runId: string;
  readonly seed: number;
  readonly config: RunConfig;
  readonly state: LoopState;
  /** True once a run has played all its `turns` (until another starts): no turn will follow. */
  readonly ended: boolean;
  /** True once a stop was asked (a signal, the end of a run): the turn under way, if any, is the last. */
  readonly stopping: boolean;
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
  /** Asks the loop to stop after the current turn; settles once it has. The loop cannot run again. */
  stop(): Promise<void>;
  /** Settles when the loop has stopped for good. */
  readonly stopped: Promise<void>;
  subscribe(subscriber: Subscriber): () => void;
  /** The last published snapshot, or undefined before the first turn. */
  latest(): TurnSnapshot | undefined;
  /** Shocks started and stopped while the run goes on (between turns), and their record. */
  readonly shocks: LiveShocks;
  /**
   * A fault for exercises: while stalled, a running loop plays no turn (its state stays
   * `running`, so the stall shows as one). False ends it.
   */
  stall(on: boolean): void;
  readonly stalled: boolean;
}

/** Owns the engine and the services, runs turns, publishes snapshots, answers queries. */
export type TurnLoop = RunControls & RunQueries;

const defaultClocks: Clocks = { monotonicMs: () => performance.now(), wallMs: () => Date.now() };

/** Creates the turn loop for a simulation and its run configuration. */
export function createTurnLoop(options: TurnLoopOptions): TurnLoop {
  const { simulation, config } = options;
  const clocks = options.clocks ?? defaultClocks;
  const runId = options.runId ?? randomUUID();
  const publisher = new TurnPublisher(options.onSubscriberError);
  const services = servicesFor(config, () => publisher.errors);
  const alerts = createLoopAlerts(config, services);
  if (options.restore) restore(options.restore, { simulation, services, alerts });
  const shocks = createLiveShocks(simulation, options.restore?.liveShocks);

  const publishTurn = turnPublishing({ simulation, config, services, alerts, clocks, runId, publisher });

  const slicer = new TurnSlicer({
    simulation,
    monotonicMs: clocks.monotonicMs,
    beforeTurn: () => shocks.beforeTurn(),
    publish: publishTurn,
  });
  const runTurn = (): TurnSnapshot => {
    slicer.playTurn();
    return publisher.latest()!;
  };
  const control = new RunControl(simulation, slicer, clocks.monotonicMs);
  const queries = createRunQueries({
    simulation,
    config,
    services,
    alerts,
    slicer,
    liveShocks: () => shocks.saved(),
  });
  const loop = {
    runId,
    seed: simulation.seed,
    config,
    services,
    alertRules: alerts.engine.rules,
    runTurn,
    run: (runOptions?: RunOptions) => control.run(runOptions),
    pause: () => control.pause(),
    resume: () => control.resume(),
    step: () => control.step(),
    setIntervalMs: (ms: number) => control.setIntervalMs(ms),
    stop: () => control.stop(),
    stopped: control.stopped,
    subscribe: (subscriber: Subscriber) => publisher.subscribe(subscriber),
    latest: () => publisher.latest(),
    shocks,
    stall: (on: boolean) => control.stall(on),
    ...queries,
  } satisfies Omit<TurnLoop, 'state' | 'ended' | 'stopping' | 'subscriberErrors' | 'intervalMs' | 'stalled'>;
  // Getters defined on the object, not written in the literal: V8 keeps a literal with
  // getters in slow dictionary mode, and readers call into this object every turn.
  return Object.defineProperties(loop, {
    state: { get: () => control.state, enumerable: true },
    ended: { get: () => control.ended, enumerable: true },
    stopping: { get: () => control.stopping, enumerable: true },
    intervalMs: { get: () => control.intervalMs, enumerable: true },
    subscriberErrors: { get: () => publisher.errors, enumerable: true },
    stalled: { get: () => control.stalled, enumerable: true },
  }) as typeof loop & Pick<TurnLoop, 'state' | 'ended' | 'stopping' | 'subscriberErrors' | 'intervalMs' | 'stalled'>;
}

/**
 * What the loop does with each played turn: the services record it, the alerts evaluate
 * its figures, and its frozen snapshot goes to the subscribers. In steps (one service each),
 * so the slicer can spread a large world's publication over slices; the snapshot is
 * published whole at the last step.
 */
function turnPublishing(parts: {
  readonly simulation: Simulation;
  readonly config: RunConfig;
  readonly services: ServiceSet;
  readonly alerts: ReturnType<typeof createLoopAlerts>;
  readonly clocks: Clocks;
  readonly runId: string;
  readonly publisher: TurnPublisher;
}): (report: TurnReport, phases: PhaseSeconds) => Generator<void, void, void> {
  const { simulation, config, services, alerts, clocks, runId, publisher } = parts;
  return function* (report, phases) {
    const figures = yield* recordTurnInSteps(
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
    const evaluation = alerts.evaluate(report.turn, figures);
    const snapshot: TurnSnapshot = Object.freeze({
      runId,
      seed: simulation.seed,
      scenario: config.scenario.name,
      turn: report.turn,
      publishedAtMs: clocks.wallMs(),
      ...figures,
      alerts: Object.freeze({ active: evaluation.active, transitions: evaluation.events }),
    });
    publisher.publish(snapshot, report);
  };
}

/** The run's services; SLO windows count simulated time when the scenario has a calendar. */
function servicesFor(config: RunConfig, subscriberErrors: () => number): ServiceSet {
  const turnMinutes = (config.scenario as { calendar?: { turnMinutes?: number } }).calendar?.turnMinutes;
  return createServiceSet(config.thresholds, config.services, subscriberErrors, {
    objectives: config.slos,
    ...(turnMinutes === undefined ? {} : { turnMinutes }),
  });
}

/** A checkpoint's services' states, each with what its service carries today and it predates added. */
function withAddedStates(saved: LoopCheckpoint['services'], services: ServiceSet): LoopCheckpoint['services'] {
  if (saved === null || typeof saved !== 'object') return saved;
  const added = Object.entries(saved).map(([name, state]) => {
    const service = services.domains.find((d) => d.name === name);
    return [name, service ? service.withAddedState(state) : state];
  });
  return Object.fromEntries(added) as LoopCheckpoint['services'];
}

/** Takes a checkpoint's services and alerts, checked first against what these services save. */
function restore(
  saved: LoopCheckpoint,
  run: {
    readonly simulation: Simulation;
    readonly services: ServiceSet;
    readonly alerts: ReturnType<typeof createLoopAlerts>;
  },
): void {
  const { services, alerts } = run;
  const fresh = {
    services: Object.fromEntries(services.domains.map((d) => [d.name, d.saveState()])),
    alerts: alerts.engine.saveState(),
    recentAlertEvents: [],
  };
  const savedServices = withAddedStates(saved.services, services);
  const problems = loopCheckpointProblems(
    { ...saved, services: savedServices },
    fresh,
    run.simulation.turn,
    RECENT_ALERT_EVENTS,
  );
  if (problems.length > 0) throw new SimulationErrors.TRADESIM_ERR_CHECKPOINT_MISMATCH(problems.join('; '));
  for (const service of services.domains) {
    const state = savedServices[service.name];
    if (state) service.loadState(state);
  }
  alerts.engine.loadState(saved.alerts);
  alerts.loadRecent(saved.recentAlertEvents);
  if (saved.alertFirings) {
    // A firing still open of a rule this run does not have (a fork's scenario dropped it) is
    // not one: nothing here would ever resolve it.
    const rules = new Set(alerts.engine.rules.map((r) => r.name));
    const firings = saved.alertFirings.firings.filter((f) => f.resolved !== null || rules.has(f.rule));
    alerts.firings.loadState({ ...saved.alertFirings, firings });
  }
}
