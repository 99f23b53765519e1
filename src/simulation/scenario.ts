import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { SimulationErrors } from './errors.js';
import { duplicateKeys } from './duplicate-keys.js';
import { maxOffers } from './draw-offers.js';
import { MAX_GOODS } from './world.js';
import { parseStart } from './market/calendar.js';
import { type Scenario, ScenarioSchema } from './scenario-schema.js';
import { shockProblems, TimelineSchema } from './timeline-schema.js';

/** Turns a JSON pointer (`/companies/count`) into the dotted path users read (`companies.count`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '' || pointer === '/') return '(root)';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function describeType(schema: TSchema): string {
  const type = schema.type as string | undefined;
  if (type === 'integer') return 'an integer';
  if (type === 'number') return 'a number';
  if (type === 'boolean') return 'true or false';
  if (type === 'string') return 'a string';
  if (type === 'object') return 'an object';
  if (type === 'array') return 'an array';
  return 'valid';
}

/** One schema error as `path: must …`, in plain words. */
export function formatValueError(error: ValueError): string {
  const path = pointerToPath(error.path);
  const s = error.schema;
  switch (error.type) {
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `${path}: must be >= ${s.minimum}`;
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `${path}: must be <= ${s.maximum}`;
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return `${path}: must be > ${s.exclusiveMinimum}`;
    case ValueErrorType.StringMinLength:
      return `${path}: must not be empty`;
    case ValueErrorType.StringMaxLength:
      return `${path}: must be at most ${s.maxLength} characters`;
    case ValueErrorType.StringPattern:
      return `${path}: must match ${s.pattern}`;
    case ValueErrorType.ArrayMaxItems:
      return `${path}: must have at most ${s.maxItems} items`;
    case ValueErrorType.ArrayMinItems:
      return s.maxItems === s.minItems
        ? `${path}: must have ${s.minItems} items`
        : `${path}: must have at least ${s.minItems} items`;
    case ValueErrorType.NumberExclusiveMaximum:
    case ValueErrorType.IntegerExclusiveMaximum:
      return `${path}: must be < ${s.exclusiveMaximum}`;
    case ValueErrorType.ObjectAdditionalProperties:
      return `${path}: unknown key`;
    case ValueErrorType.ObjectRequiredProperty:
      return `${path}: is required`;
    case ValueErrorType.Union: {
      const options = (s.anyOf as TSchema[] | undefined)?.map((o): unknown => o.const);
      if (options?.every((o) => typeof o === 'string')) return `${path}: must be one of ${options.join(', ')}`;
      return `${path}: must be valid`;
    }
    default:
      return `${path}: must be ${describeType(s)}`;
  }
}

/** Pairs of fields where the first must not exceed the second (paths from the scenario root). */
const ORDERED_PAIRS: readonly (readonly [string, string])[] = [
  ['companies.budgetMin', 'companies.budgetMax'],
  ['products.priceMin', 'products.priceMax'],
  ['suppliers.productsMin', 'suppliers.productsMax'],
  ['suppliers.stockMin', 'suppliers.stockMax'],
  ['market.quantityMin', 'market.quantityMax'],
  ['events.budgetRefill.min', 'events.budgetRefill.max'],
  ['events.restock.min', 'events.restock.max'],
  ['events.inflation.minPercent', 'events.inflation.maxPercent'],
  ['events.supplierRefill.min', 'events.supplierRefill.max'],
  ['events.supplierOutage.turnsMin', 'events.supplierOutage.turnsMax'],
  ['suppliers.productsMax', 'products.count'],
  ['companies.marginMin', 'companies.marginMax'],
];

/**
 * The largest world a file may ask for: companies x products bounds what a turn's purchases
 * and the per-product figures scan, suppliers x products the offers, suppliers x lead time the
 * orders in transit. Far above the `stress` preset (20 M, 15 k and 6 k), well below what a
 * machine's memory holds.
 */
const WORLD_LIMITS: readonly (readonly [string, string, number])[] = [
  ['companies.count', 'products.count', 50_000_000],
  ['suppliers.count', 'suppliers.productsMax', 10_000_000],
  ['suppliers.count', 'suppliers.leadTurns', 10_000_000],
];

/**
 * Orders in transit: one slot per offer and turn of lead time, so offers (at most maxOffers)
 * x leadTurns, defaults included.
 */
const MAX_PIPELINE_SLOTS = 20_000_000;

/**
 * Money a world may start with, in cents (companies' budgets at their highest and households'
 * share on top): far under 2^53, past which whole cents are no longer exact, so that refills
 * have room (they stop at MAX_MONEY_CENTS, `events/budget-refill.ts`). About 11 trillion
 * currency units.
 */
const MAX_START_CENTS = 2 ** 50;

