import { describe, expect, it } from 'vitest';
import { createLineText } from '../../../src/monitoring/jsonl/line-compiler.js';
import { buildLineObject } from '../../../src/monitoring/jsonl/line-shape.js';
import type { TurnSnapshot } from '../../../src/services/index.js';
import { loopFor } from '../fixtures.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('the line writer compiled from the line shape', () => {
  it('writes a figure a service adds, with no edit to the line code', () => {
    const snap = loopFor('default', 2, 3).latest()!;
    const grown = { ...snap, budget: { ...snap.budget, p90: 1234.5, byQuarter: { q1: 1, q2: 2 } } } as TurnSnapshot;
    const line = JSON.parse(text(createLineText(6, 3)(grown, undefined)));
    expect(line.business.budget.p90).toBe(1234.5);
    expect(line.business.budget.byQuarter).toEqual({ q1: 1, q2: 2 });
    expect(buildLineObject(grown, undefined, 3)).toMatchObject({ business: { budget: { p90: 1234.5 } } });
    // Members of the same object keep their order: the new ones come last, as in the figures.
    expect(Object.keys(line.business.budget).slice(-2)).toEqual(['p90', 'byQuarter']);
  });

  it('refuses a list of figures the shape does not declare, naming it', () => {
    const snap = loopFor('default', 2, 1).latest()!;
    const odd = { ...snap, supplier: { ...snap.supplier, bySupplier: [1, 2] } } as TurnSnapshot;
    expect(() => createLineText(6, 3)(odd, undefined)).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_JSONL_LINE_SHAPE' }),
    );
    expect(() => createLineText(6, 3)(odd, undefined)).toThrow(/supplier\.bySupplier/);
  });

  it('cuts top lists to the entries asked for, and keeps every active alert', () => {
    const loop = loopFor({ companies: { count: 40 } }, 5, 10);
    const snap = loop.latest()!;
    const one = JSON.parse(text(createLineText(6, 1)(snap, undefined)));
    const five = JSON.parse(text(createLineText(6, 5)(snap, undefined)));
    expect(one.business.company.topBySpend).toHaveLength(1);
    expect(five.business.company.topBySpend).toHaveLength(5);
    expect(five.business.company.topBySpend[0]).toEqual({
      id: snap.company.topBySpend[0]!.id,
      name: snap.company.topBySpend[0]!.name,
      spent: snap.company.topBySpend[0]!.spent,
      budget: snap.company.topBySpend[0]!.budget,
      purchases: snap.company.topBySpend[0]!.purchases,
    });
    expect(one.alerts).toHaveLength(snap.alerts.active.length);
  });

  it('writes the same text for figures handed over again, and new text when they change', () => {
    const snap = loopFor('default', 2, 1).latest()!;
    const write = createLineText(6, 3);
    const first = JSON.parse(text(write(snap, undefined)));
    expect(JSON.parse(text(write(snap, undefined))).business.event).toEqual(first.business.event);
    const counts = { ...snap.event.counts, restock: 99 };
    const changed = JSON.parse(text(write({ ...snap, event: { ...snap.event, counts } }, undefined)));
    expect(changed.business.event.counts.restock).toBe(99);
  });
});
