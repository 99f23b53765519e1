import { randomUUID } from 'node:crypto';
import type { AlertRule, TurnLoop, TurnSnapshot } from '../../services/index.js';
import { figureCatalogue, readFigureAt } from '../../services/index.js';
import { type TurnReport, TradeSimError } from '../../simulation/index.js';
import { LIVE_CHARTS, LIVE_FIGURES } from './live-charts.js';
import { LiveRecord } from './live-record.js';
import type { LiveHeader, LiveUpdate } from './live-update.js';
import { createRunHistory } from './run-history.js';
import { type SseStream, SseStreams } from './sse-streams.js';

export { KEPT_MARKERS, KEPT_TRANSITIONS } from './live-record.js';
export type { LiveHeader, LiveUpdate, Marker, Transition } from './live-update.js';
export { SSE_BACKLOG_BYTES, SSE_MIN_GAP_MS, type SseStream } from './sse-streams.js';

/** What the page loads first: the charts' definitions and data over a window, and all it keeps. */
export interface LiveView extends LiveUpdate {
  readonly charts: typeof LIVE_CHARTS;
  readonly figures: readonly string[];
  readonly window: LiveWindow;
  readonly turns: readonly number[];
  /** One column per figure of `figures`. */
  readonly values: readonly (readonly number[])[];
  /** Every `stride`-th turn is drawn (1 for the last turns). */
  readonly stride: number;
  readonly rules: readonly AlertRule[];
  /** The scenario's calendar, for an axis of simulated time: turn T starts at startSeconds + (T - 1) x turnMinutes x 60. */
  readonly calendar: { readonly startSeconds: number; readonly turnMinutes: number };
}

/** The last RECENT_TURNS at full resolution, or the whole run at most RUN_POINTS points. */
export type LiveWindow = 'recent' | 'all';
export const RECENT_TURNS = 200;
export const RUN_POINTS = 1000;

/** The figures, markers and alerts of the live page, and its SSE streams. */
export interface LiveFeed {
  view(window: LiveWindow): LiveView;
  /**
   * The update for a reader that has seen markers up to `markerSeen`, transitions up to
   * `transitionSeen` and turns up to `turnSeen`.
   */
  update(markerSeen: number, transitionSeen: number, turnSeen?: number): LiveUpdate;
  /**
   * Sends updates to a stream from now on, starting with the markers, transitions and turns
   * after those its reader has; returns its detach.
   */
  attach(stream: SseStream, markerSeen: number, transitionSeen: number, turnSeen?: number): () => void;
  /** Sends the header now (after a control changed the loop's state). */
  poke(): void;
  readonly streams: number;
  /** Bytes written to the streams and not yet sent, all together. */
  readonly backlogBytes: number;
  close(): void;
}

/** What the feed reads besides the loop. */
export interface LiveFeedOptions {
  readonly loop: TurnLoop;
  /** The run's state, as /health gives it. */
  readonly state: () => string;
  readonly controls: boolean;
  readonly wallMs?: () => number;
}

/** This process's id in the live header. */
const PROCESS_ID = randomUUID();

/** Cents for figures of 1 or more, six significant digits below: what a chart shows, in short events. */
const short = (v: number) => (Math.abs(v) >= 1 ? Math.round(v * 100) / 100 : Number(v.toPrecision(6)));

/**
 * A figure's last `count` turns in history; none before its service recorded a turn (a resumed
 * run's performance service, which a checkpoint does not restore).
 */
function historyOf(loop: TurnLoop, figure: string, count: number): { turns: Float64Array; values: Float64Array } {
  try {
    return loop.history(figure, count);
  } catch (error) {
    // Only a figure no turn has recorded yet; a name not in the catalogue is a mistake to show.
    const notYet = error instanceof TradeSimError && error.code === 'TRADESIM_ERR_FIGURE_UNKNOWN';
    if (!notYet || !figureCatalogue().has(figure)) throw error;
    return { turns: new Float64Array(0), values: new Float64Array(0) };
  }
}

/**
 * The last `count` turns' values of every live figure, each at its own turn: the turns are the
 * first figure's, and a figure whose history is shorter (the performance service's, not
 * restored from a checkpoint) is absent (NaN, null in JSON) where it holds no value.
 */
function recentColumns(loop: TurnLoop, count: number, value: (v: number) => number = (v) => v) {
  const first = historyOf(loop, LIVE_FIGURES[0]!, count);
  const turns = Array.from(first.turns);
  const at = new Map(turns.map((turn, i) => [turn, i]));
  const values = LIVE_FIGURES.map((figure, f) => {
    const column = turns.map(() => Number.NaN);
    const history = f === 0 ? first : historyOf(loop, figure, count);
    history.turns.forEach((turn, i) => {
      const index = at.get(turn);
      if (index !== undefined) column[index] = value(history.values[i]!);
    });
    return column;
  });
  return { turns, values };
}

