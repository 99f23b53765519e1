/*
 * Whether a decoded checkpoint's loop state has the shape the services save, before they
 * take it back: each service's history (names, turns, columns of equal lengths), its own
 * carried state shaped as a fresh service's, the alert rules' state machines, and a recent
 * alert-event list no longer than the loop keeps.
 */

import { Value } from '@sinclair/typebox/value';
import { type Shock, ShockSchema, shockProblems } from '../simulation/index.js';
import { LIVE_SHOCKS_MAX } from './live-shocks.js';
import { schemaProblemText } from './schema-problem.js';

/** The most places a timeline has: the scenario's (the timeline schema's bound) and the live ones. */
const MAX_TIMELINE = 1_000 + LIVE_SHOCKS_MAX;
const ALERT_STATES = new Set(['inactive', 'pending', 'firing', 'resolved']);
/** Nesting followed when comparing a service's own state with a fresh one's. */
const MAX_DEPTH = 6;

const kindOf = (value: unknown): string => {
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
};
/** A plain object of a saved state (not null, an array or a typed array). */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
const isWhole = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Why `saved` is not shaped as `fresh` (a service's own state as a new service saves it):
 * same kinds, finite numbers where fresh has them; null in fresh takes null or a number.
 */
function sameShape(saved: unknown, fresh: unknown, path: string, depth = 0): string | undefined {
  if (fresh === undefined || depth > MAX_DEPTH) return undefined;
  if (fresh === null)
    return saved === null || typeof saved === 'number' ? undefined : `${path}: expected null or a number`;
  if (typeof fresh === 'number') {
    if (typeof saved !== 'number') return `${path}: expected a number, got ${kindOf(saved)}`;
    return Number.isFinite(fresh) && !Number.isFinite(saved) ? `${path}: expected a finite number` : undefined;
  }
  if (kindOf(saved) !== kindOf(fresh)) return `${path}: expected ${kindOf(fresh)}, got ${kindOf(saved)}`;
  if (Array.isArray(fresh) && fresh.length > 0) {
    for (let i = 0; i < (saved as unknown[]).length; i++) {
      const problem = sameShape((saved as unknown[])[i], fresh[0], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
  }
  if (isRecord(fresh)) {
    for (const [key, inner] of Object.entries(fresh)) {
      const problem = sameShape((saved as Record<string, unknown>)[key], inner, `${path}.${key}`, depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}

function historyProblem(name: string, state: unknown, fresh: unknown, turn: number): string | undefined {
  const at = `loop.services.${name}`;
  if (!isRecord(state)) return `${at}: expected an object`;
  const { names, turns, columns } = state;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return `${at}.names: expected strings`;
  if (!(turns instanceof Float64Array)) return `${at}.turns: expected Float64Array`;
  for (const t of turns) if (!isWhole(t) || t > turn) return `${at}.turns: ${t} is not a turn up to ${turn}`;
  if (!Array.isArray(columns) || columns.length !== names.length) return `${at}.columns: expected one per name`;
  const bad = columns.findIndex((c) => !(c instanceof Float64Array) || c.length !== turns.length);
  if (bad >= 0) return `${at}.columns[${bad}]: expected Float64Array of ${turns.length}`;
  return sameShape(state.own, isRecord(fresh) ? fresh.own : undefined, `${at}.own`);
}

/**
 * Why `saved` cannot be the loop part of a checkpoint of turn `turn` for a loop whose fresh
 * checkpoint is `fresh` (empty when it can). At most a few problems are listed.
 */
export function loopCheckpointProblems(
  saved: unknown,
  fresh: { readonly services: Readonly<Record<string, unknown>> },
  turn: number,
  maxRecentEvents: number,
): string[] {
  if (!isRecord(saved)) return ['loop: expected an object'];
  const { services, alerts, recentAlertEvents } = saved;
  if (!isRecord(services)) return ['loop.services: expected an object'];
  if (!isRecord(alerts)) return ['loop.alerts: expected an object'];
  if (!Array.isArray(recentAlertEvents)) return ['loop.recentAlertEvents: expected an array'];
  const problems: string[] = [];
  for (const [name, state] of Object.entries(services)) {
    const problem = historyProblem(name, state, fresh.services[name], turn);
    if (problem) problems.push(problem);
  }
  for (const [rule, state] of Object.entries(alerts)) {
    const ok =
      isRecord(state) &&
      ALERT_STATES.has(state.state as string) &&
      isWhole(state.held) &&
      Number.isFinite(state.activeSince) &&
      // A firing rule fired at a turn; any other has none or kept the last (resolved).
      (state.state === 'firing'
        ? Number.isFinite(state.firingSince)
        : state.firingSince === null || Number.isFinite(state.firingSince));
    if (!ok) problems.push(`loop.alerts.${rule}: expected a rule state`);
  }
  if (recentAlertEvents.length > maxRecentEvents) {
    problems.push(`loop.recentAlertEvents: ${recentAlertEvents.length} events, at most ${maxRecentEvents} are kept`);
  } else {
    const bad = recentAlertEvents.findIndex(
      (e) =>
        !isRecord(e) ||
        typeof e.rule !== 'string' ||
        !ALERT_STATES.has(e.from as string) ||
        !ALERT_STATES.has(e.to as string) ||
        !isWhole(e.turn) ||
        e.turn > turn,
    );
    if (bad >= 0) problems.push(`loop.recentAlertEvents[${bad}]: expected an alert event up to turn ${turn}`);
  }
  const live = liveShocksProblem(saved.liveShocks);
  if (live) problems.push(live);
  return problems.slice(0, 5);
}

/**
 * Why a checkpoint's record of live shocks cannot be replayed (not an array, a record not a
 * start or a stop, a place past the timeline's bound), or undefined.
 */
export function liveShocksProblem(records: unknown): string | undefined {
  if (records === undefined) return undefined;
  if (!Array.isArray(records) || records.length > 2 * MAX_TIMELINE)
    return 'loop.liveShocks: expected a record of shocks';
  const bad = records.findIndex((r) => liveShockRecordProblem(r) !== undefined);
  return bad >= 0 ? `loop.liveShocks[${bad}]: expected a shock's start or stop` : undefined;
}

/**
 * Why `r` is not a live shock's start (a shock the timeline's schema takes, at its own turn:
 * one still to come is pending) or stop (taken, or replayed and still to come), at a place
 * within the timeline's bound; undefined when it is one. Whether a stop fits its shock is
 * liveStopsProblem's.
 */
export function liveShockRecordProblem(r: unknown): string | undefined {
  if (!isRecord(r)) return 'expected a record';
  if (!isWhole(r.turn)) return 'turn: expected a whole number';
  if (!isWhole(r.index) || r.index >= MAX_TIMELINE)
    return `place in the timeline: expected a whole number below ${MAX_TIMELINE}`;
  if (r.action === 'stop') return undefined;
  if (r.action !== 'start') return 'expected a start or a stop';
  const error = Value.Errors(ShockSchema, r.shock).First();
  if (error) return `${error.path.slice(1).replace(/^shock$/, 'type') || 'shock'}: ${schemaProblemText(error)}`;
  if (r.turn !== (r.shock as Shock).at) return "turn: expected the shock's own start turn";
  return shockProblems(r.shock as Shock, 'shock')[0];
}
