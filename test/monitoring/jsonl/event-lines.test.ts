import { describe, expect, it } from 'vitest';
import { eventLines } from '../../../src/monitoring/jsonl/event-lines.js';
import { roundLineNumbers } from '../../../src/monitoring/jsonl/snapshot-line.js';
import { createTurnLoop, loadRunConfig } from '../../../src/services/index.js';
import { createSimulation } from '../../../src/simulation/index.js';

/** Plays a scenario and collects every event line, parsed. */
function logOf(scenario: object, turns: number, seed = 1): Record<string, unknown>[] {
  const config = loadRunConfig(JSON.stringify(scenario));
  const simulation = createSimulation(config.scenario, seed);
  const loop = createTurnLoop({ simulation, config });
  const lines: string[] = [];
  loop.subscribe((snapshot, report) => {
    lines.push(...eventLines(snapshot, report, simulation.world));
  });
  for (let i = 0; i < turns; i++) loop.runTurn();
  for (const line of lines) expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
  // Written straight into bytes, a line is still the text JSON.stringify gives its object, numbers rounded.
  for (const line of lines) expect(line).toBe(`${JSON.stringify(JSON.parse(line), roundLineNumbers)}\n`);
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('event log lines', () => {
  it('one per event applied, with its targets by id and name, magnitude and impact', () => {
    const log = logOf(
      {
        companies: { count: 3 },
        events: { interval: 5, budgetRefill: { probability: 1, min: 10, max: 10 }, inflation: { probability: 0 } },
      },
      10,
    );
    const refills = log.filter((l) => l.type === 'budget_refill');
    expect(refills.map((l) => l.turn)).toEqual([5, 10]);
    expect(refills[0]).toMatchObject({ v: 1, kind: 'event', seed: 1, targetCount: 3, magnitude: 30 });
    expect(refills[0]!.targets).toEqual([
      expect.objectContaining({ id: 'C1', value: 10 }),
      expect.objectContaining({ id: 'C2', value: 10 }),
      expect.objectContaining({ id: 'C3', value: 10 }),
    ]);
    const impact = refills[0]!.impact as { before: number; after: number };
    expect(impact.after - impact.before).toBeCloseTo(30, 6);
  });

  it("gives an inflation's magnitude as the JSONL's lastMagnitude does: the mean percent of its targets", () => {
    const config = loadRunConfig(
      JSON.stringify({ events: { interval: 5, inflation: { probability: 1 }, budgetRefill: { probability: 0 } } }),
    );
    const simulation = createSimulation(config.scenario, 3);
    const loop = createTurnLoop({ simulation, config });
    const seen: [number, number][] = [];
    loop.subscribe((snapshot, report) => {
      for (const line of eventLines(snapshot, report, simulation.world)) {
        const event = JSON.parse(line) as { type: string; magnitude: number; targets: { value: number }[] };
        if (event.type !== 'inflation') continue;
        const mean = event.targets.reduce((sum, t) => sum + t.value, 0) / event.targets.length;
        expect(event.magnitude).toBeCloseTo(mean, 5);
        seen.push([event.magnitude, snapshot.event.lastMagnitude.inflation]);
      }
    });
    for (let i = 0; i < 20; i++) loop.runTurn();
    expect(seen.length).toBeGreaterThan(0);
    for (const [logged, figure] of seen) expect(logged).toBeCloseTo(figure, 5);
  });

  it("names a supplier outage's supplier, with the outage's turns", () => {
    const log = logOf(
      {
        suppliers: { count: 3 },
        events: { interval: 5, inflation: { probability: 0 }, supplierOutage: { probability: 1, turnsMin: 7 } },
      },
      5,
    );
    const outages = log.filter((l) => l.type === 'supplier_outage');
    expect(outages).toHaveLength(1);
    expect(outages[0]).toMatchObject({ turn: 5, kind: 'event', targetCount: 1 });
    const [target] = outages[0]!.targets as { id: string; value: number }[];
    expect(target!.id).toMatch(/^S\d+$/);
    expect(target!.value).toBeGreaterThanOrEqual(7);
    expect(outages[0]!.magnitude).toBe(target!.value);
  });

  it('one per shock start and end, and one per exit and entry', () => {
    const log = logOf(
      {
        companies: { count: 2, overheadPercent: 20, bankruptcyTurns: 2, entryTurns: 3 },
        households: { spendRate: 0 },
        events: { inflation: { probability: 0 }, availability: { probability: 0 } },
        timeline: [{ at: 2, shock: 'product_recall', turns: 3, productType: 'consumable' }],
      },
      20,
    );
    const shocks = log.filter((l) => l.kind === 'shock').map((l) => [l.turn, l.type, l.phase]);
    expect(shocks).toEqual([
      [2, 'product_recall', 'start'],
      [5, 'product_recall', 'end'],
    ]);
    const recall = log.find((l) => l.kind === 'shock')!;
    expect((recall.targets as { id: string }[]).every((t) => t.id.startsWith('P'))).toBe(true);
    const exits = log.filter((l) => l.kind === 'exit');
    const entries = log.filter((l) => l.kind === 'entry');
    // The first two leave, two new companies take their slots (and run dry in turn).
    expect(exits.slice(0, 2).map((l) => l.company)).toEqual(['C1', 'C2']);
    expect(entries.slice(0, 2).map((l) => l.company)).toEqual(['C3', 'C4']);
    expect(entries[0]!.turn).toBe((exits[0]!.turn as number) + 3);
  });

  it('writes nothing on a quiet turn and bounds the targets listed', () => {
    expect(logOf({ events: { inflation: { probability: 0 }, availability: { probability: 0 } } }, 30)).toEqual([]);
    const log = logOf(
      {
        companies: { count: 500 },
        events: { interval: 1, budgetRefill: { probability: 1 }, inflation: { probability: 0 } },
      },
      1,
    );
    expect(log[0]).toMatchObject({ targetCount: 500 });
    expect((log[0]!.targets as unknown[]).length).toBe(100);
  });
});
