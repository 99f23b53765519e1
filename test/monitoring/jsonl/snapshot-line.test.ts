import { describe, expect, it } from 'vitest';
import { serializeSnapshotLine } from '../../../src/monitoring/index.js';
import { serviceFor } from '../fixtures.js';

const linesOf = (scenario: string, seed: number, turns: number) => {
  const service = serviceFor(scenario, seed, 0);
  const out: string[] = [];
  service.subscribe((s) => {
    out.push(serializeSnapshotLine(s, undefined));
  });
  for (let i = 0; i < turns; i++) service.runTurn();
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
    expect(Object.keys(line.business)).toEqual(['scenario', 'budget', 'company', 'product', 'supplier', 'transaction', 'event']);
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

  it('stays under 4 KB on the stress world', () => {
    const lines = linesOf('stress', 1, 12);
    for (const text of lines) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4_096);
  });
});
