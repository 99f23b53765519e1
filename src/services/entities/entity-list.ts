import type { WorldView } from '../../simulation/index.js';
import { companyStateIndex } from '../domains/budget-book.js';
import { COMPANY_STATES } from '../domains/budget.js';
import { ServicesErrors } from '../errors.js';
import { fromCents } from '../figures/figures.js';
import type { Thresholds } from '../service-options.js';
import { createSortCache, type SortCache, type SortedOrder } from './sort-cache.js';

/** The entity lists. */
export const ENTITY_KINDS = ['companies', 'products', 'suppliers'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** The fields each list can be sorted by (numbers; `name` sorts by name). */
export const ENTITY_SORT_FIELDS = {
  companies: ['budget', 'initialBudget', 'spent', 'purchases', 'inventory', 'name'],
  products: ['price', 'basePrice', 'unitsSold', 'stock', 'inTransit', 'name'],
  suppliers: ['unitsSold', 'stock', 'inTransit', 'offers', 'name'],
} as const satisfies Record<EntityKind, readonly string[]>;

/** The most rows one page holds, whatever the world's size. */
export const ENTITY_PAGE_MAX = 100;

/** Which page of which list. */
export interface EntityQuery {
  readonly kind: EntityKind;
  readonly sort: string;
  readonly order: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
}

/** One page: the rows, and how many entities the list holds. */
export interface EntityPage {
  readonly kind: EntityKind;
  readonly turn: number;
  /**
   * A deep page's order can be from an earlier turn (its rows are this turn's): that turn,
   * when it is not `turn` (see sort-cache.ts).
   */
  readonly sortedAtTurn?: number;
  readonly total: number;
  readonly sort: string;
  readonly order: 'asc' | 'desc';
  readonly offset: number;
  readonly limit: number;
  readonly rows: readonly Readonly<Record<string, string | number | boolean>>[];
}

interface EntityTable {
  readonly count: number;
  readonly name: (i: number) => string;
  /** The numeric field `field` of every entity, by index. */
  readonly column: (field: string) => Float64Array;
  readonly row: (i: number) => Record<string, string | number | boolean>;
}

/** Sums of each offer's `values` per product (by = offerProduct) or per supplier (by = offerSupplier). */
function sumByOwner(values: ArrayLike<number>, by: ArrayLike<number>, owners: number): Float64Array {
  const out = new Float64Array(owners);
  for (let o = 0; o < by.length; o++) out[by[o]!]! += values[o]!;
  return out;
}

/** Units in stock and in transit per owner of offers (products or suppliers), each summed on first use. */
function offerTotals(world: WorldView, by: ArrayLike<number>, owners: number) {
  let stock: Float64Array | undefined;
  let transit: Float64Array | undefined;
  return {
    stock: () => (stock ??= sumByOwner(world.offerStock, by, owners)),
    inTransit: () => (transit ??= sumByOwner(world.inTransit, by, owners)),
  };
}

function companyTable(world: WorldView, thresholds: Thresholds): EntityTable {
  const columns: Record<string, () => Float64Array> = {
    budget: () => Float64Array.from(world.budgetsCents),
    initialBudget: () => Float64Array.from(world.initialBudgetsCents),
    spent: () => Float64Array.from(world.spentCents),
    purchases: () => Float64Array.from(world.purchaseCounts),
    inventory: () => Float64Array.from(world.inventory),
  };
  return {
    count: world.companies.length,
    name: (i) => world.companies[i]!.name,
    column: (field) => columns[field]!(),
    row: (i) => {
      const c = world.companies[i]!;
      const active = world.companyActive[i] === 1;
      return {
        id: c.id,
        name: c.name,
        country: c.country,
        continent: c.continent,
        strategy: c.strategy,
        active,
        state: active
          ? COMPANY_STATES[companyStateIndex(world.budgetsCents[i]!, world.initialBudgetsCents[i]!, thresholds)]!
          : 'vacant',
        budget: fromCents(world.budgetsCents[i]!),
        initialBudget: fromCents(world.initialBudgetsCents[i]!),
        spent: fromCents(world.spentCents[i]!),
        purchases: world.purchaseCounts[i]!,
        inventory: world.inventory[i]!,
      };
    },
  };
}

function productTable(world: WorldView): EntityTable {
  const n = world.products.length;
  const totals = offerTotals(world, world.offerProduct, n);
  const columns: Record<string, () => Float64Array> = {
    price: () => Float64Array.from(world.prices),
    basePrice: () => Float64Array.from(world.products, (p) => p.basePrice),
    unitsSold: () => Float64Array.from(world.unitsSold),
    stock: totals.stock,
    inTransit: totals.inTransit,
  };
  return {
    count: n,
    name: (i) => world.products[i]!.name,
    column: (field) => columns[field]!(),
    row: (i) => {
      const p = world.products[i]!;
      return {
        id: p.id,
        name: p.name,
        type: p.type,
        active: world.active[i] === 1,
        price: world.prices[i]!,
        basePrice: p.basePrice,
        unitsSold: world.unitsSold[i]!,
        stock: totals.stock()[i]!,
        inTransit: totals.inTransit()[i]!,
      };
    },
  };
}

// Built as productTable is, over the offers by supplier instead of by product: deliberate.
function supplierTable(world: WorldView): EntityTable {
  const n = world.suppliers.length;
  const totals = offerTotals(world, world.offerSupplier, n);
  const columns: Record<string, () => Float64Array> = {
    unitsSold: () => Float64Array.from(world.supplierUnitsSold),
    stock: totals.stock,
    inTransit: totals.inTransit,
    offers: () => Float64Array.from(world.suppliers, (s) => s.offers.length),
  };
  return {
    count: n,
    name: (i) => world.suppliers[i]!.name,
    column: (field) => columns[field]!(),
    row: (i) => {
      const s = world.suppliers[i]!;
      return {
        id: s.id,
        name: s.name,
        country: s.country,
        continent: s.continent,
        active: world.supplierActive[i] === 1,
        unitsSold: world.supplierUnitsSold[i]!,
        stock: totals.stock()[i]!,
        inTransit: totals.inTransit()[i]!,
        offers: s.offers.length,
      };
    },
  };
}

/** Up to this many first entities, a page is taken by selection; further in, by a sort of all. */
const SELECT_UP_TO = 1_000;

/** Every index of a list of `count`, in the order `compare` gives (ties by index). */
function sortAll(count: number, compare: (a: number, b: number) => number): Uint32Array {
  const all = new Uint32Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  return all.sort((a, b) => compare(a, b) || a - b);
}

/**
 * The indices of the entities at `offset` to `offset + limit - 1` in the order `compare`
 * gives (ties by index), and the turn that order is from. Near the top (the pages a reader
 * asks for) the first `offset + limit` are selected in one pass, each entity compared with
 * the last one kept and inserted only when it goes before it (a few hundred insertions in
 * 100,000 entities); deeper pages read a sort of every index, kept in `cache` for reuse.
 */
function pageOrder(
  count: number,
  compare: (a: number, b: number) => number,
  offset: number,
  limit: number,
  deep: (sort: () => Uint32Array) => SortedOrder,
): { indices: number[]; sortedAtTurn: number | null } {
  const order = (a: number, b: number) => compare(a, b) || a - b;
  const wanted = Math.min(count, offset + limit);
  if (wanted > SELECT_UP_TO) {
    const sorted = deep(() => sortAll(count, compare));
    return { indices: Array.from(sorted.order.subarray(offset, offset + limit)), sortedAtTurn: sorted.turn };
  }
  const kept: number[] = [];
  for (let i = 0; i < count; i++) {
    if (kept.length === wanted && order(i, kept[wanted - 1]!) >= 0) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(kept[mid]!, i) < 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, i);
    if (kept.length > wanted) kept.pop();
  }
  return { indices: kept.slice(offset), sortedAtTurn: null };
}