/** Nesting a scenario file may have: its deepest part is 4 levels down. */
export const MAX_JSON_DEPTH = 16;

function numberAt(root: unknown, path: string): number | undefined {
  let node: unknown = root;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'number' && Number.isFinite(node) ? node : undefined;
}

/** Suppliers, the most products each draws, and products: what maxOffers bounds the offers by. */
const offerSizes = (candidate: unknown): [number, number, number] => [
  numberAt(candidate, 'suppliers.count') ?? 0,
  numberAt(candidate, 'suppliers.productsMax') ?? 0,
  numberAt(candidate, 'products.count') ?? 0,
];

/**
 * Why the goods a world opens with would not stay exact in whole units, or undefined: with
 * `initialCover`, what all its money buys at the lowest base price for the turns it holds in
 * stock and in transit (more than it opens with: households spend a share a turn); else every
 * offer's stock at `stockMax`. At most half of MAX_GOODS, where restocks and refills stop.
 */
function startGoodsProblem(candidate: unknown, startCents: number, offers: number): string | undefined {
  const [priceMin, initialCover, leadTurns, stockMax] = [
    'products.priceMin',
    'suppliers.initialCover',
    'suppliers.leadTurns',
    'suppliers.stockMax',
  ].map((path) => numberAt(candidate, path) ?? 0);
  const goods =
    initialCover! > 0
      ? (startCents / Math.max(1, Math.round(priceMin! * 100))) * (initialCover! + leadTurns!)
      : offers * stockMax!;
  if (!Number.isFinite(goods) || goods <= MAX_GOODS / 2) return undefined;
  return initialCover! > 0
    ? `suppliers.initialCover: the money a world starts with, at products.priceMin, for initialCover + leadTurns turns must be <= ${MAX_GOODS / 2} units (whole units stay exact), got ${goods}`
    : `suppliers.stockMax: offers x suppliers.stockMax must be <= ${MAX_GOODS / 2} units (whole units stay exact), got ${goods}`;
}

/** Rules one field cannot state alone. Pairs whose fields are not numbers are left to the schema. */
function crossFieldProblems(candidate: unknown): string[] {
  const problems: string[] = [];
  for (const [lowPath, highPath] of ORDERED_PAIRS) {
    const low = numberAt(candidate, lowPath);
    const high = numberAt(candidate, highPath);
    if (low === undefined || high === undefined || low <= high) continue;
    const sameSection = lowPath.slice(0, lowPath.lastIndexOf('.')) === highPath.slice(0, highPath.lastIndexOf('.'));
    problems.push(`${lowPath}: must be <= ${sameSection ? highPath.split('.').pop() : highPath}`);
  }
  for (const [aPath, bPath, limit] of WORLD_LIMITS) {
    const a = numberAt(candidate, aPath);
    const b = numberAt(candidate, bPath);
    // Past a double's range, a field is out of its own bounds already, and said so.
    if (a !== undefined && b !== undefined && Number.isFinite(a * b) && a * b > limit) {
      problems.push(`${aPath}: ${aPath} x ${bPath} must be <= ${limit} (the world's size), got ${a * b}`);
    }
  }
  const [companies, budgetMax, moneyShare] = ['companies.count', 'companies.budgetMax', 'households.moneyShare'].map(
    (path) => numberAt(candidate, path) ?? 0,
  );
  const startCents = companies! * Math.round(budgetMax! * 100) * (1 + moneyShare!);
  if (Number.isFinite(startCents) && startCents > MAX_START_CENTS) {
    problems.push(
      `companies.budgetMax: companies.count x companies.budgetMax x (1 + households.moneyShare), the money a world starts with, must be <= ${MAX_START_CENTS / 100} (whole cents stay exact), got ${startCents / 100}`,
    );
  }
  const offers = maxOffers(...offerSizes(candidate));
  const goods = startGoodsProblem(candidate, startCents, offers);
  if (goods) problems.push(goods);
  const slots = offers * (numberAt(candidate, 'suppliers.leadTurns') ?? 0);
  // Past the offers' own bound the pipeline is too large as well: that problem is said once.
  const offersTooMany = problems.some((p) => p.startsWith('suppliers.count: suppliers.count x suppliers.productsMax'));
  if (slots > MAX_PIPELINE_SLOTS && !offersTooMany) {
    problems.push(
      `suppliers.leadTurns: offers (suppliers.count x suppliers.productsMax + products.count) x suppliers.leadTurns (orders in transit) must be <= ${MAX_PIPELINE_SLOTS}, got ${slots}`,
    );
  }
  const weights = ['raw_material', 'consumable', 'finished_good'].map((t) =>
    numberAt(candidate, `products.typeWeights.${t}`),
  );
  if (weights.every((w) => w !== undefined && w <= 0)) {
    problems.push('products.typeWeights: at least one weight must be > 0');
  }
  const calendar = (candidate as { calendar?: { start?: unknown; hourly?: unknown; weekly?: unknown } }).calendar;
  if (typeof calendar?.start === 'string' && parseStart(calendar.start) === undefined) {
    problems.push(`calendar.start: must be a date and time, got ${calendar.start}`);
  }
  for (const key of ['hourly', 'weekly'] as const) {
    const values = calendar?.[key];
    if (Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'number' && v <= 0)) {
      problems.push(`calendar.${key}: at least one value must be > 0`);
    }
  }
  const timeline = (candidate as { timeline?: unknown }).timeline;
  if (Array.isArray(timeline) && Value.Check(TimelineSchema, timeline)) {
    timeline.forEach((shock, i) => problems.push(...shockProblems(shock, `timeline.${i}`)));
  }
  return problems;
}

