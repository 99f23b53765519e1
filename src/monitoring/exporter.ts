import Negotiator from 'negotiator';
import { type AlertEvent, runRules, type TurnLoop, type TurnSnapshot } from '../services/index.js';
import { createFiringLog, type Firing, type FiringLog } from './alert-firings.js';
import type { JsonlStats } from './jsonl/jsonl-writer.js';
import { writeExposition } from './metrics/exposition-writer.js';
import { createMetricRegistries, type ExpositionFormat } from './metrics/registry.js';
import type { ScrapeSource } from './metrics/readers.js';
import type { SystemSample } from './system-sampler.js';

/** A rendered scrape. */
export interface Exposition {
  readonly contentType: string;
  readonly body: string;
  /** The turn every business figure of this scrape comes from (undefined before the first). */
  readonly turn: number | undefined;
}

/** The Prometheus side of a run: both exposition formats, fed from the turn loop. */
export interface Exporter {
  /**
   * Renders a scrape in the format the Accept header asks for; `head` for an answer that
   * carries no sample (a HEAD), which does not count a firing as exported at 0.
   */
  render(accept?: string, head?: boolean): Promise<Exposition>;
  /** Pushes an HTTP request's RED figures into both registries. */
  recordRequest(method: string, route: string, status: number, seconds: number): void;
  /** Counts a request starting (+1) or ending (-1). */
  trackInFlight(delta: 1 | -1): void;
  /** The run is over: its firings still open are resolved, all settled within `withinMs` (see FiringLog.end). */
  endFirings(withinMs: number): void;
  /**
   * How long from now the run's firings are still exported (held, then settling; with
   * `settling` false, held): what its end waits out.
   */
  heldForMs(settling?: boolean): number;
  /** True once /metrics answered a GET: something scrapes the run. */
  scraped(): boolean;
  /** True while some firing has not yet been exported at 0 (see FiringLog.unsettled). */
  firingsUnsettled(): boolean;
  /**
   * The scrape pace (ms): the longest of the last few intervals between answers of /metrics
   * (a curl between two scrapes does not shorten it), or undefined before two answers.
   */
  scrapeIntervalMs(): number | undefined;
  /**
   * Resolves true at the next answer of /metrics rendered after the call (a scrape already
   * rendered when it is made carries the state before), or false after `maxMs`.
   */
  nextScrape(maxMs: number): Promise<boolean>;
  /** Stops listening to the turn loop. */
  detach(): void;
}

/** What the exporter reads besides the turn loop. */
export interface ExporterOptions {
  readonly loop: TurnLoop;
  /**
   * Series per per-entity family: the top `seriesBudget - 1` of the entities the services
   * list (never more than they list), then __other__. The exporter's own limit: the
   * services' top lists are sized by the scenario's `services` section alone.
   */
  readonly seriesBudget: number;
  readonly jsonl?: () => JsonlStats | undefined;
  readonly system?: () => SystemSample | undefined;
  /** Failures the run went on through, by output (jsonl, events, checkpoint, push). */
  readonly outputErrors?: () => Readonly<Record<string, number>>;
  /** Seconds the run waited for its log files to catch up, by output (jsonl, events). */
  readonly outputWaits?: () => Readonly<Record<string, number>>;
  /** How long a resolved in-process firing stays exported, ms (default 15 s). */
  readonly alertHoldMs?: number;
}

/**
 * The formats /metrics serves, with the versions Prometheus names in its Accept header: a
 * range with parameters only matches an offer with the same parameters.
 */
const OFFERED_TYPES = [
  'text/plain',
  'text/plain;version=0.0.4',
  'application/openmetrics-text;version=1.0.0',
  'application/openmetrics-text;version=0.0.1',
  'application/openmetrics-text',
];

/**
 * True when the Accept header prefers OpenMetrics over the Prometheus text format, by its
 * q-values (jshttp's negotiator); text when it accepts neither.
 */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  const chosen = new Negotiator({ headers: accept === undefined ? {} : { accept } }).mediaType(OFFERED_TYPES);
  return chosen?.startsWith('application/openmetrics-text') ?? false;
}

