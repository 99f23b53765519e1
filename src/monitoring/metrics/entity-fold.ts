import { round, type TurnSnapshot } from '../../services/index.js';
import { OTHER_LABEL } from './metric-labels.js';

/** One labelled value of a per-entity family. */
// A labelled value, shaped like other small records (alert events, order tallies) by chance.
export interface EntitySample {
  readonly id: string;
  readonly name: string;
  readonly value: number;
}

/** The per-entity series of the snapshot, folded to at most `budget` series per family. */
export interface FoldedEntities {
  readonly companySpent: readonly EntitySample[];
  readonly companyBudget: readonly EntitySample[];
  readonly productUnitsSold: readonly EntitySample[];
  readonly productPrice: readonly EntitySample[];
  readonly supplierUnitsSold: readonly EntitySample[];
  readonly supplierStock: readonly EntitySample[];
}

const other = (value: number): EntitySample => ({
  id: OTHER_LABEL,
  name: OTHER_LABEL,
  value: Math.max(0, round(value, 6)),
});

/**
 * Keeps the top `budget - 1` companies by spend, products and suppliers by units sold under their own
 * labels and folds the rest into one `__other__` series (a sum, or for prices the mean), so a
 * family never has more than `budget` series whatever the world's size.
 */
export function foldEntities(snapshot: TurnSnapshot, budget: number): FoldedEntities {
  // The four per-entity families of one scrape read the same fold.
  const cached = memo.get(snapshot);
  if (cached?.budget === budget) return cached.folded;
  const folded = fold(snapshot, budget);
  memo.set(snapshot, { budget, folded });
  return folded;
}

const memo = new WeakMap<TurnSnapshot, { budget: number; folded: FoldedEntities }>();

/** The listed entities with `value`, then `__other__` holding what they leave of `total`. */
function foldSum<T extends { readonly id: string; readonly name: string }>(
  listed: readonly T[],
  value: (entity: T) => number,
  total: number,
): EntitySample[] {
  let sum = 0;
  const out = listed.map((e) => {
    const v = value(e);
    sum += v;
    return { id: e.id, name: e.name, value: v };
  });
  out.push(other(total - sum));
  return out;
}

function fold(snapshot: TurnSnapshot, budget: number): FoldedEntities {
  const keep = Math.max(0, budget - 1);
  const companies = snapshot.company.topBySpend.slice(0, keep);
  const products = snapshot.product.topBySales.slice(0, keep);
  const suppliers = snapshot.supplier.topBySales.slice(0, keep);
  let prices = 0;
  for (const p of products) prices += p.price;
  const restCount = snapshot.product.count - products.length;
  const restPriceSum = snapshot.product.price.mean * snapshot.product.count - prices;
  return {
    companySpent: foldSum(companies, (c) => c.spent, snapshot.transaction.totals.amount),
    companyBudget: foldSum(companies, (c) => c.budget, snapshot.budget.total),
    productUnitsSold: foldSum(products, (p) => p.unitsSold, snapshot.product.unitsSoldTotal),
    // Prices do not add up: the rest is their mean, and there is none with no rest.
    productPrice: [
      ...products.map((p) => ({ id: p.id, name: p.name, value: p.price })),
      ...(restCount > 0 ? [other(restPriceSum / restCount)] : []),
    ],
    supplierUnitsSold: foldSum(suppliers, (s) => s.unitsSold, snapshot.supplier.unitsSoldTotal),
    supplierStock: foldSum(suppliers, (s) => s.stock, snapshot.supplier.totalStock),
  };
}
