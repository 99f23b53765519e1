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
  evaluate(turn: number, valueOf: (rule: AlertRule) => number): AlertEvaluation;
  /** Current state of every rule by name. */
  states(): Readonly<Record<string, AlertState>>;
}

interface RuleState {
  state: AlertState;
  held: number;
  activeSince: number;
  firingSince: number | null;
}

/**
 * Creates the state machine: a rule whose condition holds goes pending, and firing once it
 * has held for `for` consecutive turns (at once when `for` is 1); when the condition stops,
 * a pending rule goes back to inactive (so a flapping condition never fires) and a firing
 * one is resolved. Each change is an AlertEvent.
 */
export function createAlertEngine(rules: readonly AlertRule[]): AlertEngine {
  const states = new Map<string, RuleState>(
    rules.map((r) => [r.name, { state: 'inactive', held: 0, activeSince: 0, firingSince: null }]),
  );
  return {
    rules,
    evaluate(turn, valueOf) {
      const events: AlertEvent[] = [];
      const active: ActiveAlert[] = [];
      for (const rule of rules) {
        const s = states.get(rule.name)!;
        const value = valueOf(rule);
        const holds = compare(value, rule.op, rule.threshold);
        const move = (to: AlertState) => {
          events.push({
            rule: rule.name,
            severity: rule.severity,
            from: s.state,
            to,
            turn,
            value,
            threshold: rule.threshold,
          });
          s.state = to;
        };
        if (holds) {
          s.held += 1;
          if (s.held === 1) s.activeSince = turn;
          if (s.state !== 'firing' && s.held >= rule.for) {
            move('firing');
            s.firingSince = turn;
          } else if (s.state === 'inactive' || s.state === 'resolved') {
            move('pending');
          }
        } else {
          s.held = 0;
          s.firingSince = null;
          if (s.state === 'pending') move('inactive');
          else if (s.state === 'firing') move('resolved');
        }
        if (s.state === 'pending' || s.state === 'firing') {
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
    states: () => Object.fromEntries([...states].map(([name, s]) => [name, s.state])),
  };
}
