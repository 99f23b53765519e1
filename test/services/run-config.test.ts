import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALERT_RULES,
  loadRunConfig,
  loadSavedRunConfig,
  parseRunConfig,
  type TurnSnapshot,
} from '../../src/services/index.js';
import type { TradeSimError } from '../../src/simulation/index.js';

function problemsOf(input: unknown): readonly string[] {
  try {
    loadRunConfig(input);
  } catch (error) {
    expect((error as TradeSimError).code).toBe('TRADESIM_ERR_CONFIG_INVALID');
    return (error as TradeSimError).problems;
  }
  throw new Error('accepted');
}

describe('loadSavedRunConfig', () => {
  it("reads a checkpoint's scenario text as its run did: a key given twice, refused in a file, takes its last value", () => {
    const text = '\uFEFF{"companies": {"count": 40}, "companies": {"count": 4}}';
    expect(() => loadRunConfig(text)).toThrow('companies: given more than once');
    expect(loadSavedRunConfig(text).scenario.companies.count).toBe(4);
    // Anything else is checked as a file is.
    expect(() => loadSavedRunConfig('{"companies": {"count": 0}}')).toThrow('companies.count: must be >= 1');
    expect(() => loadSavedRunConfig('{nope')).toThrow('not valid JSON');
  });
});

describe('loadRunConfig', () => {
  it('takes the default rules and thresholds when the file has none', () => {
    const config = loadRunConfig('{}');
    expect(config.alerts.map((r) => r.name)).toEqual(DEFAULT_ALERT_RULES.map((r) => r.name));
    expect(config.thresholds).toEqual({ solventMinimum: 100, strugglingBelowShare: 0.25, prosperousAboveShare: 1.5 });
    expect(config.services.historyTurns).toBe(200);
    expect(Object.isFrozen(config.alerts[0])).toBe(true);
  });

  it('adds the file rules, lets one replace a default by name, or drops the defaults', () => {
    const own = { name: 'budget_critical', figure: 'budget.total', op: '<', threshold: 5 };
    const config = loadRunConfig({ alerts: { rules: [own, { ...own, name: 'mine' }] } });
    expect(config.alerts).toHaveLength(DEFAULT_ALERT_RULES.length + 1);
    expect(config.alerts.find((r) => r.name === 'budget_critical')).toMatchObject({ figure: 'budget.total', for: 1 });
    expect(loadRunConfig({ alerts: { useDefaults: false, rules: [own] } }).alerts).toHaveLength(1);
  });

  it('lists every problem of the market and of the services sections together', () => {
    const problems = problemsOf({
      companies: { count: 0 },
      thresholds: { solventMinimum: -1, extra: 1 },
      services: { historyTurns: 1 },
      alerts: { rules: [{ name: 'Bad Name', figure: 'budget.total', op: '~', threshold: 'x' }] },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'companies.count: must be >= 1',
        'thresholds.solventMinimum: must be >= 0',
        'thresholds.extra: unknown key',
        'services.historyTurns: must be >= 2',
        'alerts.rules.0.op: must be one of >, >=, <, <=, ==, !=',
        'alerts.rules.0.threshold: must be a number',
      ]),
    );
    expect(problems.some((p) => p.startsWith('alerts.rules.0.name'))).toBe(true);
  });

  it('refuses a rule on an unknown figure, a window stat on an unkept figure, and a duplicate name', () => {
    const base = { name: 'r', op: '>', threshold: 1 };
    expect(problemsOf({ alerts: { rules: [{ ...base, figure: 'budget.nope' }] } })).toEqual([
      "alerts.rules.0.figure: unknown figure 'budget.nope'",
    ]);
    expect(problemsOf({ alerts: { rules: [{ ...base, figure: 'budget.gini', stat: 'mean' }] } })).toEqual([
      "alerts.rules.0.stat: 'budget.gini' is not kept in history; use stat 'value'",
    ]);
    expect(
      problemsOf({
        alerts: {
          rules: [
            { ...base, figure: 'budget.total' },
            { ...base, figure: 'budget.min' },
          ],
        },
      }),
    ).toEqual(["alerts.rules: rule name 'r' is used twice"]);
  });

  it('accepts a rule on a lazily computed figure with stat value', () => {
    const config = loadRunConfig({
      alerts: { rules: [{ name: 'unequal', figure: 'budget.gini', op: '>', threshold: 0.5 }] },
    });
    expect(config.alerts.at(-1)?.figure).toBe('budget.gini' satisfies `budget.${keyof TurnSnapshot['budget']}`);
  });

  it('refuses text that is not JSON or not an object', () => {
    expect(problemsOf('{nope')[0]).toMatch(/^\(root\): not valid JSON/);
    expect(problemsOf('[1]')).toEqual(['(root): must be an object']);
  });

  it('checks rule figures against the catalogue it is given, not a built-in one', () => {
    const rule = { name: 'own', figure: 'budget.total', op: '<', threshold: 5 };
    const only = new Map([['budget.mean', { name: 'budget.mean', historized: true }]]);
    const input = { alerts: { useDefaults: false, rules: [rule] } };
    expect(() => parseRunConfig(input, only)).toThrow(/unknown figure 'budget.total'/);
    const withTotal = new Map([['budget.total', { name: 'budget.total', historized: false }]]);
    expect(parseRunConfig(input, withTotal).alerts).toHaveLength(1);
    expect(() =>
      parseRunConfig({ alerts: { useDefaults: false, rules: [{ ...rule, stat: 'mean' }] } }, withTotal),
    ).toThrow(/not kept in history/);
  });
});