/** A scenario file's top level: an object, or the one problem that stops reading it. */
export type JsonObjectRead =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly problems: readonly string[] };

/** How deep `value` nests, counted without recursion; stops counting past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: (readonly [unknown, number])[] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const inner of Object.values(node)) stack.push([inner, depth + 1]);
  }
  return deepest;
}

/**
 * Reads a JSON text (or takes a parsed value) whose top level must be an object, nested at
 * most MAX_JSON_DEPTH levels, no key given twice in one object (JSON.parse would keep the
 * last without a word). A UTF-8 byte order mark before the text is allowed.
 */
export function readJsonObject(input: unknown): JsonObjectRead {
  let raw: unknown = input;
  const text = typeof input === 'string' ? (input.startsWith('\uFEFF') ? input.slice(1) : input) : undefined;
  if (text !== undefined) {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { ok: false, problems: [`(root): not valid JSON (${(error as Error).message})`] };
    }
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: ['(root): must be an object'] };
  }
  if (depthOf(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return { ok: false, problems: [`(root): nested more than ${MAX_JSON_DEPTH} levels deep`] };
  }
  // Within the depth: the path a repeated key is named by is short.
  const repeated = text === undefined ? [] : duplicateKeys(text);
  if (repeated.length > 0) {
    return { ok: false, problems: repeated.map((path) => `${path}: given more than once; give it once`) };
  }
  return { ok: true, value: raw as Record<string, unknown> };
}

/**
 * Where a value's JSON type differs from the schema's object or array: checked on the file
 * as written, before defaults fill it in (an array given for an object section would
 * otherwise take the defaults as properties and pass).
 */
export function shapeProblems(schema: TSchema, value: unknown, path: string): string[] {
  if (value === undefined) return [];
  const where = path === '' ? '(root)' : path;
  if (schema.type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${where}: must be an object`];
    const properties = (schema.properties ?? {}) as Record<string, TSchema>;
    return Object.entries(value).flatMap(([key, inner]) =>
      properties[key] ? shapeProblems(properties[key], inner, path === '' ? key : `${path}.${key}`) : [],
    );
  }
  if (schema.type === 'array') {
    if (!Array.isArray(value)) return [`${where}: must be an array`];
    const items = schema.items as TSchema | undefined;
    return items ? value.flatMap((inner, i) => shapeProblems(items, inner, `${path}.${i}`)) : [];
  }
  return [];
}

/** The problems to show: one per path that is missing, and each other once. */
export function distinctProblems(problems: readonly string[]): string[] {
  const missing = new Set(problems.filter((p) => p.endsWith(': is required')).map((p) => p.split(': ')[0]));
  return [...new Set(problems)].filter((p) => p.endsWith(': is required') || !missing.has(p.split(': ')[0]));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Validates a scenario (a JSON text or an already parsed value) and returns it frozen, with
 * every missing key defaulted. Throws one TRADESIM_ERR_SCENARIO_INVALID listing every problem
 * by its path.
 */
export function loadScenario(input: unknown): Scenario {
  const read = readJsonObject(input);
  if (!read.ok) throw new SimulationErrors.TRADESIM_ERR_SCENARIO_INVALID(read.problems);
  const raw = read.value;
  const shape = shapeProblems(ScenarioSchema, raw, '');
  if (shape.length > 0) throw new SimulationErrors.TRADESIM_ERR_SCENARIO_INVALID(shape);
  const candidate = Value.Default(ScenarioSchema, structuredClone(raw));
  const problems = [
    ...[...Value.Errors(ScenarioSchema, candidate)].map(formatValueError),
    ...crossFieldProblems(candidate),
  ];
  if (problems.length > 0) {
    throw new SimulationErrors.TRADESIM_ERR_SCENARIO_INVALID(distinctProblems(problems));
  }
  return deepFreeze(candidate as Scenario);
}

/** The default scenario: every parameter at its default. */
export function defaultScenario(): Scenario {
  return loadScenario({});
}
