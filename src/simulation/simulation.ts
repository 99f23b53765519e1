import { generateWorld } from './generate-world.js';
import { createRng, type Rng, type RngState } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import type { Shock } from './timeline-schema.js';
import type { TurnReport } from './turn-report.js';
import { SimulationErrors } from './errors.js';
import { type SimulationState, withAddedFields, worldData, worldFromData, worldMismatch } from './simulation-state.js';
import { playTurnInSlices, type SliceBudget, type TurnPhase } from './turn-slices.js';
import type { World } from './world.js';
import { createWorldView, type WorldView } from './world-view.js';

export type { TurnPhase } from './turn-slices.js';

/**
 * A turn being played in slices (see Simulation.begin). Until it is done the world is half
 * played: read it, checkpoint it or change its timeline only between turns.
 */
export interface TurnInProgress {
  /** The turn being played. */
  readonly turn: number;
  /** Items of work (companies, buyers, offers) played so far. */
  readonly played: number;
  /**
   * Plays the next `units` items of work (at least one; Infinity plays the rest) and returns
   * the turn's report once it is done, undefined while there is more to play.
   */
  advance(units: number): TurnReport | undefined;
}

/** A running market. Only `step` and `begin` change it. */
export interface Simulation {
  readonly scenario: Scenario;
  readonly seed: number;
  /** The last completed turn (0 before the first step); a turn in progress is not counted. */
  readonly turn: number;
  readonly world: WorldView;
  /**
   * Plays one turn and returns its report. `onPhaseEnd`, if given, is called after each
   * phase: the engine keeps no clock, so timing is the caller's business.
   */
  step(onPhaseEnd?: (phase: TurnPhase) => void): TurnReport;
  /**
   * Starts a turn to be played in slices; it plays nothing until its first `advance`. The
   * report is the one `step` would return, however the turn is sliced. Throws
   * TRADESIM_ERR_TURN_IN_PROGRESS while another turn is not done.
   */
  begin(onPhaseEnd?: (phase: TurnPhase) => void): TurnInProgress;
  /** The RNG state after the last step, for checkpoints. */
  rngState(): RngState;
  /**
   * The whole state between two turns, for a checkpoint. It shares the live world's arrays:
   * serialize it before the next step.
   */
  state(): SimulationState;
  /**
   * Appends a shock to the timeline (`scenario` then holds it) and returns its index. Call it
   * between turns with `at` after this turn: it starts, and is recorded, as a scheduled one.
   */
  addShock(shock: Shock): number;
  /** Ends the shock at `index`, in force, at the next turn (its `turns` shortened). Between turns. */
  endShock(index: number): void;
}

/**
 * Plays one turn on a world in one slice and returns its report (see playTurnInSlices).
 * `buyers` is scratch space of one entry per company.
 */
export function playTurn(
  world: World,
  scenario: Scenario,
  rng: Rng,
  buyers: Int32Array,
  onPhaseEnd?: (phase: TurnPhase) => void,
): TurnReport {
  const turn = playTurnInSlices(
    world,
    scenario,
    rng,
    buyers,
    { left: Number.POSITIVE_INFINITY, played: 0 },
    onPhaseEnd,
  );
  const result = turn.next();
  if (!result.done) throw new SimulationErrors.TRADESIM_ERR_TURN_IN_PROGRESS(world.turn);
  return result.value;
}

/** A turn of a RunningSimulation in slices; `done` tells the simulation it is over. */
class SlicedTurn implements TurnInProgress {
  readonly #budget: SliceBudget = { left: 0, played: 0 };
  readonly #slices: Generator<void, TurnReport, void>;
  readonly #done: (report: TurnReport) => void;
  #report: TurnReport | undefined;

  constructor(
    readonly turn: number,
    play: (budget: SliceBudget) => Generator<void, TurnReport, void>,
    done: (report: TurnReport) => void,
  ) {
    this.#slices = play(this.#budget);
    this.#done = done;
  }

  get played(): number {
    return this.#budget.played;
  }

  advance(units: number): TurnReport | undefined {
    if (this.#report) return this.#report;
    this.#budget.left = Math.max(1, units);
    const result = this.#slices.next();
    if (!result.done) return undefined;
    this.#report = result.value;
    this.#done(result.value);
    return result.value;
  }
}

/**
 * The simulation. A class rather than an object literal: V8 keeps a literal with a getter
 * (`turn`) in slow dictionary mode.
 */
class RunningSimulation implements Simulation {
  readonly #state: World;
  readonly #rng: Rng;
  readonly #buyers: Int32Array;
  #scenario: Scenario;
  #completed: number;
  #inProgress: TurnInProgress | undefined;

