import type { Severity, TurnSnapshot } from '../services/index.js';

/** One firing of one in-process rule, as Prometheus receives it. */
export interface Firing {
  readonly rule: string;
  readonly severity: Severity;
  /** Turn it fired: with the rule, what tells this firing from the rule's others. */
  readonly firedTurn: number;
  /** Wall-clock ms at which it was resolved, or null while it still fires. */
  resolvedAtMs: number | null;
}

/**
 * The in-process firings a scrape must carry: every one still firing, and every one
 * resolved less than `holdMs` ago, so that a firing shorter than a scrape interval still
 * reaches Prometheus. Each firing is its own series (rule + fired turn), so Prometheus
 * sees it exactly once, however many fire and resolve between two scrapes.
 */
export interface FiringLog {
  /** Follows one published turn's transitions. */
  observe(snapshot: TurnSnapshot): void;
  /** The firings to export at `nowMs`, oldest first; forgets those held long enough. */
  current(nowMs: number): readonly Firing[];
  /**
   * How long from `nowMs` the firings are still to be exported, counting one still firing as
   * resolved now (the run is over: nothing evaluates it any more); 0 when none is.
   */
  heldForMs(nowMs: number): number;
  /** Resolved firings forgotten before their hold ended (over `maxHeldPerRule`), by rule. */
  readonly dropped: ReadonlyMap<string, number>;
  /**
   * Takes the firings a resumed run was in when it was saved, before its first turn: they
   * fired before this process, so no transition of its turns opens them.
   */
  resume(firing: readonly { readonly rule: string; readonly severity: Severity; readonly fired: number }[]): void;
}

/**
 * Creates the log for the run's rules. At most `maxHeldPerRule` resolved firings of one rule are held (a rule
 * flapping at thousands of turns per second would otherwise make thousands of series);
 * the oldest beyond are dropped and counted. The transitions counter keeps the exact count.
 */
export function createFiringLog(holdMs: number, rules: readonly string[], maxHeldPerRule = 20): FiringLog {
  const firings: Firing[] = [];
  const open = new Map<string, Firing>();
  const heldByRule = new Map<string, number>();
  // Every rule's count from the start, zero included, so rate() sees its first drop.
  const dropped = new Map<string, number>(rules.map((rule) => [rule, 0]));

  const dropOldestResolved = (rule: string) => {
    const i = firings.findIndex((f) => f.rule === rule && f.resolvedAtMs !== null);
    firings.splice(i, 1);
    heldByRule.set(rule, heldByRule.get(rule)! - 1);
    dropped.set(rule, (dropped.get(rule) ?? 0) + 1);
  };

  return {
    observe(snapshot) {
      for (const e of snapshot.alerts.transitions) {
        if (e.to === 'firing') {
          const firing: Firing = { rule: e.rule, severity: e.severity, firedTurn: e.turn, resolvedAtMs: null };
          firings.push(firing);
          open.set(e.rule, firing);
        } else if (e.from === 'firing') {
          const firing = open.get(e.rule);
          if (!firing) continue;
          open.delete(e.rule);
          firing.resolvedAtMs = snapshot.publishedAtMs;
          const held = (heldByRule.get(e.rule) ?? 0) + 1;
          heldByRule.set(e.rule, held);
          if (held > maxHeldPerRule) dropOldestResolved(e.rule);
        }
      }
    },
    current(nowMs) {
      let kept = 0;
      for (const f of firings) {
        if (f.resolvedAtMs !== null && nowMs - f.resolvedAtMs >= holdMs) {
          heldByRule.set(f.rule, heldByRule.get(f.rule)! - 1);
        } else {
          firings[kept++] = f;
        }
      }
      firings.length = kept;
      return firings;
    },
    heldForMs(nowMs) {
      let longest = 0;
      for (const f of firings) longest = Math.max(longest, (f.resolvedAtMs ?? nowMs) + holdMs - nowMs);
      return longest;
    },
    dropped,
    resume(firing) {
      for (const f of firing) {
        const resumed: Firing = { rule: f.rule, severity: f.severity, firedTurn: f.fired, resolvedAtMs: null };
        firings.push(resumed);
        open.set(f.rule, resumed);
      }
    },
  };
}
