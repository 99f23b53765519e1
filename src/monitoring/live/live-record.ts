import type { TurnSnapshot } from '../../services/index.js';
import type { TurnReport } from '../../simulation/index.js';
import type { Marker, Transition } from './live-update.js';

/** Markers of each kind (shocks, events) and transitions kept (the oldest go first). */
export const KEPT_MARKERS = 500;
export const KEPT_TRANSITIONS = 1000;

const keep = <T>(list: T[], items: readonly T[], max: number) => {
  list.push(...items);
  if (list.length > max) list.splice(0, list.length - max);
};

const newerThan = <T extends { id: number }>(items: readonly T[], seen: number): T[] => {
  // Ids increase along the list: search from the end, where the new ones are.
  let from = items.length;
  while (from > 0 && items[from - 1]!.id > seen) from -= 1;
  return items.slice(from);
};

/**
 * What the live page marks on its charts, kept from the published turns: shocks and events
 * (markers), alert transitions, and the turn rate. Invariant: ids increase with each item,
 * across markers and transitions, so a reader asks for what is after the last id it has.
 */
export class LiveRecord {
  // Shocks and events kept apart: frequent events would push the rare shocks out of one list.
  private readonly shockMarkers: Marker[] = [];
  private readonly eventMarkers: Marker[] = [];
  private readonly transitions: Transition[] = [];
  /** The newest id given. */
  lastId = 0;
  // (wall ms, turn) at the ends of the last whole second or more of turns, for turns per second.
  // Undefined until the first turn: a resumed run's counts from its own first turn, not turn 0.
  private rateFrom: { readonly ms: number; readonly turn: number } | undefined;
  private rateTo: { readonly ms: number; readonly turn: number } | undefined;

  /** Records a published turn. */
  observe(snapshot: TurnSnapshot, report: TurnReport): void {
    // The snapshot carries the wall time it was published at: no clock read per turn.
    if (this.rateTo === undefined) {
      this.rateFrom = this.rateTo = { ms: snapshot.publishedAtMs, turn: snapshot.turn };
    } else if (snapshot.publishedAtMs - this.rateTo.ms >= 1_000) {
      this.rateFrom = this.rateTo;
      this.rateTo = { ms: snapshot.publishedAtMs, turn: snapshot.turn };
    }
    if (report.shocks.length > 0 || report.events.length > 0) {
      const [shocks, events] = this.markersOf(report);
      keep(this.shockMarkers, shocks, KEPT_MARKERS);
      keep(this.eventMarkers, events, KEPT_MARKERS);
    }
    const changed = snapshot.alerts.transitions;
    if (changed.length > 0) {
      keep(
        this.transitions,
        changed.map((e) => ({
          id: this.nextId(),
          turn: e.turn,
          rule: e.rule,
          severity: e.severity,
          from: e.from,
          to: e.to,
        })),
        KEPT_TRANSITIONS,
      );
    }
  }

  /**
   * The rate over the last whole second of turns; 0 once turns stop for two seconds; null
   * before a whole second of turns has been seen (nothing measured yet).
   */
  turnsPerSecond(nowMs: number): number | null {
    const { rateFrom: from, rateTo: to } = this;
    if (nowMs - (to?.ms ?? nowMs) > 2_000) return 0;
    if (!from || !to || to.ms <= from.ms) return null;
    return Math.round((to.turn - from.turn) / ((to.ms - from.ms) / 1000));
  }

  /** The shocks' and events' markers after `seen`, by id (the order they were made in). */
  markersAfter(seen: number): Marker[] {
    return [...newerThan(this.shockMarkers, seen), ...newerThan(this.eventMarkers, seen)].sort((a, b) => a.id - b.id);
  }

  transitionsAfter(seen: number): Transition[] {
    return newerThan(this.transitions, seen);
  }

  private nextId(): number {
    return (this.lastId += 1);
  }

  /** A turn's markers: its shocks', then its events'. */
  private markersOf(report: TurnReport): [Marker[], Marker[]] {
    const shocks = report.shocks.map((shock): Marker => {
      const label = `${shock.kind.replaceAll('_', ' ')} ${shock.phase === 'start' ? 'starts' : 'ends'}`;
      return { id: this.nextId(), turn: report.turn, kind: 'shock', label };
    });
    const events = report.events.map((event): Marker => {
      const label = `${event.type.replaceAll('_', ' ')} (${event.targetCount})`;
      return { id: this.nextId(), turn: report.turn, kind: 'event', label };
    });
    return [shocks, events];
  }
}
