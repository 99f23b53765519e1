import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patchedScenario, runOne, type SweepTask } from '../../../src/cli/sweep/run-one.js';
import { DEFAULT_ALERT_RULES, loadRunConfig, runRules } from '../../../src/services/index.js';

const crisis = readFileSync('scenarios/crisis.json', 'utf8');
const task = (overrides: Partial<SweepTask> = {}): SweepTask => ({
  index: 3,
  scenario: 'crisis',
  scenarioText: crisis,
  seed: 7,
  turns: 1_000,
  params: {},
  rules: DEFAULT_ALERT_RULES.map((r) => r.name),
  ...overrides,
});

describe('one run of a sweep', () => {
  it("sums a crisis run up: finals, extremes, each rule's first firing and count", () => {
    const row = runOne(task());
    expect(row).toMatchObject({ run: 3, scenario: 'crisis', seed: 7, status: 'ok', error: null, turns: 1_000 });
    // The firings of the same run (crisis, seed 7): no critical before the first shock (the
    // recall at 400), no failure-rate firing before it either (a healthy market); the budget's
    // trend fires once, in the credit freeze (from 920).
    expect(row).toMatchObject({
      first_critical_turn: 400,
      first_no_active_product_turn: 400,
      first_budget_critical_turn: 989,
      first_transaction_failure_rate_high_turn: 411,
      firings_transaction_failure_rate_high: 2,
      first_budget_trend_decreasing_turn: 986,
      firings_budget_trend_decreasing: 1,
    });
    expect(row.min_budget_ratio as number).toBeLessThanOrEqual(row.final_budget_ratio as number);
    expect(row.max_budget_ratio as number).toBeGreaterThanOrEqual(row.final_budget_ratio as number);
    expect(row.wall_seconds as number).toBeGreaterThan(0);
  });

  it('leaves a figure with nothing to measure empty (null), never NaN, Infinity or a made-up 0', () => {
    const classic = JSON.parse(readFileSync('scenarios/classic.json', 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    // No purchase ever, and a world that starts with no money (refills bring some).
    classic.market = { ...classic.market, selectionProbability: 0 };
    classic.companies = { ...classic.companies, budgetMin: 0, budgetMax: 0 };
    classic.events = { ...classic.events, interval: 1, budgetRefill: { probability: 1, min: 500, max: 2_000 } };
    const row = runOne(task({ scenario: 'edge', scenarioText: JSON.stringify(classic), turns: 50 }));
    expect(row.status).toBe('ok');
    for (const column of ['final_fill_ratio', 'min_fill_ratio', 'final_paid_price_index', 'final_budget_ratio']) {
      expect(row[column], column).toBeNull();
    }
    expect([row.min_budget_ratio, row.max_budget_ratio]).toEqual([null, null]);
    for (const [column, value] of Object.entries(row)) {
      if (typeof value === 'number') expect(Number.isFinite(value), column).toBe(true);
    }
  });

  it("counts the SLOs' burn-rate alerts as rules, and leaves a rule the run does not have empty, not 0", () => {
    const sloRule = runRules(loadRunConfig(crisis)).find((r) => r.name.startsWith('slo_'))!.name;
    const row = runOne(
      task({ params: { 'alerts.useDefaults': false }, rules: [...task().rules, sloRule], turns: 300 }),
    );
    expect(row.status).toBe('ok');
    expect(row[`firings_${sloRule}`]).toBe(0);
    // The defaults were dropped by the --set: they have no firings to count.
    expect(row.firings_budget_critical).toBeNull();
    expect(row.first_budget_critical_turn).toBeNull();
  });

  it('is the same row for the same task, wall time aside', () => {
    const { wall_seconds: _a, ...one } = runOne(task({ turns: 300 }));
    const { wall_seconds: _b, ...two } = runOne(task({ turns: 300 }));
    expect(one).toEqual(two);
  });

  it('sets dotted parameters on the scenario, and a run the parameters break is an error row', () => {
    expect(
      JSON.parse(patchedScenario('{"market":{"quantityMax":3}}', { 'market.quantityMin': 2, 'a.b': 'x' })),
    ).toEqual({
      market: { quantityMax: 3, quantityMin: 2 },
      a: { b: 'x' },
    });
    const bad = runOne(task({ params: { 'companies.count': 0 } }));
    expect(bad).toMatchObject({ status: 'error', seed: 7, 'companies.count': 0 });
    expect(bad.error).toContain('companies.count');
  });
});
