/*
 * Whether a decoded checkpoint's world has the shape of a world of its scenario, before any
 * turn is played on it: every field of this TradeSim's world, of the same type, its arrays
 * as long as the sizes they follow, its numbers finite, its indices in range.
 */
import { maxOffers } from './draw-offers.js';
import { backorderQueueProblems } from './market/backorder-queues.js';
import { COVER_REPORT_SLOTS } from './market/cover-report.js';
import type { Scenario } from './scenario-schema.js';
import type { BackorderQueues } from './world.js';

/** The sizes a world's arrays follow. */
type Dimension = 'companies' | 'products' | 'products+1' | 'suppliers' | 'offers' | 'pipeline' | 'coverReports';

/** The sizes of one world. */
type Sizes = Readonly<Record<Dimension, number>>;

/** What the shape check knows of a field: its kind, and the size its length follows (if any). */
export interface FieldShape {
  readonly kind: string;
  readonly dimension?: Dimension;
  /** For arrays of typed arrays: the kind and size of each element. */
  readonly element?: { readonly kind: string; readonly dimension?: Dimension };
}

/** The fields whose length follows the timeline (a fork's may be longer): their length is not checked. */
const TIMELINE_FIELDS = new Set(['shockInForce', 'recalled']);

/** Fields that are counts of goods (or of capacity to make them): whole and never negative. */
const GOODS_COUNTS = ['offerStock', 'inventory', 'pipeline', 'inTransit', 'capacityCredit'];

const kindOf = (value: unknown): string => {
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
};

const lengthOf = (value: unknown): number | undefined =>
  ArrayBuffer.isView(value) || Array.isArray(value) ? (value as ArrayLike<unknown>).length : undefined;

function dimensionOf(length: number, sizes: Sizes): Dimension | undefined {
  const found = (Object.keys(sizes) as Dimension[]).filter((d) => sizes[d] === length);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The shape of a world's fields, learnt from two small generated worlds of different sizes:
 * a field's length follows a size when it equals that size in both (so a coincidence in one
 * world never counts).
 */
export function learnWorldShape(
  worlds: readonly [Record<string, unknown>, Record<string, unknown>],
  sizes: readonly [Sizes, Sizes],
): ReadonlyMap<string, FieldShape> {
  const [a, b] = worlds;
  const shapes = new Map<string, FieldShape>();
  const agree = (x: unknown, y: unknown): Dimension | undefined => {
    const [lx, ly] = [lengthOf(x), lengthOf(y)];
    if (lx === undefined || ly === undefined) return undefined;
    const d = dimensionOf(lx, sizes[0]);
    return d !== undefined && dimensionOf(ly, sizes[1]) === d ? d : undefined;
  };
  for (const field of Object.keys(a)) {
    const [x, y] = [a[field], b[field]];
    const dimension = TIMELINE_FIELDS.has(field) ? undefined : agree(x, y);
    let element: FieldShape['element'];
    if (Array.isArray(x) && Array.isArray(y) && x.length > 0 && ArrayBuffer.isView(x[0])) {
      const lengths = (arr: unknown[], s: Sizes) => new Set(arr.map((e) => dimensionOf(lengthOf(e) ?? -1, s)));
      const [da, db] = [lengths(x, sizes[0]), lengths(y as unknown[], sizes[1])];
      const d = da.size === 1 && db.size === 1 ? [...da][0] : undefined;
      element = { kind: kindOf(x[0]), ...(d !== undefined && [...db][0] === d ? { dimension: d } : {}) };
    }
    shapes.set(field, {
      kind: kindOf(x),
      ...(dimension ? { dimension } : {}),
      ...(element ? { element } : {}),
    });
  }
  return shapes;
}

function firstNotFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/** The first value that is not a count (negative, fractional or not a number), or -1. */
function firstNotCount(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!(values[i]! >= 0 && Number.isInteger(values[i]!))) return i;
  return -1;
}

function firstOutside(values: Int32Array, size: number): number {
  for (let i = 0; i < values.length; i++) if (values[i]! < 0 || values[i]! >= size) return i;
  return -1;
}

/** Plain objects' numbers (the running totals, the shocks' effects): finite, one level down. */
function objectProblems(field: string, value: Record<string, unknown>, template: unknown): string[] {
  const problems: string[] = [];
  if (template === null || typeof template !== 'object') return problems;
  for (const [key, inner] of Object.entries(template)) {
    const saved = value[key];
    if (typeof inner === 'number' && !(typeof saved === 'number' && Number.isFinite(saved))) {
      problems.push(`world.${field}.${key}: expected a finite number`);
    } else if (typeof inner !== 'number' && kindOf(saved) !== kindOf(inner)) {
      problems.push(`world.${field}.${key}: expected ${kindOf(inner)}, got ${kindOf(saved)}`);
    }
  }
  return problems;
}

