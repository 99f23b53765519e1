import type { AlertEvent } from './alert-engine.js';
import type { Severity } from './alert-rules.js';

/** One firing of one rule: the turn it fired and the turn it resolved (null while it fires). */
export interface FiringRecord {
  readonly rule: string;
  readonly severity: Severity;
  readonly fired: number;
  readonly resolved: number | null;
}

/** The firings a reader asked for, with how many older ones the bound dropped. */
export interface FiringList {
  readonly firings: readonly FiringRecord[];
  /** Firings dropped since the start to keep the newest `capacity`. */
  readonly dropped: number;
  readonly capacity: number;
}

/** A checkpoint's part of the history: structured-clonable. */
export interface FiringHistoryState {
  readonly firings: readonly FiringRecord[];
  readonly dropped: number;
}

/**
 * Every firing of the run, oldest first. Invariant: it holds the newest `capacity` firings,
 * and `dropped` counts those it let go, so kept + dropped is every firing since the start.
 */
export interface FiringHistory {
  /** Follows one turn's transitions. */
  observe(events: readonly AlertEvent[]): void;
  /** The firings active at or after `since` (fired or resolved then, or still firing); all without it. */
  list(since?: number): FiringList;
  saveState(): FiringHistoryState;
  loadState(state: FiringHistoryState): void;
}

interface OpenRecord {
  rule: string;
  severity: Severity;
  fired: number;
  resolved: number | null;
}

/** Creates the history, keeping at most `capacity` firings. */
export function createFiringHistory(capacity: number): FiringHistory {
  let records: OpenRecord[] = [];
  // Where the kept records start: dropping moves it instead of shifting the array each time.
  let start = 0;
  let dropped = 0;
  const open = new Map<string, OpenRecord>();

  const compact = () => {
    if (start > capacity) {
      records = records.slice(start);
      start = 0;
    }
  };

  return {
    observe(events) {
      for (const e of events) {
        if (e.to === 'firing') {
          const record: OpenRecord = { rule: e.rule, severity: e.severity, fired: e.turn, resolved: null };
          records.push(record);
          open.set(e.rule, record);
          if (records.length - start > capacity) {
            start += 1;
            dropped += 1;
            compact();
          }
        } else if (e.from === 'firing') {
          const record = open.get(e.rule);
          if (record) record.resolved = e.turn;
          open.delete(e.rule);
        }
      }
    },
    list(since) {
      const firings: FiringRecord[] = [];
      for (let i = start; i < records.length; i++) {
        const r = records[i]!;
        if (since === undefined || r.fired >= since || r.resolved === null || r.resolved >= since) {
          firings.push({ rule: r.rule, severity: r.severity, fired: r.fired, resolved: r.resolved });
        }
      }
      return { firings, dropped, capacity };
    },
    saveState: () => ({ firings: records.slice(start).map((r) => ({ ...r })), dropped }),
    loadState(state) {
      records = state.firings.map((r) => ({ ...r }));
      start = Math.max(0, records.length - capacity);
      dropped = state.dropped + start;
      open.clear();
      for (const r of records.slice(start)) if (r.resolved === null) open.set(r.rule, r);
    },
  };
}
