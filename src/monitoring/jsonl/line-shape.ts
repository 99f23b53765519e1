/*
 * The JSONL line, described once. Both the line's object (buildLineObject, the tests' reference) and its byte
 * writer (line-compiler.ts) are derived from LINE_SHAPE; a service's figures object reaches
 * the line key for key, so a figure added to a service is in the line with no other edit.
 */
import type { TurnSnapshot } from '../../services/index.js';
import type { SystemSample } from '../system-sampler.js';

/** The JSON type of a declared member of a list item. */
export type ItemType = 'number' | 'string';

/** How the members of one list item are written: name and type, in order. */
export type ItemFields = Readonly<Record<string, ItemType>>;

/** One value of the line, read from the turn's snapshot (or the system sample) by a path of keys. */
export type LineNode =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'number' | 'string' | 'isoTime'; readonly path: readonly string[] }
  | { readonly kind: 'object'; readonly fields: LineFields }
  /**
   * A service's figures, member by member in their own order: numbers, strings and nested
   * records as they are, the members in `omit` left out, each list in `lists` cut to the
   * line's top entries with the declared members of its items. `repeats`: the service hands
   * over the same object turn after turn (its text is then kept and copied).
   */
  | {
      readonly kind: 'figures';
      readonly path: readonly (keyof TurnSnapshot)[];
      readonly omit: readonly string[];
      readonly lists: Readonly<Record<string, ItemFields>>;
      readonly repeats: boolean;
    }
  /** A whole list (not cut), each item with the declared members. */
  | { readonly kind: 'list'; readonly path: readonly string[]; readonly item: ItemFields }
  /** Members read from the system sample; the member is absent from lines made without one. */
  | { readonly kind: 'sample'; readonly fields: Readonly<Record<string, keyof SystemSample>> };

/** The members of a JSON object of the line, in output order. */
export type LineFields = readonly (readonly [string, LineNode])[];

const figures = (
  service: keyof TurnSnapshot,
  options: { omit?: readonly string[]; lists?: Readonly<Record<string, ItemFields>>; repeats?: boolean } = {},
): LineNode => ({
  kind: 'figures',
  path: [service],
  omit: options.omit ?? [],
  lists: options.lists ?? {},
  repeats: options.repeats ?? false,
});

/**
 * The line of one turn: `{v, run, seed, turn, time, business, alerts, system}`. `business`
 * and `alerts` depend only on the scenario and seed; wall-clock time, timings and machine
 * figures are kept apart in `time` and `system`. To keep a line small whatever the world's
 * size, top lists are cut, and what is fixed for the run or repeated elsewhere in the line is
 * left out (company counts by strategy and continent, `event.thisTurn`,
 * `transaction.budgetTotal`, the SLOs' SLI and burn rates). Figures computed only on read (budget median and Gini, product
 * volatility, the windows) are not own data of a figures object and so are never in a line:
 * each costs a sort or a scan; all are on /metrics and /api/stats.
 */
export const LINE_SHAPE: LineFields = [
  ['v', { kind: 'constant', value: 1 }],
  ['run', { kind: 'string', path: ['runId'] }],
  ['seed', { kind: 'number', path: ['seed'] }],
  ['turn', { kind: 'number', path: ['turn'] }],
  ['time', { kind: 'isoTime', path: ['publishedAtMs'] }],
  [
    'business',
    {
      kind: 'object',
      fields: [
        ['scenario', { kind: 'string', path: ['scenario'] }],
        ['budget', figures('budget')],
        [
          'company',
          figures('company', {
            omit: ['byStrategy', 'byContinent'],
            lists: {
              topBySpend: { id: 'string', name: 'string', spent: 'number', budget: 'number', purchases: 'number' },
            },
          }),
        ],
        [
          'product',
          figures('product', {
            lists: { topBySales: { id: 'string', name: 'string', unitsSold: 'number', price: 'number' } },
          }),
        ],
        [
          'supplier',
          figures('supplier', {
            lists: { topBySales: { id: 'string', name: 'string', unitsSold: 'number', stock: 'number' } },
          }),
        ],
        ['transaction', figures('transaction', { omit: ['budgetTotal'] })],
        ['event', figures('event', { omit: ['thisTurn'], repeats: true })],
        ['market', figures('market')],
        // The running counts and the budget left: the SLI and burn rates derive from them (as
        // Prometheus's recording rules do), the alerts are in `alerts`, the counted figures in the line.
        [
          'slo',
          figures('slo', {
            omit: [
              'objective',
              'good',
              'total',
              'sli',
              'burnRate',
              'alerts',
              'lowestBudgetRemaining',
              'fastestBurnRate1h',
            ],
          }),
        ],
      ],
    },
  ],
  [
    'alerts',
    {
      kind: 'list',
      path: ['alerts', 'active'],
      item: {
        rule: 'string',
        severity: 'string',
        state: 'string',
        value: 'number',
        threshold: 'number',
        activeSince: 'number',
      },
    },
  ],
  [
    'system',
    {
      kind: 'object',
      fields: [
        ['performance', figures('performance', { omit: ['clockSeconds', 'attempts'] })],
        [
          'process',
          {
            kind: 'sample',
            fields: { cpu: 'processCpu', rssBytes: 'processRssBytes', heapUsedBytes: 'processHeapUsedBytes' },
          },
        ],
        [
          'machine',
          {
            kind: 'sample',
            fields: {
              cpu: 'machineCpu',
              memoryUsedBytes: 'machineMemoryUsedBytes',
              memoryTotalBytes: 'machineMemoryTotalBytes',
            },
          },
        ],
      ],
    },
  ],
];