  constructor(
    scenario: Scenario,
    readonly seed: number,
    state: World,
    readonly world: WorldView,
    rng: Rng,
  ) {
    this.#scenario = scenario;
    this.#state = state;
    this.#rng = rng;
    this.#buyers = new Int32Array(state.companies.length);
    this.#completed = state.turn;
  }

  get turn(): number {
    return this.#completed;
  }

  get scenario(): Scenario {
    return this.#scenario;
  }

  step(onPhaseEnd?: (phase: TurnPhase) => void): TurnReport {
    return this.begin(onPhaseEnd).advance(Number.POSITIVE_INFINITY)!;
  }

  begin(onPhaseEnd?: (phase: TurnPhase) => void): TurnInProgress {
    this.#betweenTurns();
    const scenario = this.#scenario;
    const turn = new SlicedTurn(
      this.#completed + 1,
      (budget) => playTurnInSlices(this.#state, scenario, this.#rng, this.#buyers, budget, onPhaseEnd),
      (report) => {
        this.#completed = report.turn;
        this.#inProgress = undefined;
      },
    );
    this.#inProgress = turn;
    return turn;
  }

  /** Throws while a turn is half played: its world is not to be read or changed. */
  #betweenTurns(): void {
    if (this.#inProgress) throw new SimulationErrors.TRADESIM_ERR_TURN_IN_PROGRESS(this.#inProgress.turn);
  }

  addShock(shock: Shock): number {
    this.#betweenTurns();
    this.#withTimeline([...this.#scenario.timeline, Object.freeze({ ...shock })]);
    const flags = new Uint8Array(this.#scenario.timeline.length);
    flags.set(this.#state.shockInForce);
    this.#state.shockInForce = flags;
    this.#state.recalled.push([]);
    return flags.length - 1;
  }

  endShock(index: number): void {
    this.#betweenTurns();
    const timeline = [...this.#scenario.timeline];
    const shock = timeline[index]!;
    timeline[index] = Object.freeze({ ...shock, turns: this.#state.turn + 1 - shock.at });
    this.#withTimeline(timeline);
  }

  #withTimeline(timeline: Scenario['timeline']): void {
    this.#scenario = Object.freeze({ ...this.#scenario, timeline: Object.freeze(timeline) as Shock[] });
  }

  rngState(): RngState {
    return this.#rng.getState();
  }

  state(): SimulationState {
    this.#betweenTurns();
    return { world: worldData(this.#state), rng: this.#rng.getState() };
  }
}

/**
 * A simulation that goes on from a saved state (see Simulation.state). With `rng` omitted
 * the saved random stream continues, and the run is the uninterrupted one's turn for turn;
 * a fork passes another stream, and may play another scenario of the same world sizes whose
 * timeline keeps the shocks already started (`from`, the saved run's scenario, is checked
 * against it; see worldMismatch). Throws TRADESIM_ERR_CHECKPOINT_MISMATCH when it does not fit.
 */
export function restoreSimulation(
  scenario: Scenario,
  seed: number,
  state: SimulationState,
  rng?: Rng,
  from?: Scenario,
): Simulation {
  const saved = withAddedFields(state.world);
  const problems = worldMismatch(saved, scenario, from);
  if (problems.length > 0) throw new SimulationErrors.TRADESIM_ERR_CHECKPOINT_MISMATCH(problems.join('; '));
  const world = worldFromData(saved, scenario.timeline.length);
  let stream = rng;
  if (!stream) {
    stream = createRng(seed);
    stream.setState(state.rng);
  }
  return Object.freeze(new RunningSimulation(scenario, seed, world, createWorldView(world), stream));
}

/**
 * Generates the world for a scenario and seed and returns the simulation at turn 0. The RNG
 * may be injected (tests do); by default it is the seeded xoshiro128** generator.
 */
export function createSimulation(scenario: Scenario, seed: number, rng: Rng = createRng(seed)): Simulation {
  const world = generateWorld(scenario, rng);
  const view = createWorldView(world);

  return Object.freeze(new RunningSimulation(scenario, seed, world, view, rng));
}
