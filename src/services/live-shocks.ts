import { Value } from '@sinclair/typebox/value';
import { type Shock, ShockSchema, shockProblems, type Scenario, type Simulation } from '../simulation/index.js';
import { ServicesErrors } from './errors.js';
import { schemaProblemText } from './schema-problem.js';

/** The most shocks a run takes live (as many as a scenario's timeline holds). */
export const LIVE_SHOCKS_MAX = 1_000;

/**
 * One live change to the timeline, as recorded in the event log and in checkpoints: `turn` is
 * the turn it takes effect (a start's `at`, the turn a stopped shock ends), `index` the shock's
 * place in the timeline. A start carries the shock.
 */
export interface LiveShockRecord {
  readonly turn: number;
  readonly action: 'start' | 'stop';
  readonly index: number;
  readonly shock?: Shock;
}

/** A shock of the timeline as listed: where it comes from and whether it is in force. */
export interface ShockListing {
  readonly index: number;
  readonly source: 'scenario' | 'live';
  readonly state: 'pending' | 'in force';
  /** The last turn it is in force. */
  readonly until: number;
  readonly shock: Shock;
}

/**
 * The timeline's live side: shocks started and stopped while the run goes on, applied between
 * turns only and recorded by turn, so a replay of the record plays the same market.
 */
export interface LiveShocks {
  /** Validates a shock (the timeline's fields; `at` a turn or `"+N"`, by default the next turn) and adds it. */
  start(request: Readonly<Record<string, unknown>>): LiveShockRecord;
  /** Ends a shock in force (scenario or live) at the next turn. */
  stop(index: number): LiveShockRecord;
  /** The shocks in force or still to come, oldest first. */
  list(): ShockListing[];
  /** Every live change so far, in the order applied. */
  record(): readonly LiveShockRecord[];
  /**
   * What a checkpoint keeps: the record, then the replayed stops still to come, by turn (a
   * resumed run's timeline ends those shocks where this run's will: see timelineWith).
   */
  saved(): readonly LiveShockRecord[];
  /** The live source of a timeline shock, or undefined for one of the scenario's. */
  liveShock(index: number): Shock | undefined;
  /**
   * Plays a recorded session back: its shocks are added now, in timeline order, and its stops
   * are applied before the turns they took effect. Throws TRADESIM_ERR_SHOCK_INVALID when the
   * record does not fit this run (another timeline, or turns already played).
   */
  replay(records: readonly LiveShockRecord[]): void;
  /** Applies the replayed stops due at the next turn; the loop calls it between turns. */
  beforeTurn(): void;
}

/** A shock that never starts: fills a place whose shock the record never saw start. */
const NEVER: Shock = Object.freeze({ at: 1_000_000_000, shock: 'demand_surge', turns: 1, severity: 0, percent: 30 });

/** The timeline a record leaves: the scenario's, its live shocks appended, its stops applied. */
export function timelineWith(base: readonly Shock[], records: readonly LiveShockRecord[]): Shock[] {
  const timeline = [...base];
  const starts = records.filter((r) => r.action === 'start' && r.shock).sort((a, b) => a.index - b.index);
  for (const r of starts) {
    while (timeline.length < r.index) timeline.push(NEVER);
    if (r.index === timeline.length) timeline.push(r.shock!);
  }
  for (const r of records) {
    const shock = timeline[r.index];
    if (r.action === 'stop' && shock) timeline[r.index] = { ...shock, turns: r.turn - shock.at };
  }
  return timeline;
}

/** Why a stop could not have been taken by stop(): it ends a shock in force the turn before it, once. */
function stopProblem(timeline: readonly Shock[], r: LiveShockRecord, stopped: Set<number>): string | undefined {
  const shock = timeline[r.index];
  const before = r.turn - 1;
  if (!shock || shock.at > before || shock.at + shock.turns <= before || stopped.has(r.index))
    return `shock ${r.index} stopped at turn ${r.turn}, when it was not in force`;
  stopped.add(r.index);
  return undefined;
}

/**
 * Why the stops of a live record do not fit the timeline its starts leave on `base` (a
 * checkpoint edited by hand: a stop at an empty place, or before its shock starts), or undefined.
 */