/** The page's first load over `window`: the charts, their data, and the update from the start. */
function viewOf(
  window: LiveWindow,
  loop: TurnLoop,
  runHistory: ReturnType<typeof createRunHistory>,
  fromStart: LiveUpdate,
): LiveView {
  const latest = loop.latest();
  let turns: number[] = [];
  let values: number[][] = LIVE_FIGURES.map(() => []);
  let stride = 1;
  if (latest && window === 'recent') {
    ({ turns, values } = recentColumns(loop, RECENT_TURNS));
  } else if (latest) {
    ({ turns, values, stride } = runHistory.points());
  }
  return {
    ...fromStart,
    charts: LIVE_CHARTS,
    figures: LIVE_FIGURES,
    window,
    turns,
    values,
    stride,
    rules: loop.alertRules,
    calendar: {
      startSeconds: Date.parse(loop.config.scenario.calendar.start) / 1000,
      turnMinutes: loop.config.scenario.calendar.turnMinutes,
    },
  };
}

/** The whole run's points, a resumed run's starting with the turns its services kept, not at the resume. */
function keptRunHistory(loop: TurnLoop): ReturnType<typeof createRunHistory> {
  const runHistory = createRunHistory(LIVE_FIGURES, RUN_POINTS);
  const kept = recentColumns(loop, loop.config.services.historyTurns);
  kept.turns.forEach((turn, i) =>
    runHistory.recordValues(
      turn,
      kept.values.map((column) => column[i]!),
    ),
  );
  return runHistory;
}

/** Creates the feed and subscribes it to the loop. */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const { loop } = options;
  const wallMs = options.wallMs ?? Date.now;
  const paths = LIVE_FIGURES.map((f) => f.split('.'));
  const runHistory = keptRunHistory(loop);
  const record = new LiveRecord();
  const detachLoop = loop.subscribe((snapshot: TurnSnapshot, report: TurnReport) => {
    runHistory.record(snapshot);
    record.observe(snapshot, report);
    if (streams.size > 0) streams.schedule();
  });

  const header = (): LiveHeader => ({
    runId: loop.runId,
    process: PROCESS_ID,
    seed: loop.seed,
    scenario: loop.config.scenario.name,
    turn: loop.latest()?.turn ?? 0,
    turnsPerSecond: record.turnsPerSecond(wallMs()),
    state: options.state(),
    intervalMs: loop.intervalMs,
    controls: options.controls,
  });

  const point = (latest: TurnSnapshot | undefined) =>
    latest ? { turn: latest.turn, values: paths.map((p) => short(readFigureAt(latest, p) ?? Number.NaN)) } : null;

  const NO_POINTS = { turns: [], values: [] };
  const pointsSince = (turnSeen: number, latest: TurnSnapshot | undefined): LiveUpdate['points'] => {
    const count = Math.min((latest?.turn ?? 0) - turnSeen, RECENT_TURNS);
    if (count <= 0) return NO_POINTS;
    return recentColumns(loop, count, short);
  };

  const update = (markerSeen: number, transitionSeen: number, turnSeen = Number.MAX_SAFE_INTEGER): LiveUpdate => {
    const latest = loop.latest();
    return {
      header: header(),
      point: point(latest),
      points: pointsSince(turnSeen, latest),
      active: latest?.alerts.active ?? [],
      markers: record.markersAfter(markerSeen),
      transitions: record.transitionsAfter(transitionSeen),
    };
  };

  const streams = new SseStreams({
    update,
    latestTurn: () => loop.latest()?.turn ?? 0,
    lastId: () => record.lastId,
    // The rate too: it falls to 0 two seconds after turns stop (a pause, the end), with no turn to carry it.
    headerKey: () =>
      `${loop.latest()?.turn ?? 0}/${options.state()}/${loop.intervalMs}/${record.turnsPerSecond(wallMs())}`,
    wallMs,
  });

  return {
    view: (window) => viewOf(window, loop, runHistory, update(0, 0)),
    update,
    attach: (stream, markerSeen, transitionSeen, turnSeen = loop.latest()?.turn ?? 0) =>
      streams.attach(stream, { markerSeen, transitionSeen, turnSeen }),
    poke: () => streams.schedule(),
    get streams() {
      return streams.size;
    },
    get backlogBytes() {
      return streams.backlogBytes;
    },
    close() {
      detachLoop();
      streams.close();
    },
  };
}
