import type { ActiveAlert, AlertRule, TurnLoop, TurnSnapshot } from '../../services/index.js';
import { readFigureAt } from '../../services/index.js';
import type { TurnReport } from '../../simulation/index.js';
import { LIVE_CHARTS, LIVE_FIGURES } from './live-charts.js';
import { createRunHistory } from './run-history.js';

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
  readonly seed: number;
  readonly scenario: string;
  readonly turn: number;
  readonly turnsPerSecond: number;
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
}

/** The last RECENT_TURNS at full resolution, or the whole run at most RUN_POINTS points. */
export type LiveWindow = 'recent' | 'all';
export const RECENT_TURNS = 200;
export const RUN_POINTS = 1000;
/** Markers and transitions kept (the oldest go first). */
export const KEPT_MARKERS = 500;
export const KEPT_TRANSITIONS = 1000;
/** SSE events are at least this far apart (at most 10 a second when flat out). */
export const SSE_MIN_GAP_MS = 100;
/** A stream with this much unsent is skipped until it drains (a reader that does not read). */
export const SSE_BACKLOG_BYTES = 64 * 1024;
/** Without a turn, the header is sent again this often (state changes, keep-alive). */
const SSE_TICK_MS = 1_000;
const SSE_KEEPALIVE_MS = 15_000;

/** The part of a response stream the feed writes to. */
export interface SseStream {
  readonly writableLength: number;
  readonly destroyed: boolean;
  write(chunk: string): boolean;
}

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

/** Cents for figures of 1 or more, six significant digits below: what a chart shows, in short events. */
const short = (v: number) => (Math.abs(v) >= 1 ? Math.round(v * 100) / 100 : Number(v.toPrecision(6)));

const newerThan = <T extends { id: number }>(items: readonly T[], seen: number): T[] => {
  // Ids increase along the list: search from the end, where the new ones are.
  let from = items.length;
  while (from > 0 && items[from - 1]!.id > seen) from -= 1;
  return items.slice(from);
};

function markersOf(report: TurnReport, nextId: () => number): Marker[] {
  const out: Marker[] = [];
  for (const shock of report.shocks) {
    const label = `${shock.kind.replaceAll('_', ' ')} ${shock.phase === 'start' ? 'starts' : 'ends'}`;
    out.push({ id: nextId(), turn: report.turn, kind: 'shock', label });
  }
  for (const event of report.events) {
    const label = `${event.type.replaceAll('_', ' ')} (${event.targetCount})`;
    out.push({ id: nextId(), turn: report.turn, kind: 'event', label });
  }
  return out;
}

