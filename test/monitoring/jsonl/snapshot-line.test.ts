import { describe, expect, it } from 'vitest';
import { createSnapshotLine, linesLeaveOut, serializeSnapshotLine } from '../../../src/monitoring/index.js';
import { buildLineObject } from '../../../src/monitoring/jsonl/line-shape.js';
import { LINE_TOP_ENTRIES, roundLineNumbers } from '../../../src/monitoring/jsonl/snapshot-line.js';
import { referenceLine } from './line-reference.js';
import type { TurnSnapshot } from '../../../src/services/index.js';
import { loopFor } from '../fixtures.js';

const linesOf = (scenario: string, seed: number, turns: number) => {
  const loop = loopFor(scenario, seed, 0);
  const out: string[] = [];
  loop.subscribe((s) => {
    out.push(serializeSnapshotLine(s, undefined));
  });
  for (let i = 0; i < turns; i++) loop.runTurn();
  return out;
};

describe('the JSONL line of a turn', () => {
  it('has the documented envelope', () => {
    const [first] = linesOf('default', 3, 1);
    expect(first!.endsWith('\n')).toBe(true);
    const line = JSON.parse(first!);
    expect(Object.keys(line)).toEqual(['v', 'run', 'seed', 'turn', 'time', 'business', 'alerts', 'system']);
    expect(line).toMatchObject({ v: 1, seed: 3, turn: 1 });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(Object.keys(line.business)).toEqual([
      'scenario',
      'budget',
      'company',
      'product',
      'supplier',
      'transaction',
      'event',
      'market',
      'slo',
    ]);
    expect(Object.keys(line.business.slo)).toEqual(['goodTotal', 'eventsTotal', 'errorBudgetRemaining']);
    expect(line.business.budget).toHaveProperty('companiesByState');
    // Figures computed only on read (a sort of every budget, window scans) stay out of lines.
    expect(line.business.budget).not.toHaveProperty('gini');
    expect(line.business.budget).not.toHaveProperty('median');
    expect(line.business.transaction).not.toHaveProperty('window');
    expect(line.business.product).not.toHaveProperty('volatility');
    expect(line.system.performance).toHaveProperty('turnSeconds');
  });

  it('has identical business figures and alerts for the same scenario and seed', () => {
    const pick = (text: string) => {
      const { business, alerts, turn, seed } = JSON.parse(text);
      return { business, alerts, turn, seed };
    };
    const a = linesOf('crisis', 9, 60).map(pick);
    const b = linesOf('crisis', 9, 60).map(pick);
    expect(a).toEqual(b);
    expect(linesOf('crisis', 10, 60).map(pick)).not.toEqual(a);
    // Run ids and times differ between the runs; they are kept out of `business`.
    expect(JSON.stringify(a)).not.toContain('"run"');
  });

  it('is, key for key and in order, the line object with its numbers rounded', () => {
    const system = {
      processCpu: 1 / 3,
      machineCpu: 0.123456789,
      processRssBytes: 123_456_789,
      processHeapUsedBytes: 45_678_901,
      processHeapTotalBytes: 56_789_012,
      machineMemoryUsedBytes: 9_876_543_210,
      machineMemoryTotalBytes: 25_000_000_000,
      sampledAtMs: 1_700_000_000_000,
    };
    // Default, a crisis, and a drained market whose alerts go pending and fire.
    const drained = {
      companies: { budgetMin: 800, budgetMax: 800 },
      market: { selectionProbability: 1, quantityMin: 20, quantityMax: 20 },
    };
    let withAlerts = 0;
    let compared = 0;
    for (const [scenario, seed] of [
      ['default', 1],
      ['crisis', 4],
      [drained, 5],
    ] as const) {
      const loop = loopFor(scenario, seed, 0);
      const snapshots: TurnSnapshot[] = [];
      loop.subscribe((snap) => {
        snapshots.push(snap);
      });
      for (let i = 0; i < 80; i++) loop.runTurn();
      for (const [i, snap] of snapshots.entries()) {
        const sample = i % 2 === 0 ? system : undefined;
        const reference = referenceLine(snap, sample);
        expect(serializeSnapshotLine(snap, sample)).toBe(reference);
        if (snap.alerts.active.length > 0) withAlerts += 1;
        compared += 1;
      }
    }
    expect(compared).toBe(240);
    expect(withAlerts).toBeGreaterThan(10);
  });

  it('writes the time as toISOString does, across seconds and for odd clocks', () => {
    const snap = loopFor('default', 2, 1).latest()!;
    const times = [
      1_700_000_000_123, 1_700_000_000_999, 1_700_000_001_000, 1_700_000_001_005, 1_700_000_061_050, 0, 7, 1_234.5,
    ];
    for (const publishedAtMs of times) {
      const line = JSON.parse(serializeSnapshotLine({ ...snap, publishedAtMs }, undefined));
      expect(line.time).toBe(new Date(publishedAtMs).toISOString());
    }
  });

  it('writes non-finite numbers as null, as JSON.stringify does', () => {
    const loop = loopFor('default', 2, 1);
    const snap = loop.latest()!;
    const broken = {
      ...snap,
      budget: { ...snap.budget, mean: Number.NaN, max: Number.POSITIVE_INFINITY },
    } as TurnSnapshot;
    const line = JSON.parse(serializeSnapshotLine(broken, undefined));
    expect(line.business.budget.mean).toBeNull();
    expect(line.business.budget.max).toBeNull();
  });

  it('leaves the orders that wait out of every line of a run where no order can wait, and only then', () => {
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
    const classic = loopFor('classic', 3, 0);
    const leftOut = linesLeaveOut(classic.config.scenario, 0);
    expect(leftOut).toEqual(['market.orders']);
    expect(linesLeaveOut(loopFor('default', 3, 0).config.scenario, 0)).toEqual([]);
    // A fork into patience 0 of a run whose orders waited cancels them in its first turn: kept.
    expect(linesLeaveOut(classic.config.scenario, 3)).toEqual([]);
    const write = createSnapshotLine(leftOut);
    for (let i = 0; i < 30; i++) {
      const snap = classic.runTurn();
      // The figures are still there (the SLOs count from them): the line leaves them out.
      expect(snap.market.orders.served).toBe(snap.transaction.successes);
      expect(snap.market.orders.decided).toBe(snap.transaction.successes);
      expect(snap.market.orders.placedTotal).toBe(0);
      const line = text(write(snap, undefined));
      expect(JSON.parse(line).business.market).not.toHaveProperty('orders');
      expect(JSON.parse(line).business.market).toHaveProperty('fillRate');
      const reference = buildLineObject(snap, undefined, LINE_TOP_ENTRIES, leftOut);
      expect(line).toBe(`${JSON.stringify(reference, roundLineNumbers)}\n`);
      expect(Buffer.byteLength(line)).toBeLessThan(Buffer.byteLength(serializeSnapshotLine(snap, undefined)) - 400);
    }
  });

  // 4 KB until the orders that wait (market.orders) and their two SLOs added ~600 bytes.
  it('stays under 5 KB on the stress world', () => {
    const lines = linesOf('stress', 1, 12);
    for (const text of lines) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(5_120);
  });
});
