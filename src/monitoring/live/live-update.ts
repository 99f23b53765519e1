import type { ActiveAlert } from '../../services/index.js';

/** A mark on the charts: a timeline shock starting or ending, or a market event applied. */
export interface Marker {
  readonly id: number;
  readonly turn: number;
  readonly kind: 'shock' | 'event';
  readonly label: string;
}

/** An alert rule changing state, numbered for the page to ask for what it has not seen. */
export interface Transition {
  readonly id: number;
  readonly turn: number;
  readonly rule: string;
  readonly severity: string;
  readonly from: string;
  readonly to: string;
}

/** The run's state as the page's header shows it. */
export interface LiveHeader {
  readonly runId: string;
  /** This serving process's own id: a page that sees it change reloads (a resumed run keeps its run id). */
  readonly process: string;
  readonly seed: number;
  readonly scenario: string;
  readonly turn: number;
  /** Over the last whole second of turns; null before one was seen, 0 once turns stopped for two seconds. */
  readonly turnsPerSecond: number | null;
  /** running, paused, finished, stalled, starting, stopping or failing (as /health says). */
  readonly state: string;
  readonly intervalMs: number;
  readonly controls: boolean;
}

/** What the page gets at each published turn (an SSE event, or a poll's answer). */
export interface LiveUpdate {
  readonly header: LiveHeader;
  /** The newest turn's figures, in LIVE_FIGURES order (null before the first turn). */
  readonly point: { readonly turn: number; readonly values: readonly number[] } | null;
  /**
   * Every turn after the one the reader has (at most RECENT_TURNS of them), one column per
   * figure: at any speed the recent window is drawn turn by turn.
   */
  readonly points: { readonly turns: readonly number[]; readonly values: readonly (readonly number[])[] };
  readonly active: readonly ActiveAlert[];
  /** Markers and transitions after the ids the reader has seen. */
  readonly markers: readonly Marker[];
  readonly transitions: readonly Transition[];
}
