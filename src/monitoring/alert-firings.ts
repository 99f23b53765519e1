import type { Severity, TurnSnapshot } from '../services/index.js';

/** One firing of one in-process rule, as Prometheus receives it. */
export interface Firing {
  readonly rule: string;
  readonly severity: Severity;
  /** Turn it fired: with the rule, what tells this firing from the rule's others. */
  readonly firedTurn: number;
  /** Wall-clock ms it was first exported from (its turn's publication, or a resumed run's start). */
  readonly openedAtMs: number;
  /** Wall-clock ms until which it reads 1, or null while it still fires. */
  heldUntilMs: number | null;
  /** Its value as of the last `current`: 1 while it fires or is held, then 0 while it settles. */
  value: 0 | 1;
  /** Whether `current` has returned it at 0 once: only then may it be forgotten. */
  settledOnce: boolean;
}

/**
 * The in-process firings a scrape must carry, each its own series (rule + fired turn), so
 * Prometheus sees it exactly once, however many fire and resolve between two scrapes:
 * - at 1 while it fires and for `holdMs` after it resolves, so a firing shorter than a
 *   scrape interval still reaches Prometheus;
 * - then at 0 for another `holdMs` (and at least one `current`), so Prometheus stores a real
 *   resolution as a 0 and tells it from a failed scrape, after which the last stored value is
 *   still 1 (the business rules forward `last_over_time(...) == 1`).
 */
export interface FiringLog {
  /** Follows one published turn's transitions. */
  observe(snapshot: TurnSnapshot): void;
  /**
   * The firings to export at `nowMs`, oldest first, with their values; forgets those held
   * and settled long enough. With `served` false (an answer that carries no sample, a HEAD),
   * none counts as exported at 0.
   */
  current(nowMs: number, served?: boolean): readonly Firing[];
  /** True while some firing has not yet been exported at 0 (open, held, or settling unseen). */
  unsettled(): boolean;
  /**
   * The run is over at `nowMs`: nothing will evaluate the firings still open, so each is
   * resolved, held at 1 until it has been exported `holdMs` (a firing of the last turn is
   * scraped once) and at least until now, then settles at 0. Every firing's hold is cut so
   * that it settles within `withinMs` with time to be scraped at 0 (half of it, or a hold);
   * `withinMs` 0 settles every one now.
   */
  end(nowMs: number, withinMs: number): void;
  /**
   * How long from `nowMs` the firings are still to be exported: held, then settling; with
   * `settling` false, only until the last hold ends.
   */
  heldForMs(nowMs: number, settling?: boolean): number;
  /** Resolved firings forgotten before they settled (over `maxHeldPerRule`), by rule. */
  readonly dropped: ReadonlyMap<string, number>;
  /**
   * Takes the firings a resumed run was in when it was saved, before its first turn (at
   * `nowMs`): they fired before this process, so no transition of its turns opens them.
   */
  resume(
    firing: readonly { readonly rule: string; readonly severity: Severity; readonly fired: number }[],
    nowMs: number,
  ): void;
}

/**
 * Creates the log for the run's rules. At most `maxHeldPerRule` resolved firings of one rule
 * are kept (a rule flapping at thousands of turns per second would otherwise make thousands
 * of series); beyond, the oldest one already exported at 0 is dropped, else the oldest
 * resolved one (its alert then stays in Prometheus for the rules' lookback), and counted.
 * The transitions counter keeps the exact count.
 */
export function createFiringLog(holdMs: number, rules: readonly string[], maxHeldPerRule = 20): FiringLog {
  const firings: Firing[] = [];
  const open = new Map<string, Firing>();
  const heldByRule = new Map<string, number>();
  // Every rule's count from the start, zero included, so rate() sees its first drop.
  const dropped = new Map<string, number>(rules.map((rule) => [rule, 0]));

  const opened = (rule: string, severity: Severity, firedTurn: number, openedAtMs: number): Firing => {
    const firing: Firing = { rule, severity, firedTurn, openedAtMs, heldUntilMs: null, value: 1, settledOnce: false };
    firings.push(firing);
    open.set(rule, firing);
    return firing;
  };
  const dropOldestResolved = (rule: string) => {
    const settled = firings.findIndex((f) => f.rule === rule && f.settledOnce);
    const i = settled >= 0 ? settled : firings.findIndex((f) => f.rule === rule && f.heldUntilMs !== null);
    firings.splice(i, 1);
    heldByRule.set(rule, heldByRule.get(rule)! - 1);
    dropped.set(rule, (dropped.get(rule) ?? 0) + 1);
  };
  const resolve = (firing: Firing, heldUntilMs: number) => {
    open.delete(firing.rule);
    firing.heldUntilMs = heldUntilMs;
    const held = (heldByRule.get(firing.rule) ?? 0) + 1;
    heldByRule.set(firing.rule, held);
    if (held > maxHeldPerRule) dropOldestResolved(firing.rule);
  };

  return {
    observe(snapshot) {
      for (const e of snapshot.alerts.transitions) {
        if (e.to === 'firing') opened(e.rule, e.severity, e.turn, snapshot.publishedAtMs);
        else if (e.from === 'firing') {
          const firing = open.get(e.rule);
          if (firing) resolve(firing, snapshot.publishedAtMs + holdMs);
        }
      }
    },
    current(nowMs, served = true) {
      let kept = 0;
      for (const f of firings) {
        if (f.heldUntilMs !== null && nowMs >= f.heldUntilMs + holdMs && f.settledOnce) {
          heldByRule.set(f.rule, heldByRule.get(f.rule)! - 1);
          continue;
        }
        f.value = f.heldUntilMs === null || nowMs < f.heldUntilMs ? 1 : 0;
        if (f.value === 0 && served) f.settledOnce = true;
        firings[kept++] = f;
      }
      firings.length = kept;
      return firings;
    },
    unsettled: () => firings.some((f) => !f.settledOnce),
    end(nowMs, withinMs) {
      for (const f of [...open.values()]) resolve(f, Math.max(f.openedAtMs + holdMs, nowMs));
      const latest = nowMs + withinMs - Math.min(holdMs, withinMs / 2);
      for (const f of firings) f.heldUntilMs = Math.min(f.heldUntilMs!, latest);
    },
    heldForMs(nowMs, settling = true) {
      let longest = 0;
      for (const f of firings) {
        const heldUntil = f.heldUntilMs ?? Math.max(f.openedAtMs + holdMs, nowMs);
        longest = Math.max(longest, heldUntil + (settling ? holdMs : 0) - nowMs);
      }
      return longest;
    },
    dropped,
    resume(firing, nowMs) {
      for (const f of firing) opened(f.rule, f.severity, f.fired, nowMs);
    },
  };
}