export function liveStopsProblem(base: readonly Shock[], records: readonly LiveShockRecord[]): string | undefined {
  const timeline = timelineWith(
    base,
    records.filter((r) => r.action === 'start'),
  );
  const stopped = new Set<number>();
  for (const r of records) {
    const problem = r.action === 'stop' ? stopProblem(timeline, r, stopped) : undefined;
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A replayed stop a checkpoint holds that had not ended its shock by the checkpoint's `turn`
 * (LiveShocks.saved): it ends it after turn `stop.turn - 1`, and the checkpoint was written
 * after `turn`. Its shock's turns stay whole until then, as in the run that wrote it (a shock's
 * start reads them: an inflation's hold).
 */
const stopToCome = (r: LiveShockRecord, turn: number): boolean => r.action === 'stop' && r.turn - 1 > turn;

/**
 * The scenario a checkpoint's live record left (for a resumed run's simulation): its live
 * shocks appended, the stops taken by its `turn` applied.
 */
export function scenarioWithLiveShocks(
  scenario: Scenario,
  records: readonly LiveShockRecord[] | undefined,
  turn: number,
): Scenario {
  if (!records || records.length === 0) return scenario;
  const taken = records.filter((r) => !stopToCome(r, turn));
  return Object.freeze({ ...scenario, timeline: timelineWith(scenario.timeline, taken) });
}

/**
 * A shock request checked against the timeline's schema, with its defaults; `at` is a turn,
 * `"+N"` (N turns after this one) or absent (the next turn).
 */
function parseShock(request: Readonly<Record<string, unknown>>, turn: number): Shock {
  const at = request.at;
  const relative = typeof at === 'string' && /^\+\d{1,9}$/.test(at) ? turn + Number(at.slice(1)) : at;
  // Left out, the next turn; null is no turn (the schema says so).
  const raw = { ...request, at: at === undefined ? turn + 1 : relative };
  const value = Value.Default(ShockSchema, structuredClone(raw)) as Shock;
  // Each once: a missing kind is both a required key and a union TypeBox reports apart.
  const problems = [
    ...new Set(
      [...Value.Errors(ShockSchema, value)].map((e) => `${e.path.slice(1) || 'shock'}: ${schemaProblemText(e)}`),
    ),
  ];
  if (problems.length === 0) problems.push(...shockProblems(value, 'shock'));
  if (problems.length === 0 && value.at <= turn) problems.push(`at: ${value.at} is not after the current turn ${turn}`);
  if (problems.length > 0) throw new ServicesErrors.TRADESIM_ERR_SHOCK_INVALID(problems);
  return Object.freeze(value);
}

/**
 * Why `shock` cannot be stopped after `turn` (stop() ends it at the next turn), or undefined:
 * none there, not started, ended, or ending at the next turn already (stopped twice in one
 * turn, or in force for this turn only).
 */
function whyNotStoppable(shock: Shock | undefined, turn: number): string | undefined {
  if (!shock) return 'no such shock in the timeline';
  if (shock.at > turn) return `starts at turn ${shock.at}, after this one`;
  if (shock.at + shock.turns <= turn) return `ended at turn ${shock.at + shock.turns}`;
  if (shock.at + shock.turns === turn + 1) return `ends at turn ${turn + 1} already`;
  return undefined;
}

/** The replayed stops still queued (by the turn after which they apply), as records, by turn. */
function stopsToCome(due: ReadonlyMap<number, readonly number[]>): LiveShockRecord[] {
  return [...due]
    .sort(([a], [b]) => a - b)
    .flatMap(([after, indices]) =>
      indices.map((index) => Object.freeze({ turn: after + 1, action: 'stop' as const, index })),
    );
}

/**
 * A replayed stop of shock `index` still to come (queued in `due`, or kept in `records` by the
 * checkpoint the run resumed from: after `next`) gives way to a stop taken now: one shock ends once.
 */
function dropStopsToCome(
  index: number,
  run: { readonly due: Map<number, number[]>; readonly records: LiveShockRecord[]; readonly next: number },
): void {
  for (const [after, indices] of run.due) {
    const left = indices.filter((i) => i !== index);
    if (left.length === 0) run.due.delete(after);
    else run.due.set(after, left);
  }
  const kept = run.records.filter((r) => r.action !== 'stop' || r.index !== index || r.turn <= run.next);
  run.records.splice(0, run.records.length, ...kept);
}

/**
 * The live shocks of a simulation. `restored` is the record of the checkpoint the simulation
 * was restored from (its timeline already holds them: see scenarioWithLiveShocks).
 */
export function createLiveShocks(simulation: Simulation, restored: readonly LiveShockRecord[] = []): LiveShocks {
  const records: LiveShockRecord[] = restored.filter((r) => !stopToCome(r, simulation.turn));
  const live = new Set(restored.filter((r) => r.action === 'start').map((r) => r.index));
  // Replayed stops by the turn after which they apply: a checkpoint's still to come, queued again.
  const due = new Map<number, number[]>();
  for (const r of restored.filter((r) => stopToCome(r, simulation.turn))) {
    due.set(r.turn - 1, [...(due.get(r.turn - 1) ?? []), r.index]);
  }

  const add = (shock: Shock): LiveShockRecord => {
    if (live.size >= LIVE_SHOCKS_MAX) throw new ServicesErrors.TRADESIM_ERR_SHOCK_LIMIT(LIVE_SHOCKS_MAX);
    const index = simulation.addShock(shock);
    live.add(index);
    const record = Object.freeze({ turn: shock.at, action: 'start' as const, index, shock });
    records.push(record);
    return record;
  };
  const end = (index: number): LiveShockRecord => {
    simulation.endShock(index);
    const record = Object.freeze({ turn: simulation.turn + 1, action: 'stop' as const, index });
    records.push(record);
    return record;
  };

  return {
    start: (request) => add(parseShock(request, simulation.turn)),
    stop(index) {
      const notStoppable = whyNotStoppable(simulation.scenario.timeline[index], simulation.turn);
      if (notStoppable) throw new ServicesErrors.TRADESIM_ERR_SHOCK_NOT_IN_FORCE(index, notStoppable);
      dropStopsToCome(index, { due, records, next: simulation.turn + 1 });
      return end(index);
    },
    list() {
      const turn = simulation.turn;
      const out: ShockListing[] = [];
      simulation.scenario.timeline.forEach((shock, index) => {
        const until = shock.at + shock.turns - 1;
        if (until < turn || shock.at >= NEVER.at) return;
        const source = live.has(index) ? 'live' : 'scenario';
        out.push({ index, source, state: shock.at <= turn ? 'in force' : 'pending', until, shock });
      });
      return out;
    },
    record: () => records,
    saved: () => [...records, ...stopsToCome(due)],
    liveShock: (index) => (live.has(index) ? simulation.scenario.timeline[index] : undefined),
    replay(recorded) {
      const turn = simulation.turn;
      const problem = (why: string) => new ServicesErrors.TRADESIM_ERR_SHOCK_INVALID([`replay: ${why}`]);
      const starts = recorded.filter((r) => r.action === 'start' && r.shock).sort((a, b) => a.index - b.index);
      for (const r of starts) {
        if (r.index < simulation.scenario.timeline.length) {
          throw problem(`shock ${r.index} is already in this run's timeline (another scenario, or replayed twice?)`);
        }
        if (r.shock!.at <= turn) throw problem(`shock ${r.index} starts at turn ${r.shock!.at}, already played`);
        while (simulation.scenario.timeline.length < r.index) simulation.addShock(NEVER);
        add(r.shock!);
      }
      const stopped = new Set<number>();
      for (const r of recorded) {
        if (r.action !== 'stop') continue;
        if (r.turn <= turn) throw problem(`shock ${r.index} stopped at turn ${r.turn}, already played`);
        const notInForce = stopProblem(simulation.scenario.timeline, r, stopped);
        if (notInForce) throw problem(notInForce);
        due.set(r.turn - 1, [...(due.get(r.turn - 1) ?? []), r.index]);
      }
    },
    beforeTurn() {
      if (due.size === 0) return;
      const stops = due.get(simulation.turn);
      if (!stops) return;
      due.delete(simulation.turn);
      // A shock ended since (stopped live) is not ended again.
      for (const index of stops) {
        if (whyNotStoppable(simulation.scenario.timeline[index], simulation.turn) === undefined) end(index);
      }
    },
  };
}