/** Why `world` is not an object with every field of `shapes`, of its type (empty when it is). */
export function worldKindProblems(world: unknown, shapes: ReadonlyMap<string, FieldShape>): string[] {
  if (world === null || typeof world !== 'object' || Array.isArray(world)) return ['world: expected an object'];
  const data = world as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, shape] of shapes) {
    const kind = kindOf(data[field]);
    if (kind !== shape.kind) problems.push(`world.${field}: expected ${shape.kind}, got ${kind}`);
  }
  return problems.slice(0, 5);
}

/**
 * Why `world` is not a world of `scenario`'s sizes with `shapes`' fields (empty when it is):
 * types, lengths, finite numbers, indices in range, no negative goods, a whole turn. At most
 * a few problems are listed.
 */
export function worldShapeProblems(
  world: unknown,
  scenario: Scenario,
  shapes: ReadonlyMap<string, FieldShape>,
  template: Record<string, unknown>,
): string[] {
  const kinds = worldKindProblems(world, shapes);
  if (kinds.length > 0) return kinds;
  const data = world as Record<string, unknown>;
  const problems: string[] = [];
  const turn = data.turn as number;
  if (!Number.isSafeInteger(turn) || turn < 0) return [`world.turn: expected a whole number >= 0, got ${turn}`];
  const offers = lengthOf(data.offerStock) ?? 0;
  const sizes: Sizes = {
    companies: scenario.companies.count,
    products: scenario.products.count,
    'products+1': scenario.products.count + 1,
    suppliers: scenario.suppliers.count,
    offers,
    pipeline: offers * scenario.suppliers.leadTurns,
    coverReports: COVER_REPORT_SLOTS,
  };
  const { count, productsMax } = scenario.suppliers;
  if (offers > maxOffers(count, productsMax, scenario.products.count)) {
    problems.push(`world.offerStock: ${offers} offers, more than suppliers x productsMax + products`);
  }
  for (const [field, shape] of shapes) {
    const value = data[field];
    const length = lengthOf(value);
    if (shape.dimension && length !== sizes[shape.dimension]) {
      problems.push(`world.${field}: length ${length}, expected ${sizes[shape.dimension]} (${shape.dimension})`);
      continue;
    }
    if (shape.kind === 'number' && !Number.isFinite(value)) problems.push(`world.${field}: expected a finite number`);
    if (value instanceof Float64Array) {
      const at = firstNotFinite(value);
      if (at >= 0) problems.push(`world.${field}[${at}]: expected a finite number, got ${value[at]}`);
    }
    if (shape.element && Array.isArray(value)) {
      const { kind, dimension } = shape.element;
      const bad = value.findIndex(
        (e) => kindOf(e) !== kind || (dimension !== undefined && lengthOf(e) !== sizes[dimension]),
      );
      if (bad >= 0) problems.push(`world.${field}[${bad}]: expected ${kind}${dimension ? ` of ${dimension}` : ''}`);
    }
    if (shape.kind === 'object')
      problems.push(...objectProblems(field, value as Record<string, unknown>, template[field]));
    if (problems.length >= 5) return problems.slice(0, 5);
  }
  for (const field of GOODS_COUNTS) {
    const value = data[field];
    if (!(value instanceof Float64Array)) continue;
    const at = firstNotCount(value);
    if (at >= 0) problems.push(`world.${field}[${at}]: not a count of units (${value[at]})`);
  }
  const reports = data.coverReports as Float64Array;
  const negative = reports.findIndex((cover) => cover < 0);
  if (negative >= 0) problems.push(`world.coverReports[${negative}]: a cover below 0 (${reports[negative]})`);
  const normal = data.coverNormal as number;
  if (normal < 0) problems.push(`world.coverNormal: a cover below 0 (${normal})`);
  const indices: [string, number][] = [
    ['offerSupplier', sizes.suppliers],
    ['offerProduct', sizes.products],
    ['productOfferStart', offers + 1],
  ];
  for (const [field, size] of indices) {
    const value = data[field];
    if (!(value instanceof Int32Array)) continue;
    const at = firstOutside(value, size);
    if (at >= 0) problems.push(`world.${field}[${at}]: ${value[at]} is outside 0..${size - 1}`);
  }
  if (problems.length === 0) problems.push(...backorderQueueProblems(data as unknown as BackorderQueues));
  return problems.slice(0, 5);
}
