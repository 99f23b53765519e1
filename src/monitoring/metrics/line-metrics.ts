import type { AlertEvent, AlertState, TurnSnapshot } from '../../services/index.js';
import { createFiringLog } from '../alert-firings.js';
import type { SystemSample } from '../system-sampler.js';
import { METRICS, type MetricDefinition } from './catalogue.js';
import { createMetricRegistries } from './registry.js';

/** The members of a JSONL snapshot line that the metrics are read from (see line-shape.ts). */
export interface SnapshotLineInput {
  readonly run: string;
  readonly seed: number;
  readonly turn: number;
  readonly business: Readonly<Record<string, unknown>> & { readonly scenario?: unknown };
  readonly alerts?: readonly { readonly rule: string; readonly severity: string; readonly state: string }[];
  readonly system?: {
    readonly performance?: Readonly<Record<string, unknown>>;
    readonly process?: { readonly cpu: number; readonly rssBytes: number; readonly heapUsedBytes: number };
    readonly machine?: { readonly cpu: number; readonly memoryUsedBytes: number; readonly memoryTotalBytes: number };
  };
}

/** One sample of one series: its name (a histogram's `_bucket`, a counter's `_total`), labels and value. */
export interface LineSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Renders JSONL lines, in turn order, as the exporter's own metric families. */
export interface LineMetrics {
  /** The families rendered, in catalogue order (only these are ever in a line's samples). */
  readonly families: readonly MetricDefinition[];
  /** The samples of one line, as a scrape right after its turn at `atMs` would give them. */
  read(line: SnapshotLineInput, atMs: number): Promise<readonly LineSample[]>;
}

/**
 * Families a line cannot give: the JSONL writer's errors, busy time, rotations and reopens (the file being read
 * says nothing of them; its lines written are the lines read so far), the HTTP families (no server), and the histograms of each
 * purchase (a line holds the turn's totals, not the purchases).
 */
export const NOT_FROM_LINES: ReadonlySet<string> = new Set([
  'tradesim_jsonl_write_errors_total',
  'tradesim_jsonl_write_seconds_total',
  'tradesim_jsonl_rotations_total',
  'tradesim_jsonl_reopens_total',
  'tradesim_output_errors_total',
  'tradesim_output_wait_seconds_total',
  'tradesim_transaction_amount',
  'tradesim_transaction_quantity_units',
]);

/** Turns kept for the turn-duration summary's quantiles, the services' default history. */
const WINDOW_TURNS = 200;

/** What the registry holds of a metric: its name and its values at a scrape. */
interface RegisteredMetric {
  readonly name: string;
  get(): Promise<{
    readonly name: string;
    readonly values: readonly {
      readonly metricName?: string;
      readonly labels: Readonly<Record<string, string | number>>;
      readonly value: number;
    }[];
  }>;
}

type RuleState = { readonly state: AlertState; readonly severity: string };

/**
 * The line's alert changes since the line before, as the engine's transitions: a rule that
 * appears goes pending or firing, a pending one that goes away is inactive again, a firing
 * one resolved (see alert-engine.ts).
 */
function transitionsOf(line: SnapshotLineInput, states: Map<string, RuleState>): AlertEvent[] {
  const events: AlertEvent[] = [];
  const seen = new Set<string>();
  const change = (rule: string, severity: string, from: AlertState, to: AlertState) => {
    if (from === to) return;
    events.push({
      rule,
      severity: severity as AlertEvent['severity'],
      from,
      to,
      turn: line.turn,
      value: 0,
      threshold: 0,
    });
    states.set(rule, { state: to, severity });
  };
  for (const a of line.alerts ?? []) {
    seen.add(a.rule);
    const before = states.get(a.rule)?.state ?? 'inactive';
    change(a.rule, a.severity, before, a.state === 'firing' ? 'firing' : 'pending');
  }
  for (const [rule, { state, severity }] of states) {
    if (seen.has(rule)) continue;
    if (state === 'firing') change(rule, severity, state, 'resolved');
    else if (state === 'pending') change(rule, severity, state, 'inactive');
  }
  return events;
}

/** The line's system sample, when the line carries one. */
function systemOf(line: SnapshotLineInput, atMs: number): SystemSample | undefined {
  const p = line.system?.process;
  const m = line.system?.machine;
  if (!p || !m) return undefined;
  return {
    processCpu: p.cpu,
    machineCpu: m.cpu,
    processRssBytes: p.rssBytes,
    processHeapUsedBytes: p.heapUsedBytes,
    processHeapTotalBytes: Number.NaN,
    machineMemoryUsedBytes: m.memoryUsedBytes,
    machineMemoryTotalBytes: m.memoryTotalBytes,
    sampledAtMs: atMs,
  };
}

/**
 * The snapshot a line stands for: the readers read it by path, and the line holds the
 * services' figures under the same names.
 */
/**
 * A line's figures as the services hold them: a `null` the line wrote for an absent figure
 * (NaN) is NaN again, so a reader leaves it out as on /metrics, not read as 0 by arithmetic.
 */
function figuresOf(value: unknown): unknown {
  if (value === null) return Number.NaN;
  if (Array.isArray(value)) return value.map(figuresOf);
  if (typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, figuresOf(inner)]));
}

