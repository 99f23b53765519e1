/*
 * Whether a decoded checkpoint's entity records (its products, suppliers and companies) and
 * empty company slots are those of a world: each record an object of its kind's fields, at
 * its own index, with names from their lists and indices in range; money in whole cents a
 * double holds exactly (refills stop at 2^51 today; a world saved before went up to 2^53). Checked after the world's shape (world-shape.ts), before any turn.
 */
import { CONTINENTS, PRODUCT_TYPES, STRATEGIES } from './types.js';

type Data = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Data =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);

const isIndex = (value: unknown, size: number): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) < size;

const oneOf = (value: unknown, names: readonly string[]): boolean => names.includes(value as string);

/** The fields every record shares: its index (its place), an id and a name. */
function identityProblem(record: Data, at: number): string | undefined {
  if (record.index !== at) return `index ${String(record.index)}, expected ${at}`;
  if (typeof record.id !== 'string' || typeof record.name !== 'string') return 'id and name must be strings';
  return undefined;
}

function productProblem(record: Data): string | undefined {
  if (!oneOf(record.type, PRODUCT_TYPES) || record.typeIndex !== PRODUCT_TYPES.indexOf(record.type as never)) {
    return `type ${String(record.type)} and typeIndex ${String(record.typeIndex)} do not name a product type`;
  }
  const price = record.basePrice;
  return typeof price === 'number' && Number.isFinite(price) && price >= 0 ? undefined : 'basePrice: not a price';
}

function supplierProblem(record: Data, offers: number): string | undefined {
  if (typeof record.country !== 'string' || !oneOf(record.continent, CONTINENTS)) return 'not a place';
  const list = record.offers;
  if (!Array.isArray(list) || !list.every((o) => isIndex(o, offers))) return `offers: not indices of 0..${offers - 1}`;
  return undefined;
}

function companyProblem(record: Data): string | undefined {
  if (typeof record.country !== 'string' || !oneOf(record.continent, CONTINENTS)) return 'not a place';
  if (!oneOf(record.strategy, STRATEGIES))
    return `strategy ${String(record.strategy)} is not one of ${STRATEGIES.join(', ')}`;
  const types = record.preferredTypes;
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => isIndex(t, PRODUCT_TYPES.length))) {
    return 'preferredTypes: not product type indices';
  }
  const budget = record.initialBudgetCents;
  return Number.isSafeInteger(budget) && (budget as number) >= 0
    ? undefined
    : 'initialBudgetCents: not a budget in cents';
}

/** The first record of `list` that is not one of its kind, in words; undefined when all are. */
function firstBadRecord(
  field: string,
  list: readonly unknown[],
  problem: (record: Data) => string | undefined,
): string | undefined {
  for (let at = 0; at < list.length; at++) {
    const record = list[at];
    const why = isRecord(record) ? (identityProblem(record, at) ?? problem(record)) : 'expected an object';
    if (why !== undefined) return `world.${field}[${at}]: ${why}`;
  }
  return undefined;
}

/** The first money field (cents) past 2^53, where whole cents are no longer exact, in words. */
function moneyProblem(data: Data): string | undefined {
  const beyond = (cents: unknown) => typeof cents === 'number' && Math.abs(cents) > Number.MAX_SAFE_INTEGER;
  const budgets = data.budgetCents as Float64Array;
  const at = budgets.findIndex(beyond);
  if (at >= 0) return `world.budgetCents[${at}]: ${budgets[at]} cents, past 2^53 where cents are no longer exact`;
  if (beyond(data.householdCents)) {
    return `world.householdCents: ${String(data.householdCents)} cents, past 2^53 where cents are no longer exact`;
  }
  return undefined;
}

/** The empty company slots: distinct company indices, each of a company out of the market. */
function vacantProblem(data: Data, companies: number): string | undefined {
  const vacant = data.vacant as readonly unknown[];
  const active = data.companyActive as Uint8Array;
  const seen = new Set<number>();
  for (const slot of vacant) {
    if (!isIndex(slot, companies) || seen.has(slot) || active[slot] === 1) {
      return `world.vacant: ${String(slot)} is not an empty company slot of 0..${companies - 1}, listed once`;
    }
    seen.add(slot);
  }
  return undefined;
}

/**
 * Why the entity records, empty slots or money of a world whose fields have their shapes
 * (worldShapeProblems found none) are not a world's; empty when they are.
 */
export function entityProblems(data: Data): string[] {
  const offers = (data.offerStock as Float64Array).length;
  const companies = (data.companies as unknown[]).length;
  const found = [
    firstBadRecord('products', data.products as unknown[], productProblem),
    firstBadRecord('suppliers', data.suppliers as unknown[], (r) => supplierProblem(r, offers)),
    firstBadRecord('companies', data.companies as unknown[], companyProblem),
    vacantProblem(data, companies),
    moneyProblem(data),
  ];
  return found.filter((problem): problem is string => problem !== undefined);
}
