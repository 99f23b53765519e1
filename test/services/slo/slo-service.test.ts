import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../src/simulation/index.js';
import {
  createTurnLoop,
  DEFAULT_SLOS,
  loadRunConfig,
  runRules,
  type Slo,
  turnsOf,
} from '../../../src/services/index.js';
import { sloService } from '../../../src/services/slo/slo-service.js';

const slo: Slo = { name: 'fill', good: 'x.good', total: 'x.total', objective: 0.9, window: '2h', description: '' };

/** Feeds (good, total) turn by turn to the service and returns each turn's figures. */
function feed(turns: readonly (readonly [number, number])[], turnMinutes?: number) {
  const service = sloService([slo], turnMinutes);
  const window = {} as never;
  return turns.map(([good, total]) => service.compute({} as never, { x: { good, total } }, window));
}

describe('the SLO service', () => {
  it('turns durations into turns: a minute a turn without a calendar, else by turnMinutes', () => {
    expect([turnsOf('5m'), turnsOf('1h'), turnsOf('3d'), turnsOf('30d')]).toEqual([5, 60, 4_320, 43_200]);
    expect([turnsOf('5m', 60), turnsOf('1h', 60), turnsOf('2h', 60), turnsOf('30d', 60)]).toEqual([1, 1, 2, 720]);
  });

  it('counts no more good events than events, and none below 0 (good and total from unrelated figures)', () => {
    // A "good" figure larger than its "total" (budget.total over budget.solvent, say), then negative ones.
    const turns = [
      [3_227_302, 3],
      [-5, 2],
      [4, -1],
    ] as const;
    const figures = feed(turns);
    for (const f of figures) {
      expect(f.errorBudgetRemaining.fill).toBeLessThanOrEqual(1);
      expect(Number.isNaN(f.sli.fill!) || f.sli.fill! <= 1).toBe(true);
    }
    expect(figures.at(-1)!.goodTotal.fill).toBe(3);
    expect(figures.at(-1)!.eventsTotal.fill).toBe(5);
  });

  it('computes the SLI, the budget left and each burn rate over its window of turns', () => {
    // 60 good turns of 10 events, then 10 turns with 5 bad out of 10.
    const turns = [
      ...Array.from({ length: 60 }, () => [10, 10] as const),
      ...Array.from({ length: 10 }, () => [5, 10] as const),
    ];
    const last = feed(turns).at(-1)!;
    // 5m: 25 bad of 50 -> 0.5 / 0.1 = 5; 1h (60 turns): 50 bad of 600.
    expect(last.burnRate.fill!['5m']).toBeCloseTo(5, 10);
    expect(last.burnRate.fill!['1h']).toBeCloseTo(50 / 600 / 0.1, 10);
    // The SLO window (2h = 120 turns) holds all 70 turns: 650 good of 700.
    expect(last.sli.fill).toBeCloseTo(650 / 700, 12);
    expect(last.errorBudgetRemaining.fill).toBeCloseTo(1 - 50 / 700 / 0.1, 10);
    expect([last.goodTotal.fill, last.eventsTotal.fill, last.good.fill, last.total.fill]).toEqual([650, 700, 5, 10]);
  });

  it('fires a burn alert only once its long window is full of turns and both windows burn past the factor', () => {
    const allBad = Array.from({ length: 70 }, () => [0, 10] as const);
    const page = feed(allBad).map((f) => f.alerts.fill!.page1h);
    // Burn 10 everywhere (all bad, objective 0.9): below 14.4, never pages.
    expect(page.every((v) => v === 0)).toBe(true);
    const strict = sloService([{ ...slo, objective: 0.99 }]);
    const flags = allBad.map(([g, t]) => strict.compute({} as never, { x: { good: g, total: t } }, {} as never));
    const fired = flags.map((f) => f.alerts.fill!.page1h);
    // Burning 100x from turn 1, it pages from turn 60 (the 1 h window full), not before.
    expect(fired.indexOf(1)).toBe(59);
    expect(flags[10]!.burnRate.fill!['1h']).toBeCloseTo(100, 10);
  });

  it('reads windows with no event as absent (NaN), as PromQL reads 0 / 0', () => {
    const [first] = feed([[0, 0]]);
    expect(first!.sli.fill).toBeNaN();
    expect(first!.burnRate.fill!['5m']).toBeNaN();
    expect(first!.alerts.fill!.page1h).toBe(0);
  });

  it('names the lowest budget left and the fastest 1 h burn of the SLOs, skipping an SLO without events', () => {
    const other: Slo = { ...slo, name: 'other', good: 'y.good', total: 'y.total' };
    const service = sloService([slo, other]);
    const at = (x: [number, number], y: [number, number]) =>
      service.compute({} as never, { x: { good: x[0], total: x[1] }, y: { good: y[0], total: y[1] } }, {} as never);
    const first = at([9, 10], [0, 0]);
    expect(first.lowestBudgetRemaining).toBeCloseTo(1 - 0.1 / 0.1, 10);
    expect(first.fastestBurnRate1h).toBeCloseTo(1, 10);
    const second = at([10, 10], [5, 10]);
    expect(second.lowestBudgetRemaining).toBe(second.errorBudgetRemaining.other);
    expect(second.fastestBurnRate1h).toBe(second.burnRate.other!['1h']);
    expect(sloService([]).compute({} as never, {}, {} as never).lowestBudgetRemaining).toBeNaN();
  });

  it('counts windows in turns of the calendar when the scenario has one', () => {
    // 60 minutes a turn: the 5 m and 1 h windows are one turn, 6 h six turns.
    const figures = feed(
      [
        [10, 10],
        [10, 10],
        [0, 10],
      ],
      60,
    ).at(-1)!;
    expect(figures.burnRate.fill!['5m']).toBeCloseTo(10, 10);
    expect(figures.burnRate.fill!['6h']).toBeCloseTo(10 / 30 / 0.1, 10);
  });
});

describe('the default SLOs on crisis', () => {
  it("page on the solvency SLO's 6 h / 30 m pair in the credit freeze and resolve, never before the first shock, on at least 9 of seeds 1-10", () => {
    const config = loadRunConfig(readFileSync('scenarios/crisis.json', 'utf8'));
    expect(config.slos).toEqual(DEFAULT_SLOS);
    expect(runRules(config).filter((r) => r.name.startsWith('slo_'))).toHaveLength(4 * DEFAULT_SLOS.length);
    const paged: number[] = [];
    for (let seed = 1; seed <= 10; seed++) {
      const loop = createTurnLoop({ simulation: createSimulation(config.scenario, seed), config });
      let fired: number | undefined;
      let resolved: number | undefined;
      let early = false;
      for (let t = 0; t < 1_300; t++) {
        for (const e of loop.runTurn().alerts.transitions) {
          // No solvency page before the recall (turn 400), the first shock.
          if (e.rule.startsWith('slo_solvency_page') && e.to === 'firing' && e.turn < 400) early = true;
          if (e.rule !== 'slo_solvency_page_6h') continue;
          if (e.to === 'firing' && fired === undefined && e.turn >= 920) fired = e.turn;
          if (e.from === 'firing' && fired !== undefined && resolved === undefined) resolved = e.turn;
        }
      }
      if (!early && fired !== undefined && fired <= 1_070 && resolved !== undefined) paged.push(seed);
    }
    expect(paged.length).toBeGreaterThanOrEqual(9);
  });
});
