import { describe, expect, it } from 'vitest';
import { ENTITY_PAGE_MAX, ENTITY_SORT_FIELDS, type EntityKind } from '../../../src/services/index.js';
import { loopFor } from '../../monitoring/fixtures.js';

const page = (kind: EntityKind, sort: string, order: 'asc' | 'desc', offset = 0, limit = 20) =>
  loopFor('default', 4, 30).entities({ kind, sort, order, offset, limit });

describe('entity lists', () => {
  it('lists companies with their figures, sorted by budget, highest first', () => {
    // The small world, so one page holds every company.
    const service = loopFor('classic', 4, 30);
    const result = service.entities({ kind: 'companies', sort: 'budget', order: 'desc', offset: 0, limit: 20 });
    expect(result).toMatchObject({ kind: 'companies', turn: 30, total: 3, sort: 'budget', order: 'desc' });
    expect(result.rows).toHaveLength(3);
    const budgets = result.rows.map((r) => r.budget as number);
    expect(budgets).toEqual([...budgets].sort((a, b) => b - a));
    // The figures are the services' own: the sum of budgets is the budget service's total.
    expect(budgets.reduce((a, b) => a + b, 0)).toBeCloseTo(service.latest()!.budget.total, 2);
    expect(Object.keys(result.rows[0]!)).toEqual([
      'id',
      'name',
      'country',
      'continent',
      'strategy',
      'active',
      'state',
      'budget',
      'initialBudget',
      'spent',
      'purchases',
      'inventory',
    ]);
  });

  it("lists a product's price as the product service reads it, not rounded to cents", () => {
    const service = loopFor('classic', 4, 30);
    const rows = service.entities({ kind: 'products', sort: 'unitsSold', order: 'desc', offset: 0, limit: 20 }).rows;
    for (const top of service.latest()!.product.topBySales) {
      expect(rows.find((r) => r.id === top.id)?.price).toBe(top.price);
    }
  });

  it('sorts every list by each of its fields, both ways', () => {
    for (const kind of ['companies', 'products', 'suppliers'] as const) {
      for (const sort of ENTITY_SORT_FIELDS[kind]) {
        for (const order of ['asc', 'desc'] as const) {
          const rows = page(kind, sort, order, 0, ENTITY_PAGE_MAX).rows.map((r) => r[sort] as number | string);
          const sorted = [...rows].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(rows, `${kind} by ${sort} ${order}`).toEqual(order === 'asc' ? sorted : sorted.reverse());
        }
      }
    }
  });

  it('pages: offset and limit cut the sorted list, and the pages add up to it', () => {
    const whole = page('products', 'unitsSold', 'desc', 0, ENTITY_PAGE_MAX);
    expect(whole.total).toBe(whole.rows.length);
    const parts = [0, 5, 10].flatMap((offset) => page('products', 'unitsSold', 'desc', offset, 5).rows);
    expect(parts.map((r) => r.id)).toEqual(whole.rows.slice(0, 15).map((r) => r.id));
    expect(page('products', 'unitsSold', 'desc', whole.total, 5).rows).toEqual([]);
  });

  it('gives the same order near the top (selected in one pass) and deeper (a sort of all)', () => {
    const service = loopFor('large', 1, 3);
    for (const sort of ['budget', 'name', 'purchases']) {
      const at = (offset: number, limit: number) =>
        service.entities({ kind: 'companies', sort, order: 'desc', offset, limit }).rows.map((r) => r.id);
      // 980-999 and 1000-1019 are taken each way; 980-1019 only by a sort of all.
      expect([...at(980, 20), ...at(1000, 20)], sort).toEqual(at(980, 40));
      expect(at(0, 100).slice(50), sort).toEqual(at(50, 50));
    }
  });

  it('sums stock and units in transit per product and per supplier from the offers', () => {
    const service = loopFor('default', 4, 30);
    const products = service.entities({ kind: 'products', sort: 'stock', order: 'desc', offset: 0, limit: 100 });
    const suppliers = service.entities({ kind: 'suppliers', sort: 'stock', order: 'desc', offset: 0, limit: 100 });
    const total = service.latest()!.supplier.totalStock;
    expect(products.rows.reduce((a, r) => a + (r.stock as number), 0)).toBe(total);
    expect(suppliers.rows.reduce((a, r) => a + (r.stock as number), 0)).toBe(total);
    const transit = service.latest()!.market.inTransit;
    expect(products.rows.reduce((a, r) => a + (r.inTransit as number), 0)).toBe(transit);
    expect(suppliers.rows.reduce((a, r) => a + (r.inTransit as number), 0)).toBe(transit);
  });

  it('refuses an unknown field and a page out of bounds', () => {
    expect(() => page('companies', 'price', 'desc')).toThrow(
      "sort: companies cannot be sorted by 'price' (one of budget, initialBudget, spent, purchases, inventory, name)",
    );
    expect(() => page('companies', 'budget', 'desc', 0, ENTITY_PAGE_MAX + 1)).toThrow(/limit one from 1 to 100/);
    expect(() => page('companies', 'budget', 'desc', -1, 5)).toThrow(/offset must be an integer >= 0/);
    expect(() => page('companies', 'budget', 'desc', 0, 0)).toThrow(/limit one from 1 to 100/);
  });
});
