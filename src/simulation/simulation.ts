import { generateWorld } from './generate-world.js';
import { turnTimeMs } from './market/calendar.js';
import { backorderReport, cancelExitedBackorders, serveBackorders } from './market/backorders.js';
import { switchCustomers } from './market/competition.js';
import { advanceDemand } from './market/demand.js';
import { sellToHouseholds } from './market/households.js';
import { exitAndEnter } from './market/population.js';
import { placeOrders, receiveOrders } from './market/supply.js';
import { applyTimeline, shocksInForce } from './market/timeline.js';
import { advancePrices } from './phases/advance-prices.js';
import { applyEvents } from './phases/apply-events.js';
import { selectBuyers } from './phases/select-buyers.js';
import { settlePurchases } from './phases/settle-purchases.js';
import { createRng, type Rng, type RngState } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import type { Shock } from './timeline-schema.js';
import type { TurnReport } from './turn-report.js';
import { SimulationErrors } from './errors.js';
import { type SimulationState, worldData, worldFromData, worldMismatch } from './simulation-state.js';
import type { World } from './world.js';
import { createWorldView, type WorldView } from './world-view.js';

/** The phases of a turn, in order; `step` reports the end of each so callers can time them. */
export type TurnPhase = 'prices' | 'purchases' | 'market' | 'events';

/** A running market. Only `step` changes it. */
export interface Simulation {
  readonly scenario: Scenario;
  readonly seed: number;
  /** The last completed turn (0 before the first step). */
  readonly turn: number;
  readonly world: WorldView;
  /**
   * Plays one turn and returns its report. `onPhaseEnd`, if given, is called after each
   * phase: the engine keeps no clock, so timing is the caller's business.
   */
  step(onPhaseEnd?: (phase: TurnPhase) => void): TurnReport;
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
 * Plays one turn on a world: the timeline's shocks start or end, households' demand and the
 * prices move, due orders arrive, buyers are drawn and settle their purchases, companies sell
 * to households and pay their fixed costs, suppliers order, insolvent companies exit and new
 * ones enter, then the events of an event turn apply. `buyers` is scratch space of one entry
 * per company.
 */
export function playTurn(
  world: World,
  scenario: Scenario,
  rng: Rng,
  buyers: Int32Array,
  onPhaseEnd?: (phase: TurnPhase) => void,
): TurnReport {
  world.turn += 1;
  world.companyChanges.count = 0;
  world.companyChanges.operationsFrom = world.companyChanges.operationsTo = 0;
  world.offerChanges.count = 0;
  const shocks = applyTimeline(world, scenario, rng);
  advanceDemand(world, scenario, rng);
  advancePrices(world, scenario);
  onPhaseEnd?.('prices');
  world.offerSold.fill(0);
  const arrived = receiveOrders(world, scenario);
  const { backordersPlaced, backordersDropped } = world.totals;
  const served = serveBackorders(world, scenario);
  const buyerCount = selectBuyers(world, scenario, rng, buyers);
  const outcome = settlePurchases(world, scenario, rng, buyers, buyerCount);
  onPhaseEnd?.('purchases');
  const exiting: number[] = [];
  const trade = sellToHouseholds(world, scenario, exiting);
  switchCustomers(world, scenario, rng);
  const ordered = placeOrders(world, scenario);
  const population = exitAndEnter(world, scenario, rng, exiting, trade.profitCents);
  cancelExitedBackorders(world, population.exits, served);
  onPhaseEnd?.('market');
  const events = applyEvents(world, scenario, rng);
  onPhaseEnd?.('events');
  return Object.freeze({
    turn: world.turn,
    transactions: outcome.transactions,
    aggregates: outcome.aggregates,
    events,
    market: {
      timeMs: turnTimeMs(scenario, world.turn),
      demandIndex: world.demandIndex,
      householdCents: world.householdCents,
      householdDemandCents: trade.demandCents,
      revenueCents: trade.revenueCents,
      overheadCents: trade.overheadCents,
      dividendCents: trade.dividendCents,
      unitsConsumed: trade.units,
      unitsAsked: trade.unitsWanted,
      ordered,
      arrived,
      inTransit: world.inTransitTotal,
      shocksInForce: shocksInForce(world),
      activeCompanies: world.companies.length - world.vacant.length,
    },
    shocks,
    population,
    backorders: backorderReport(world, served, backordersPlaced, backordersDropped),
  });
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
  }

  get turn(): number {
    return this.#state.turn;
  }

  get scenario(): Scenario {
    return this.#scenario;
  }

  step(onPhaseEnd?: (phase: TurnPhase) => void): TurnReport {
    return playTurn(this.#state, this.#scenario, this.#rng, this.#buyers, onPhaseEnd);
  }

  addShock(shock: Shock): number {
    this.#withTimeline([...this.#scenario.timeline, Object.freeze({ ...shock })]);
    const flags = new Uint8Array(this.#scenario.timeline.length);
    flags.set(this.#state.shockInForce);
    this.#state.shockInForce = flags;
    this.#state.recalled.push([]);
    return flags.length - 1;
  }

  endShock(index: number): void {
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
  const problems = worldMismatch(state.world, scenario, from);
  if (problems.length > 0) throw new SimulationErrors.TRADESIM_ERR_CHECKPOINT_MISMATCH(problems.join('; '));
  const world = worldFromData(state.world, scenario.timeline.length);
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