function snapshotOf(
  line: SnapshotLineInput,
  atMs: number,
  performance: Record<string, unknown>,
  transitions: ReturnType<typeof transitionsOf>,
): TurnSnapshot {
  return {
    ...(figuresOf(line.business) as object),
    runId: line.run,
    seed: line.seed,
    scenario: typeof line.business.scenario === 'string' ? line.business.scenario : '',
    turn: line.turn,
    publishedAtMs: atMs,
    performance,
    alerts: { active: line.alerts ?? [], transitions },
  } as unknown as TurnSnapshot;
}

/** Counts a line's alert transitions by rule and state, as the alert transition counter does. */
function countTransitions(
  counts: Map<string, { rule: string; state: string; count: number }>,
  transitions: ReturnType<typeof transitionsOf>,
): void {
  for (const e of transitions) {
    const key = `${e.rule}\u0000${e.to}`;
    const entry = counts.get(key) ?? { rule: e.rule, state: e.to, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
}

/** Adds a line's seconds per phase (when it holds them) to the running sums. */
function addPhaseSeconds(sums: Record<string, number>, phases: unknown): void {
  if (!phases || typeof phases !== 'object') return;
  for (const [phase, seconds] of Object.entries(phases)) {
    if (typeof seconds === 'number') sums[phase] = (sums[phase] ?? 0) + seconds;
  }
}

/** The finite samples of the registered `metrics`, as a scrape would render them. */
async function samplesOf(metrics: readonly RegisteredMetric[]): Promise<LineSample[]> {
  const out: LineSample[] = [];
  for (const metric of metrics) {
    let got: Awaited<ReturnType<RegisteredMetric['get']>>;
    try {
      got = await metric.get();
    } catch {
      // A figure the line does not hold (a reader reading past it): no sample, as on /metrics.
      continue;
    }
    for (const v of got.values) {
      if (typeof v.value !== 'number' || !Number.isFinite(v.value)) continue;
      const labels: Record<string, string> = {};
      // A label the line does not hold (the continent of a top company) is left empty, as Prometheus reads a missing one.
      for (const [k, l] of Object.entries(v.labels)) if (l !== undefined) labels[k] = String(l);
      out.push({ name: v.metricName ?? got.name, labels, value: v.value });
    }
  }
  return out;
}

/**
 * Creates a renderer of lines through the exporter's own registry, readers and histograms,
 * so a line gives the names, labels and values a scrape of its turn gives. What a line does
 * not hold (figures computed only on read, such as the budget median, Gini and the windows'
 * rates; company counts by strategy and continent) has no sample, and a label it does not hold
 * (the continent and strategy of a top company, the type of a best seller) is left empty. A firing series
 * reads 1 exactly the turns its rule fires (no hold: the time is simulated) and 0 the turn it resolves.
 */
export function createLineMetrics(seriesBudget: number): LineMetrics {
  const states = new Map<string, RuleState>();
  const firingLog = createFiringLog(0, []);
  const alertTransitions = new Map<string, { rule: string; state: string; count: number }>();
  const phaseSeconds: Record<string, number> = {};
  const window: number[] = [];
  let snapshot: TurnSnapshot | undefined;
  let system: SystemSample | undefined;
  let linesWritten = 0;
  let firings: ReturnType<typeof firingLog.current> = [];

  const { registries, observeTurn } = createMetricRegistries(
    () => ({
      snapshot,
      seriesBudget,
      alertTransitions,
      phaseSeconds,
      firings,
      firingsDropped: firingLog.dropped,
      jsonl: {
        linesWritten,
        writeErrors: Number.NaN,
        busySeconds: Number.NaN,
        rotations: Number.NaN,
        reopens: Number.NaN,
      },
      system,
      outputErrors: undefined,
      outputWaits: undefined,
    }),
    () => window,
  );
  const families = METRICS.filter((m) => m.group !== 'http' && !NOT_FROM_LINES.has(m.name));
  const wanted = new Set(families.map((m) => m.name));
  const metrics = (registries.prometheus.getMetricsAsArray() as unknown as RegisteredMetric[]).filter((m) =>
    wanted.has(m.name),
  );

  return {
    families,
    read(line, atMs) {
      linesWritten += 1;
      const transitions = transitionsOf(line, states);
      const performance = figuresOf(line.system?.performance ?? {}) as Record<string, unknown>;
      snapshot = snapshotOf(line, atMs, performance, transitions);
      system = systemOf(line, atMs);
      countTransitions(alertTransitions, transitions);
      if (transitions.length > 0) firingLog.observe(snapshot);
      firings = firingLog.current(atMs);
      addPhaseSeconds(phaseSeconds, performance.phaseSeconds);
      const turnSeconds = performance.turnSeconds;
      if (typeof turnSeconds === 'number') {
        observeTurn(snapshot, { transactions: undefined } as unknown as Parameters<typeof observeTurn>[1]);
        window.push(turnSeconds);
        if (window.length > WINDOW_TURNS) window.shift();
      }
      return samplesOf(metrics);
    },
  };
}