/** Creates the exporter and subscribes it to the loop. */
export function createExporter(options: ExporterOptions): Exporter {
  const { loop, seriesBudget } = options;
  const alertTransitions = new Map<string, { rule: string; state: string; count: number }>();
  const firingLog = firingLogOf(loop, options.alertHoldMs ?? 15_000);
  const scrapes = createScrapeWatch();
  const phaseSeconds: Record<string, number> = { prices: 0, purchases: 0, market: 0, events: 0, services: 0 };
  // Set for the length of one scrape: every collect() of that scrape reads this snapshot.
  let pinned: TurnSnapshot | undefined;
  // The firings to export, taken once per scrape (every reader of the scrape sees them).
  let firings: readonly Firing[] = [];

  const source = (): ScrapeSource => ({
    snapshot: pinned ?? loop.latest(),
    seriesBudget,
    alertTransitions,
    phaseSeconds,
    firings,
    firingsDropped: firingLog.dropped,
    jsonl: options.jsonl?.(),
    system: options.system?.(),
    outputErrors: options.outputErrors?.(),
    outputWaits: options.outputWaits?.(),
  });
  // The durations of the turns in the services' history, oldest first (none before the first turn).
  const turnWindow = () =>
    loop.latest()
      ? loop.history('performance.turnSeconds', loop.config.services.historyTurns).values
      : new Float64Array(0);
  const { registries, http, observeTurn } = createMetricRegistries(source, turnWindow);

  const detach = loop.subscribe((snapshot, report) => {
    for (const e of snapshot.alerts.transitions) countTransition(alertTransitions, e);
    if (snapshot.alerts.transitions.length > 0) firingLog.observe(snapshot);
    const phases = snapshot.performance.phaseSeconds;
    phaseSeconds.prices! += phases.prices;
    phaseSeconds.purchases! += phases.purchases;
    phaseSeconds.market! += phases.market;
    phaseSeconds.events! += phases.events;
    phaseSeconds.services! += phases.services;
    observeTurn(snapshot, report);
  });

  return {
    async render(accept, head = false) {
      if (!head) scrapes.rendered();
      const format: ExpositionFormat = wantsOpenMetrics(accept) ? 'openmetrics' : 'prometheus';
      const registry = registries[format];
      pinned = loop.latest();
      firings = firingLog.current(Date.now(), !head);
      try {
        // OpenMetrics wants a `# UNIT` line for each family named for its unit (prom-client writes none).
        const body = await writeExposition(registry, { units: format === 'openmetrics' });
        return { contentType: registry.contentType, body, turn: pinned?.turn };
      } finally {
        pinned = undefined;
      }
    },
    recordRequest(method, route, status, seconds) {
      // A GET answered: a HEAD (a probe) carries no sample.
      if (route === '/metrics' && method === 'GET' && status < 300) scrapes.answered();
      http.record(method, route, status, seconds);
    },
    trackInFlight(delta) {
      http.trackInFlight(delta);
    },
    endFirings: (withinMs) => firingLog.end(Date.now(), withinMs),
    heldForMs: (settling) => firingLog.heldForMs(Date.now(), settling),
    scraped: () => scrapes.seen(),
    firingsUnsettled: () => firingLog.unsettled(),
    scrapeIntervalMs: () => scrapes.intervalMs(),
    nextScrape: (maxMs) => scrapes.next(maxMs),
    detach,
  };
}

/**
 * The run's firing log, with the firings a resumed run's checkpoint holds open: exported from
 * its first scrape, but those of a rule a fork's scenario dropped (nothing would resolve them).
 */
function firingLogOf(loop: TurnLoop, holdMs: number): FiringLog {
  const rules = runRules(loop.config).map((r) => r.name);
  const firingLog = createFiringLog(holdMs, rules);
  const open = loop.alertFirings().firings.filter((f) => f.resolved === null && rules.includes(f.rule));
  firingLog.resume(open, Date.now());
  return firingLog;
}

/** Counts one alert transition by rule and the state entered. */
function countTransition(counts: Map<string, { rule: string; state: string; count: number }>, e: AlertEvent): void {
  const key = `${e.rule}\u0000${e.to}`;
  const entry = counts.get(key) ?? { rule: e.rule, state: e.to, count: 0 };
  entry.count += 1;
  counts.set(key, entry);
}

/** Intervals between scrapes kept for the pace. */
const PACE_INTERVALS = 4;

/**
 * The answers of /metrics (GETs: something scrapes the run; a push is not a scrape): whether
 * any came, their pace (the longest of the last few intervals: a curl between two scrapes does
 * not shorten it), and a wait for the next answer rendered after the wait began.
 */
function createScrapeWatch() {
  let lastMs = Number.NaN;
  let renders = 0;
  const intervalsMs: number[] = [];
  const waiting: { readonly after: number; readonly wake: () => void }[] = [];
  return {
    seen: () => !Number.isNaN(lastMs),
    intervalMs: () => (intervalsMs.length > 0 ? Math.max(...intervalsMs) : undefined),
    /** A GET's render begins. */
    rendered() {
      renders += 1;
    },
    /** A GET was answered: its time, the interval since the one before, and the waiters it ends. */
    answered() {
      const now = Date.now();
      if (!Number.isNaN(lastMs)) intervalsMs.push(now - lastMs);
      if (intervalsMs.length > PACE_INTERVALS) intervalsMs.shift();
      lastMs = now;
      // Answers can come out of render order (gzip is asynchronous): an answer wakes a waiter
      // once a render has begun since it waited, which that answer or one about to follow carries.
      if (waiting.length === 0) return;
      for (const waiter of waiting.filter((w) => renders > w.after)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.wake();
      }
    },
    next: (maxMs: number) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), maxMs);
        const wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
        waiting.push({ after: renders, wake });
      }),
  };
}
