import { type AlertRule, compare, type Severity } from './alert-rules.js';

/** Where a rule stands. `resolved` lasts until its condition holds again. */
export type AlertState = 'inactive' | 'pending' | 'firing' | 'resolved';

/** One state change of one rule. */
export interface AlertEvent {
  readonly rule: string;
  readonly severity: Severity;
  readonly from: AlertState;
  readonly to: AlertState;
  readonly turn: number;
  readonly value: number;
  readonly threshold: number;
}

/** A rule whose condition holds now (pending or firing). */
export interface ActiveAlert {
  readonly rule: string;
  readonly figure: string;
  readonly severity: Severity;
  readonly state: 'pending' | 'firing';
  /** Turn the condition started to hold. */
  readonly activeSince: number;
  /** Turn it fired, or null while pending. */
  readonly firingSince: number | null;
  readonly value: number;
  readonly threshold: number;
  readonly description: string;
}

/** What one evaluation produced. */
export interface AlertEvaluation {
  readonly events: readonly AlertEvent[];
  readonly active: readonly ActiveAlert[];
}

/** Evaluates every rule once per turn and keeps each rule's state. */
export interface AlertEngine {
  readonly rules: readonly AlertRule[];
  /** `valueOf` returns NaN for a value that is absent this turn: the rule's state does not change. */
  evaluate(turn: number, valueOf: (rule: AlertRule) => number): AlertEvaluation;
  /** Current state of every rule by name. */
  states(): Readonly<Record<string, AlertState>>;
  /** Every rule's state machine by name, for a checkpoint. */
  saveState(): Record<string, RuleState>;
  /** Takes back saveState's result; rules it does not name (a fork's new rules) start inactive. */
  loadState(state: Readonly<Record<string, RuleState>>): void;
}

/** Where one rule's state machine stands. */
export interface RuleState {
  state: AlertState;
  /** Consecutive turns the fire condition held (until the rule fires). */
  held: number;
  /** Consecutive turns a firing rule's clear condition held. */
  cleared: number;
  activeSince: number;
  firingSince: number | null;
}

/** Moves one rule's state on by a turn whose value is `value` (see createAlertEngine). */
function step(rule: AlertRule, s: RuleState, value: number, turn: number): void {
  // NaN is an absent value (nothing to measure, a window not yet full): no change of state.
  if (Number.isNaN(value)) return;
  const fires = compare(value, rule.op, rule.threshold);
  if (s.state === 'firing') {
    const clears = rule.clear ? compare(value, rule.clear.op, rule.clear.threshold) : !fires;
    s.cleared = clears ? s.cleared + 1 : 0;
    if (s.cleared > rule.keepFiringFor) {
      s.state = 'resolved';
      s.held = 0;
      s.cleared = 0;
      s.firingSince = null;
    }
  } else if (fires) {
    s.held += 1;
    if (s.held === 1) s.activeSince = turn;
    if (s.held >= rule.for) {
      s.state = 'firing';
      s.firingSince = turn;
      s.cleared = 0;
    } else if (s.state === 'inactive' || s.state === 'resolved') {
      s.state = 'pending';
    }
  } else {
    s.held = 0;
    if (s.state === 'pending') s.state = 'inactive';
  }
}

/**
 * Creates the state machine: a rule whose condition holds goes pending, and firing once it
 * has held for `for` consecutive turns (at once when `for` is 1); when the condition stops,
 * a pending rule goes back to inactive (so a flapping condition never fires). A firing rule
 * resolves once its clear condition (its `clear`, else the fire condition not holding) has
 * held for `keepFiringFor` + 1 consecutive turns. Each change is an AlertEvent.
 */
export function createAlertEngine(rules: readonly AlertRule[]): AlertEngine {
  // One state per rule, in rule order: evaluation walks both arrays side by side.
  const ruleStates: RuleState[] = rules.map(() => ({
    state: 'inactive',
    held: 0,
    cleared: 0,
    activeSince: 0,
    firingSince: null,
  }));
  const noEvents: readonly AlertEvent[] = Object.freeze([]);
  const noActive: readonly ActiveAlert[] = Object.freeze([]);
  return {
    rules,
    evaluate(turn, valueOf) {
      // Most turns change nothing and nothing holds: share empty lists rather than make two.
      let events = noEvents as AlertEvent[];
      let active = noActive as ActiveAlert[];
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r]!;
        const s = ruleStates[r]!;
        const value = valueOf(rule);
        const from = s.state;
        step(rule, s, value, turn);
        if (s.state !== from) {
          if (events === noEvents) events = [];
          events.push({
            rule: rule.name,
            severity: rule.severity,
            from,
            to: s.state,
            turn,
            value,
            threshold: rule.threshold,
          });
        }
        if (s.state === 'pending' || s.state === 'firing') {
          if (active === noActive) active = [];
          active.push({
            rule: rule.name,
            figure: rule.figure,
            severity: rule.severity,
            state: s.state,
            activeSince: s.activeSince,
            firingSince: s.firingSince,
            value,
            threshold: rule.threshold,
            description: rule.description,
          });
        }
      }
      return { events, active };
    },
    states: () => Object.fromEntries(rules.map((rule, r) => [rule.name, ruleStates[r]!.state])),
    saveState: () => Object.fromEntries(rules.map((rule, r) => [rule.name, { ...ruleStates[r]! }])),
    loadState(state) {
      rules.forEach((rule, r) => {
        const saved = state[rule.name];
        // A checkpoint written before hysteresis has no `cleared`: none counted yet.
        if (saved) ruleStates[r] = { ...saved, cleared: (saved as Partial<RuleState>).cleared ?? 0 };
      });
    },
  };
}