/** Creates the feed and subscribes it to the loop. */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const { loop } = options;
  const wallMs = options.wallMs ?? Date.now;
  const paths = LIVE_FIGURES.map((f) => f.split('.'));
  const runHistory = createRunHistory(LIVE_FIGURES, RUN_POINTS);
  const markers: Marker[] = [];
  const transitions: Transition[] = [];
  let lastId = 0;
  const nextId = () => (lastId += 1);
  // (wall ms, turn) at the ends of the last whole second or more of turns, for turns per second.
  let rateFrom = { ms: wallMs(), turn: 0 };
  let rateTo = rateFrom;

  const keep = <T>(list: T[], items: readonly T[], max: number) => {
    list.push(...items);
    if (list.length > max) list.splice(0, list.length - max);
  };

  const streams = new Map<SseStream, { markerSeen: number; transitionSeen: number; turnSeen: number }>();
  let timer: NodeJS.Timeout | undefined;
  let lastSentMs = 0;
  let lastSentKey = '';

  const detachLoop = loop.subscribe((snapshot: TurnSnapshot, report: TurnReport) => {
    runHistory.record(snapshot);
    // The snapshot carries the wall time it was published at: no clock read per turn.
    if (snapshot.publishedAtMs - rateTo.ms >= 1_000) {
      rateFrom = rateTo;
      rateTo = { ms: snapshot.publishedAtMs, turn: snapshot.turn };
    }
    if (report.shocks.length > 0 || report.events.length > 0) {
      keep(markers, markersOf(report, nextId), KEPT_MARKERS);
    }
    const changed = snapshot.alerts.transitions;
    if (changed.length > 0) {
      keep(
        transitions,
        changed.map((e) => ({
          id: nextId(),
          turn: e.turn,
          rule: e.rule,
          severity: e.severity,
          from: e.from,
          to: e.to,
        })),
        KEPT_TRANSITIONS,
      );
    }
    if (streams.size > 0) schedule();
  });

  const header = (): LiveHeader => {
    // The rate over the last whole second of turns; none once turns stop for two seconds.
    const seconds = (rateTo.ms - rateFrom.ms) / 1000;
    const recent = wallMs() - rateTo.ms <= 2_000;
    const turnsPerSecond = recent && seconds > 0 ? Math.round((rateTo.turn - rateFrom.turn) / seconds) : 0;
    return {
      runId: loop.runId,
      seed: loop.seed,
      scenario: loop.config.scenario.name,
      turn: loop.latest()?.turn ?? 0,
      turnsPerSecond,
      state: options.state(),
      intervalMs: loop.intervalMs,
      controls: options.controls,
    };
  };

  const point = (latest: TurnSnapshot | undefined) =>
    latest ? { turn: latest.turn, values: paths.map((p) => short(readFigureAt(latest, p) ?? Number.NaN)) } : null;

  const NO_POINTS = { turns: [], values: [] };
  const pointsSince = (turnSeen: number, latest: TurnSnapshot | undefined): LiveUpdate['points'] => {
    const count = Math.min((latest?.turn ?? 0) - turnSeen, RECENT_TURNS);
    if (count <= 0) return NO_POINTS;
    return {
      turns: Array.from(loop.history(LIVE_FIGURES[0]!, count).turns),
      values: LIVE_FIGURES.map((f) => Array.from(loop.history(f, count).values, short)),
    };
  };

  const update = (markerSeen: number, transitionSeen: number, turnSeen = Number.MAX_SAFE_INTEGER): LiveUpdate => {
    const latest = loop.latest();
    return {
      header: header(),
      point: point(latest),
      points: pointsSince(turnSeen, latest),
      active: latest?.alerts.active ?? [],
      markers: newerThan(markers, markerSeen),
      transitions: newerThan(transitions, transitionSeen),
    };
  };

  /** Writes the update to every stream that keeps up: built once per distinct position. */
  const flush = () => {
    timer = undefined;
    lastSentMs = wallMs();
    const bodies = new Map<string, string>();
    const latestTurn = loop.latest()?.turn ?? 0;
    for (const [stream, seen] of streams) {
      if (stream.destroyed || stream.writableLength > SSE_BACKLOG_BYTES) continue;
      const key = `${seen.markerSeen}/${seen.transitionSeen}/${seen.turnSeen}`;
      let body = bodies.get(key);
      if (body === undefined) {
        const data = JSON.stringify(update(seen.markerSeen, seen.transitionSeen, seen.turnSeen));
        body = `id: ${latestTurn}\nevent: turn\ndata: ${data}\n\n`;
        bodies.set(key, body);
      }
      stream.write(body);
      seen.markerSeen = lastId;
      seen.transitionSeen = lastId;
      seen.turnSeen = latestTurn;
    }
    lastSentKey = `${latestTurn}/${options.state()}/${loop.intervalMs}`;
  };

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(flush, Math.max(0, lastSentMs + SSE_MIN_GAP_MS - wallMs()));
  }

  // Without turns (paused, finished, stalled) the header still changes: sent when it does,
  // and a comment now and then keeps idle connections open through proxies.
  let lastKeepAliveMs = wallMs();
  const ticker = setInterval(() => {
    if (streams.size === 0) return;
    const key = `${loop.latest()?.turn ?? 0}/${options.state()}/${loop.intervalMs}`;
    if (key !== lastSentKey) schedule();
    else if (wallMs() - lastKeepAliveMs >= SSE_KEEPALIVE_MS) {
      lastKeepAliveMs = wallMs();
      for (const stream of streams.keys()) if (!stream.destroyed) stream.write(': keep-alive\n\n');
    }
  }, SSE_TICK_MS);
  ticker.unref();

  const view = (window: LiveWindow): LiveView => {
    const latest = loop.latest();
    let turns: number[] = [];
    let values: number[][] = LIVE_FIGURES.map(() => []);
    let stride = 1;
    if (latest && window === 'recent') {
      turns = Array.from(loop.history(LIVE_FIGURES[0]!, RECENT_TURNS).turns);
      values = LIVE_FIGURES.map((f) => Array.from(loop.history(f, RECENT_TURNS).values));
    } else if (latest) {
      ({ turns, values, stride } = runHistory.points());
    }
    return {
      ...update(0, 0),
      charts: LIVE_CHARTS,
      figures: LIVE_FIGURES,
      window,
      turns,
      values,
      stride,
      rules: loop.alertRules,
    };
  };

  return {
    view,
    update,
    attach(stream, markerSeen, transitionSeen, turnSeen = loop.latest()?.turn ?? 0) {
      streams.set(stream, { markerSeen, transitionSeen, turnSeen });
      schedule();
      return () => {
        streams.delete(stream);
      };
    },
    poke: () => schedule(),
    get streams() {
      return streams.size;
    },
    get backlogBytes() {
      let bytes = 0;
      for (const stream of streams.keys()) bytes += stream.writableLength;
      return bytes;
    },
    close() {
      detachLoop();
      clearInterval(ticker);
      if (timer) clearTimeout(timer);
      streams.clear();
    },
  };
}
