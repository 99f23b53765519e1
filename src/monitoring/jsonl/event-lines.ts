import { eventMagnitude, type LiveShocks, type TurnSnapshot } from '../../services/index.js';
import type { AppliedEvent, AppliedShock, EventTarget, TurnReport, WorldView } from '../../simulation/index.js';
import { JsonBytes, jsonKeys } from './json-bytes.js';
import { LINE_DECIMALS, roundLineNumbers } from './snapshot-line.js';

/** Targets written in one line at most; `targetCount` always says how many there were. */
export const EVENT_LINE_TARGETS = 100;

/** One target as written: the entity's id and name, and what the event did to it. */
interface TargetOut {
  readonly id: string;
  readonly name: string;
  readonly value: number;
}

type Entity = { readonly id: string; readonly name: string } | undefined;

/** Which entity list an event's or shock's target indices point into. */
function entityOf(world: WorldView, kind: string, index: number): Entity {
  switch (kind) {
    case 'budget_refill':
      return world.companies[index];
    case 'restock':
    case 'supplier_refill':
    case 'supplier_outage':
    case 'supplier_exit':
      return world.suppliers[index];
    case 'supply_disruption': {
      // An offer: the product at one supplier.
      const supplier = world.suppliers[world.offerSupplier[index]!];
      const product = world.products[world.offerProduct[index]!];
      return supplier && product && { id: `${supplier.id}/${product.id}`, name: `${product.name} at ${supplier.name}` };
    }
    default:
      return world.products[index];
  }
}

function targetsOut(
  world: WorldView,
  kind: string,
  targets: readonly EventTarget[] | null,
  scale = 1,
): TargetOut[] | null {
  if (!targets) return null;
  return targets.slice(0, EVENT_LINE_TARGETS).map((t) => {
    const entity = entityOf(world, kind, t.index);
    return { id: entity?.id ?? String(t.index), name: entity?.name ?? '', value: t.value / scale };
  });
}

/**
 * The lines of one turn's event log: one per market event applied, per timeline shock started
 * or ended, per company that exited or entered, with its targets (by id and name, at most
 * EVENT_LINE_TARGETS; none when the scenario keeps aggregates only), its magnitude and its
 * impact. Money in currency units. Empty on a turn where nothing happened. Call it within the
 * turn (a subscriber): entity names are read from the live world. With `live`, a shock started
 * live says so (`source: "live"`, with its fields) and one stopped early has `stopped: true`:
 * what a replay reads back.
 */
export function eventLines(snapshot: TurnSnapshot, report: TurnReport, world: WorldView, live?: LiveSource): string[] {
  const lines: string[] = [];
  writeEventLines(snapshot, report, world, live, (bytes) => lines.push(Buffer.from(bytes).toString('utf8')));
  return lines;
}

/**
 * The same lines as {@link eventLines}, each handed to `write` as its UTF-8 bytes, newline
 * included: a view of a buffer reused for the next line (copy it to keep it). The frequent
 * lines, a market event's (up to EVENT_LINE_TARGETS targets) and a company's exit or entry
 * (hundreds a turn on a large world), are written straight into bytes, with no object or
 * string made per line or target; a shock's through JSON.stringify.
 */
export function writeEventLines(
  snapshot: TurnSnapshot,
  report: TurnReport,
  world: WorldView,
  live: LiveSource | undefined,
  write: (line: Uint8Array) => void,
): void {
  const head = { v: 1, run: snapshot.runId, seed: snapshot.seed, turn: report.turn };
  for (const event of report.events) write(eventLineBytes(event, snapshot, world, report.turn));
  for (const shock of report.shocks) {
    const line = { ...head, ...shockBody(shock, world), ...liveBody(shock, report.turn, live) };
    write(Buffer.from(`${JSON.stringify(line, exactShockFields)}\n`, 'utf8'));
  }
  for (const c of report.population.exits) write(companyLineBytes(snapshot, report.turn, world, c, false));
  for (const c of report.population.entries) write(companyLineBytes(snapshot, report.turn, world, c, true));
}

const K = jsonKeys([
  'v',
  'run',
  'seed',
  'turn',
  'kind',
  'type',
  'targetCount',
  'magnitude',
  'impact',
  'before',
  'after',
  'targets',
  'id',
  'name',
  'value',
  'company',
  'budget',
]);