/**
 * A page of one entity list from the live world, sorted by `sort` (a field of
 * ENTITY_SORT_FIELDS) in `order`; at most ENTITY_PAGE_MAX rows. Money in currency units.
 * Deep pages reuse the whole-list sorts kept in `cache` (one per turn loop).
 */
export function listEntities(
  world: WorldView,
  thresholds: Thresholds,
  query: EntityQuery,
  cache: SortCache = createSortCache(),
): EntityPage {
  const { kind, sort, order, offset, limit } = query;
  const fields: readonly string[] = ENTITY_SORT_FIELDS[kind];
  if (!fields.includes(sort)) throw new ServicesErrors.TRADESIM_ERR_SORT_UNKNOWN(kind, sort, fields);
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > ENTITY_PAGE_MAX) {
    throw new ServicesErrors.TRADESIM_ERR_PAGE_INVALID(offset, limit, ENTITY_PAGE_MAX);
  }
  const table =
    kind === 'companies'
      ? companyTable(world, thresholds)
      : kind === 'products'
        ? productTable(world)
        : supplierTable(world);
  const sign = order === 'asc' ? 1 : -1;
  let compare: (a: number, b: number) => number;
  if (sort === 'name') {
    compare = (a, b) => {
      const x = table.name(a);
      const y = table.name(b);
      return x < y ? -sign : x > y ? sign : 0;
    };
  } else {
    // The column is copied on first use only: a deep page whose order is kept needs none.
    let column: Float64Array | undefined;
    compare = (a, b) => {
      column ??= table.column(sort);
      return sign * (column[a]! - column[b]!);
    };
  }
  const { indices, sortedAtTurn } =
    offset >= table.count
      ? { indices: [], sortedAtTurn: null }
      : pageOrder(table.count, compare, offset, limit, (sortAllNow) =>
          cache.order(`${kind}/${sort}/${order}`, world.turn, table.count, sortAllNow),
        );
  return {
    kind,
    turn: world.turn,
    ...(sortedAtTurn !== null && sortedAtTurn !== world.turn ? { sortedAtTurn } : {}),
    total: table.count,
    sort,
    order,
    offset,
    limit,
    rows: indices.map((i) => table.row(i)),
  };
}
