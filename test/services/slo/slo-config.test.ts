import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOS, loadRunConfig, runRules } from '../../../src/services/index.js';
import type { TradeSimError } from '../../../src/simulation/index.js';
import { MAX_SLO_WINDOW_TURNS } from '../../../src/services/run-config.js';

function problemsOf(input: unknown): readonly string[] {
  try {
    loadRunConfig(input);
  } catch (error) {
    expect((error as TradeSimError).code).toBe('TRADESIM_ERR_CONFIG_INVALID');
    return (error as TradeSimError).problems;
  }
  throw new Error('accepted');
}

const fill = { name: 'fill', good: 'transaction.quantity', total: 'transaction.attempts', objective: 0.9 };

describe('the slos section of a scenario file', () => {
  it('ships the default SLOs, each with its four burn-rate alerts after the threshold rules', () => {
    const config = loadRunConfig('{}');
    expect(config.slos).toEqual(DEFAULT_SLOS);
    const names = runRules(config).map((r) => r.name);
    expect(names.slice(config.alerts.length)).toEqual([
      'slo_solvency_page_1h',
      'slo_solvency_page_6h',
      'slo_solvency_ticket_1d',
      'slo_solvency_ticket_3d',
      'slo_purchase_success_page_1h',
      'slo_purchase_success_page_6h',
      'slo_purchase_success_ticket_1d',
      'slo_purchase_success_ticket_3d',
      'slo_fulfilment_time_page_1h',
      'slo_fulfilment_time_page_6h',
      'slo_fulfilment_time_ticket_1d',
      'slo_fulfilment_time_ticket_3d',
      'slo_fill_rate_page_1h',
      'slo_fill_rate_page_6h',
      'slo_fill_rate_ticket_1d',
      'slo_fill_rate_ticket_3d',
    ]);
    expect(runRules(config).find((r) => r.name === 'slo_solvency_page_1h')).toMatchObject({
      figure: 'slo.alerts.solvency.page1h',
      op: '==',
      threshold: 1,
      severity: 'critical',
      for: 14,
    });
  });

  it("adds the file's SLOs with a 30d window by default, replaces a default by name, or drops the defaults", () => {
    const config = loadRunConfig({ slos: { objectives: [fill, { ...fill, name: 'solvency', objective: 0.5 }] } });
    expect(config.slos.map((s) => [s.name, s.objective, s.window])).toEqual([
      ['purchase_success', 0.8, '30d'],
      ['fulfilment_time', 0.99, '30d'],
      ['fill_rate', 0.96, '30d'],
      ['fill', 0.9, '30d'],
      ['solvency', 0.5, '30d'],
    ]);
    expect(loadRunConfig({ slos: { useDefaults: false } }).slos).toEqual([]);
  });

  it('refuses windows longer than the history keeps: a rule, a default rule, the window statistics', () => {
    const rule = { name: 'w', figure: 'budget.total', stat: 'mean', window: 500, op: '<', threshold: 1 };
    expect(problemsOf({ alerts: { rules: [rule] } })).toEqual([
      'alerts.rules.0.window: longer than services.historyTurns (200), the turns a window can read',
    ]);
    expect(problemsOf({ services: { historyTurns: 10 }, alerts: { useDefaults: true } })).toContain(
      "alerts.rules: the default rule 'budget_trend_decreasing' (window 20): longer than services.historyTurns (10), the turns a window can read",
    );
    expect(problemsOf({ services: { historyTurns: 30, statsWindow: 100 } })).toEqual([
      'services.statsWindow: must be <= services.historyTurns (30), the turns a window can read',
    ]);
  });

  it('lists every problem: unknown or non-business figures, bad objective and window, names used twice or taken', () => {
    expect(
      problemsOf({
        slos: {
          objectives: [
            { ...fill, good: 'transaction.nope' },
            { ...fill, name: 'b', total: 'performance.turnSeconds' },
            { ...fill, name: 'b' },
          ],
        },
      }),
    ).toEqual([
      "slos.objectives.0.good: unknown figure 'transaction.nope'",
      "slos.objectives.1.total: 'performance.turnSeconds' is not a business figure an SLO can count",
      "slos.objectives: SLO name 'b' is used twice",
    ]);
    const problems = problemsOf({ slos: { objectives: [{ ...fill, objective: 1, window: '30s' }] } });
    expect(problems).toContain('slos.objectives.0.objective: must be < 1');
    expect(problems.some((p) => p.startsWith('slos.objectives.0.window'))).toBe(true);
    expect(
      problemsOf({
        alerts: { rules: [{ name: 'slo_fill_page_1h', figure: 'budget.total', op: '<', threshold: 1 }] },
        slos: { objectives: [fill] },
      }),
    ).toEqual(["alerts.rules: rule name 'slo_fill_page_1h' is taken by an SLO's burn-rate alert"]);
    // A window of more turns than its running totals may take (it allocated 160 GB and threw).
    expect(
      problemsOf({ calendar: { turnMinutes: 1 }, slos: { objectives: [{ ...fill, window: '999999w' }] } }),
    ).toEqual([
      `slos.objectives.0.window: 999999w is 10079989920 turns of 1 minutes, more than ${MAX_SLO_WINDOW_TURNS}`,
    ]);
    expect(() =>
      loadRunConfig(
        JSON.stringify({ calendar: { turnMinutes: 60 }, slos: { objectives: [{ ...fill, window: '52w' }] } }),
      ),
    ).not.toThrow();
  });
});