/**
 * Members of the line's figures that every line of a run leaves out, as dotted paths from the
 * snapshot (`market.orders`): members its scenario can never fill (see {@link linesLeaveOut}).
 */
export type LeftOut = readonly string[];

/**
 * What the lines of a run on `scenario` leave out: `market.orders` when no order can wait
 * (`backorders.patienceTurns` 0, as in `classic`) and none waits as the run starts (a fork of a
 * run whose orders waited cancels them in its first turn, so its lines keep them). Every
 * backorder count is then 0, and `served`, `ended`, `onTime` and `decided` are the turn's
 * `transaction.successes` (its `fillRate` 1, or null with no purchase): the line would repeat
 * 40 figures that say nothing.
 */
export function linesLeaveOut(
  scenario: { readonly backorders: { readonly patienceTurns: number } },
  ordersWaiting: number,
): LeftOut {
  return scenario.backorders.patienceTurns === 0 && ordersWaiting === 0 ? ['market.orders'] : [];
}

/** The members of a figures node left out of its lines: its own `omit`, and those of `leftOut` under it. */
export function omittedOf(node: Extract<LineNode, { kind: 'figures' }>, leftOut: LeftOut): readonly string[] {
  const prefix = `${node.path.join('.')}.`;
  const more = leftOut.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length));
  return more.length === 0 ? node.omit : [...node.omit, ...more];
}

/** The value at `path` under `root`. */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) node = (node as Record<string, unknown>)[key];
  return node;
}

/** The members `item` declares, from one list item. */
const pick = (value: unknown, item: ItemFields): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(item)) out[name] = (value as Record<string, unknown>)[name];
  return out;
};

function buildNode(
  node: LineNode,
  s: TurnSnapshot,
  x: SystemSample | undefined,
  topEntries: number,
  leftOut: LeftOut,
): unknown {
  switch (node.kind) {
    case 'constant':
      return node.value;
    case 'number':
    case 'string':
      return valueAt(s, node.path);
    case 'isoTime':
      return new Date(valueAt(s, node.path) as number).toISOString();
    case 'object':
      return buildFields(node.fields, s, x, topEntries, leftOut);
    case 'figures': {
      const value = valueAt(s, node.path) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const omit = omittedOf(node, leftOut);
      for (const key of Object.keys(value)) {
        if (omit.includes(key)) continue;
        const item = node.lists[key];
        out[key] = item
          ? (value[key] as readonly unknown[]).slice(0, topEntries).map((v) => pick(v, item))
          : value[key];
      }
      return out;
    }
    case 'list':
      return (valueAt(s, node.path) as readonly unknown[]).map((v) => pick(v, node.item));
    case 'sample':
      return x ? Object.fromEntries(Object.entries(node.fields).map(([name, from]) => [name, x[from]])) : undefined;
  }
}

function buildFields(
  fields: LineFields,
  s: TurnSnapshot,
  x: SystemSample | undefined,
  topEntries: number,
  leftOut: LeftOut,
): object {
  const out: Record<string, unknown> = {};
  for (const [name, node] of fields) {
    const value = buildNode(node, s, x, topEntries, leftOut);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The line of one turn as an object, read from LINE_SHAPE by walking it (the byte writer is
 * compiled from the same shape): numbers unrounded, top lists cut to `topEntries`, the
 * members of `leftOut` left out.
 */
export function buildLineObject(
  snapshot: TurnSnapshot,
  system: SystemSample | undefined,
  topEntries: number,
  leftOut: LeftOut = [],
): object {
  return buildFields(LINE_SHAPE, snapshot, system, topEntries, leftOut);
}
