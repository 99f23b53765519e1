import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, loadScenario, type Simulation, type TurnReport } from '../../src/simulation/index.js';
import { inWeightedSlices, type SliceBudget } from '../../src/simulation/turn-slices.js';

const scenario = (name: string) => loadScenario(readFileSync(`scenarios/${name}.json`, 'utf8'));

/** Plays `turns` turns in slices of `units` items (Infinity: one slice a turn); the slices played a turn. */
function play(sim: Simulation, turns: number, units: number): { reports: TurnReport[]; slices: number[] } {
  const reports: TurnReport[] = [];
  const slices: number[] = [];
  for (let i = 0; i < turns; i++) {
    const turn = sim.begin();
    let n = 1;
    let report = turn.advance(units);
    while (!report) {
      expect(sim.turn).toBe(turn.turn - 1);
      report = turn.advance(units);
      n += 1;
    }
    reports.push(report);
    slices.push(n);
  }
  return { reports, slices };
}

/**
 * A digest of the reports and the values of the whole state after them: the business bytes of
 * a run. Values, not V8's serialization, which writes a number by how the engine happens to
 * hold it (small integer or double), so equal states could differ by compiler timing.
 */
function digest(sim: Simulation, reports: readonly TurnReport[]): string {
  const values = (_key: string, value: unknown) =>
    ArrayBuffer.isView(value)
      ? Array.from(value as unknown as ArrayLike<number>, String)
      : typeof value === 'number'
        ? String(value)
        : value;
  return createHash('sha256').update(JSON.stringify(reports)).update(JSON.stringify(sim.state(), values)).digest('hex');
}

describe('a turn played in slices', () => {
  for (const [name, turns, units] of [
    ['default', 60, 7],
    ['crisis', 60, 13],
    ['large', 4, 997],
  ] as const) {
    it(`plays the same bytes as one slice a turn on ${name}`, () => {
      const whole = createSimulation(scenario(name), 11);
      const one = play(whole, turns, Number.POSITIVE_INFINITY);
      const sliced = createSimulation(scenario(name), 11);
      const many = play(sliced, turns, units);
      expect(one.slices.every((n) => n === 1)).toBe(true);
      // Slices small enough to cut every loop of every turn, many times.
      expect(Math.min(...many.slices)).toBeGreaterThan(10);
      expect(digest(sliced, many.reports)).toBe(digest(whole, one.reports));
      const stepped = createSimulation(scenario(name), 11);
      const reports = Array.from({ length: turns }, () => stepped.step());
      expect(digest(stepped, reports)).toBe(digest(whole, one.reports));
    });
  }

  it('counts the turn done only at its last slice, and refuses the world between slices', () => {
    const sim = createSimulation(scenario('default'), 3);
    const turn = sim.begin();
    expect(turn.turn).toBe(1);
    expect(turn.advance(5)).toBeUndefined();
    expect(turn.played).toBe(5);
    expect(sim.turn).toBe(0);
    const inProgress = { code: 'TRADESIM_ERR_TURN_IN_PROGRESS' };
    expect(() => sim.state()).toThrow(expect.objectContaining(inProgress));
    expect(() => sim.begin()).toThrow(expect.objectContaining(inProgress));
    expect(() => sim.step()).toThrow(expect.objectContaining(inProgress));
    expect(() => sim.endShock(0)).toThrow(expect.objectContaining(inProgress));
    const report = turn.advance(Number.POSITIVE_INFINITY);
    expect(report?.turn).toBe(1);
    expect(sim.turn).toBe(1);
    expect(turn.advance(1)).toBe(report);
    expect(() => sim.state()).not.toThrow();
  });

  it('cuts a loop of unequal items where their weights fill the budget, in order', () => {
    // Weights as a product's queue of waiting orders gives them: 1 + its orders.
    const weights = [1, 5, 1, 1, 10, 1];
    const budget: SliceBudget = { left: 0, played: 0 };
    const ranges: [number, number][] = [];
    const loop = inWeightedSlices(
      weights.length,
      budget,
      (i) => weights[i]!,
      (from, to) => ranges.push([from, to]),
    );
    let yields = 0;
    for (let step = loop.next(); !step.done; step = loop.next()) {
      budget.left = 4;
      yields += 1;
    }
    // It yields on the empty budget it starts with, then between its three slices of 4.
    expect(yields).toBe(3);
    expect(ranges).toEqual([
      [0, 2],
      [2, 5],
      [5, 6],
    ]);
    expect(budget.played).toBe(19);
    // One slice a turn: the whole loop in one range.
    const whole: [number, number][] = [];
    const all = { left: Number.POSITIVE_INFINITY, played: 0 };
    expect(
      inWeightedSlices(
        6,
        all,
        (i) => weights[i]!,
        (from, to) => whole.push([from, to]),
      ).next().done,
    ).toBe(true);
    expect(whole).toEqual([[0, 6]]);
  });
});