/** The buffer market events' lines are written into, numbers rounded as a snapshot line's. */
const eventBytes = new JsonBytes(LINE_DECIMALS);

/** The buffer emptied and a line opened with the members every event-log line starts with. */
function startLine(snapshot: TurnSnapshot, turn: number, kind: string): JsonBytes {
  const o = eventBytes;
  o.reset();
  o.open();
  o.num(K.v, 1);
  o.str(K.run, snapshot.runId);
  o.num(K.seed, snapshot.seed);
  o.num(K.turn, turn);
  o.str(K.kind, kind);
  return o;
}

/** A market event's line, as JSON.stringify writes `{...head, ...eventBody(...)}` with roundLineNumbers. */
function eventLineBytes(event: AppliedEvent, snapshot: TurnSnapshot, world: WorldView, turn: number): Uint8Array {
  const o = startLine(snapshot, turn, 'event');
  const money = event.type === 'budget_refill';
  o.str(K.type, event.type);
  o.num(K.targetCount, event.targetCount);
  // As the event service's lastMagnitude: one size, one meaning.
  o.num(K.magnitude, eventMagnitude(event));
  const impact = snapshot.event.impact[event.type];
  o.key(K.impact);
  o.open();
  o.num(K.before, impact.before);
  o.num(K.after, impact.after);
  o.close();
  o.key(K.targets);
  const targets = event.targets;
  if (targets === null) o.ascii('null');
  else {
    const scale = money ? 100 : 1;
    o.openArray();
    for (let i = 0; i < targets.length && i < EVENT_LINE_TARGETS; i++) {
      const t = targets[i]!;
      const entity = entityOf(world, event.type, t.index);
      o.item();
      o.open();
      o.key(K.id);
      o.plainString(entity?.id ?? String(t.index));
      o.key(K.name);
      o.plainString(entity?.name ?? '');
      o.num(K.value, t.value / scale);
      o.close();
    }
    o.closeArray();
  }
  o.close();
  o.ascii('\n');
  return o.view();
}

/** The line of a company's exit or entry (an entry with its starting budget), as JSON.stringify writes it. */
function companyLineBytes(
  snapshot: TurnSnapshot,
  turn: number,
  world: WorldView,
  c: number,
  entry: boolean,
): Uint8Array {
  const o = startLine(snapshot, turn, entry ? 'entry' : 'exit');
  const company = world.companies[c];
  o.key(K.company);
  o.plainString(company?.id ?? String(c));
  o.key(K.name);
  o.plainString(company?.name ?? '');
  if (entry) o.num(K.budget, (company?.initialBudgetCents ?? 0) / 100);
  o.close();
  o.ascii('\n');
  return o.view();
}

function shockBody(shock: AppliedShock, world: WorldView): object {
  return {
    kind: 'shock',
    type: shock.kind,
    phase: shock.phase,
    timelineIndex: shock.index,
    severity: shock.severity,
    targetCount: shock.targetCount,
    targets: targetsOut(world, shock.kind, shock.targets),
  };
}

/**
 * roundLineNumbers, but for a shock line's own severity and percent, written as they are: a
 * replay (--replay-shocks) reads them back, and a rounded one played another market.
 */
function exactShockFields(this: unknown, key: string, value: unknown): unknown {
  const own = this !== null && typeof this === 'object' && (this as { kind?: unknown }).kind === 'shock';
  return own && (key === 'severity' || key === 'percent') ? value : roundLineNumbers(key, value);
}

type LiveSource = Pick<LiveShocks, 'liveShock' | 'record'>;

/** What a live shock's line adds: its source and fields at its start, `stopped` at an early end. */
function liveBody(shock: AppliedShock, turn: number, live: LiveSource | undefined): object {
  if (!live) return {};
  const started = live.liveShock(shock.index);
  const source = started ? { source: 'live' } : {};
  if (shock.phase === 'start') {
    if (!started) return {};
    const { at, turns, percent, continent, productType } = started;
    return {
      ...source,
      at,
      turns,
      percent,
      ...(continent ? { continent } : {}),
      ...(productType ? { productType } : {}),
    };
  }
  const stopped = live.record().some((r) => r.action === 'stop' && r.index === shock.index && r.turn === turn);
  return { ...source, ...(stopped ? { stopped: true } : {}) };
}
