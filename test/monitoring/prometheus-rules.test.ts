import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alertNameOf,
  businessAlertRules,
  serializeSnapshotLine,
  sloBurnAlertNameOf,
  sloRules,
} from '../../src/monitoring/index.js';
import {
  BURN_ALERTS,
  createTurnLoop,
  DEFAULT_ALERT_RULES,
  loadRunConfig,
  runRules,
  sloRuleName,
} from '../../src/services/index.js';
import { createSimulation } from '../../src/simulation/index.js';

describe('business alert rules for Prometheus', () => {
  it('names alerts after their rules', () => {
    expect(alertNameOf('budget_critical')).toBe('TradeSimBudgetCritical');
    expect(alertNameOf('p95_turn_over_2')).toBe('TradeSimP95TurnOver2');
  });

  it('the committed business_alerts.yml and slo_rules.yml are what `npm run rules` writes from the defaults', () => {
    const rules = runRules(loadRunConfig('{}'));
    expect(rules.length).toBeGreaterThan(DEFAULT_ALERT_RULES.length);
    expect(readFileSync('business_alerts.yml', 'utf8')).toBe(businessAlertRules(rules));
    // The default scenario's calendar: a turn is 60 simulated minutes.
    expect(readFileSync('slo_rules.yml', 'utf8')).toBe(sloRules(60));
  });

  it('writes SLO windows as ranges of whole turns of the calendar', () => {
    // 60 minutes a turn: the 5 m window is one turn (60m), 1 d is 24 turns.
    const text = sloRules(60);
    expect(text).toContain('increase(tradesim_slo_events_total[60m])');
    expect(text).toContain('increase(tradesim_slo_events_total[1440m])');
    expect(text).toContain('and tradesim_slo_events_total offset 4320m');
  });

  it("forwards a scenario's own rule by name, with its severity, and passes promtool", () => {
    const config = loadRunConfig(
      JSON.stringify({
        alerts: {
          rules: [{ name: 'prices_climbing', figure: 'product.priceIndex', op: '>', threshold: 2, severity: 'info' }],
        },
      }),
    );
    const text = businessAlertRules(config.alerts);
    expect(text).toContain(
      '- alert: TradeSimPricesClimbing\n        expr: last_over_time(tradesim_alert_firing{rule="prices_climbing"}[2m]) == 1',
    );
    expect(text).toContain('severity: info');
    expect(text.match(/- alert: /g)).toHaveLength(DEFAULT_ALERT_RULES.length + 2);
    const file = join(mkdtempSync(join(tmpdir(), 'tradesim-rules-')), 'rules.yml');
    writeFileSync(file, text);
    const check = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it("the PromQL SLO rules fire and resolve at the in-process SLO alerts' turns on a crisis run (promtool)", () => {
    // One crisis run, seed 7: its JSONL lines give the counters, one sample a turn (the
    // calendar's turnMinutes of simulated time, 60) from turn 0; the snapshots give the
    // in-process firings. The rules are written for that turn, as `npm run rules` does.
    const turns = 1_200;
    const config = loadRunConfig(readFileSync('scenarios/crisis.json', 'utf8'));
    const turnMinutes = (config.scenario as { calendar?: { turnMinutes?: number } }).calendar?.turnMinutes ?? 1;
    expect(turnMinutes).toBe(60);
    const loop = createTurnLoop({ simulation: createSimulation(config.scenario, 7), config });
    const names = config.slos.map((s) => s.name);
    const good = new Map(names.map((n) => [n, [0]]));
    const events = new Map(names.map((n) => [n, [0]]));
    const firingAt: Set<string>[] = [new Set()];
    for (let t = 1; t <= turns; t++) {
      const snapshot = loop.runTurn();
      const line = JSON.parse(serializeSnapshotLine(snapshot, undefined)) as {
        business: { slo: { goodTotal: Record<string, number>; eventsTotal: Record<string, number> } };
      };
      for (const n of names) {
        good.get(n)!.push(line.business.slo.goodTotal[n]!);
        events.get(n)!.push(line.business.slo.eventsTotal[n]!);
      }
      firingAt.push(new Set(snapshot.alerts.active.filter((a) => a.state === 'firing').map((a) => a.rule)));
    }
    const inProcess = firingAt.reduce((n, s) => n + [...s].filter((r) => r.startsWith('slo_')).length, 0);
    // Not a vacuous comparison: the freeze pages on solvency (seed 7: turns 1,020-1,071).
    expect([...firingAt[1_050]!]).toContain('slo_solvency_page_6h');
    // ... and the supply disruption (turns 800-899) pages on fulfilment time, held 14 turns
    // (seed 7 fires at 826, 865 and 891), which PromQL must match with its `for`.
    expect(firingAt.slice(800, 900).some((s) => s.has('slo_fulfilment_time_page_1h'))).toBe(true);
    expect(firingAt.slice(0, 800).some((s) => s.has('slo_fulfilment_time_page_1h'))).toBe(false);
    expect(inProcess).toBeGreaterThan(50);

    const dir = mkdtempSync(join(tmpdir(), 'tradesim-slo-rules-'));
    writeFileSync(join(dir, 'slo_rules.yml'), sloRules(turnMinutes));
    const series = names.flatMap((n) => {
      const objective = config.slos.find((s) => s.name === n)!.objective;
      return [
        `      - series: 'tradesim_slo_good_events_total{slo="${n}"}'\n        values: '${good.get(n)!.join(' ')}'`,
        `      - series: 'tradesim_slo_events_total{slo="${n}"}'\n        values: '${events.get(n)!.join(' ')}'`,
        `      - series: 'tradesim_slo_objective_ratio{slo="${n}"}'\n        values: '${objective}+0x${turns}'`,
      ];
    });
    // At every turn, each PromQL alert lists exactly the SLOs whose in-process rule fires.
    const checks: string[] = [];
    for (let t = 1; t <= turns; t++) {
      for (const a of BURN_ALERTS) {
        const expected = names
          .filter((n) => firingAt[t]!.has(sloRuleName(n, a.key)))
          .map(
            (n) =>
              `          - exp_labels: { slo: ${n}, severity: ${a.severity} }\n` +
              `            exp_annotations: { summary: "SLO ${n}: error budget burning over ${a.factor}x in ${a.long} and ${a.short}" }`,
          );
        checks.push(
          `      - eval_time: ${t * turnMinutes}m\n        alertname: ${sloBurnAlertNameOf(a.key)}\n` +
            (expected.length > 0 ? `        exp_alerts:\n${expected.join('\n')}` : '        exp_alerts: []'),
        );
      }
    }
    const test = [
      'rule_files: [slo_rules.yml]',
      // The recording group first at every step, as within one group: promtool evaluates groups
      // in a random order unless told (a map's order), and the alerts evaluated before the
      // recording rules read no burn rate at that step (the last one is 60 minutes old, past
      // the lookback), so about one run in four failed.
      'group_eval_order: [tradesim-slo-recording, tradesim-slo-alerts]',
      `evaluation_interval: ${turnMinutes}m`,
      'tests:',
      `  - interval: ${turnMinutes}m`,
      '    input_series:',
      ...series,
      '    alert_rule_test:',
      ...checks,
    ].join('\n');
    writeFileSync(join(dir, 'slo.test.yml'), `${test}\n`);
    const run = spawnSync('promtool', ['test', 'rules', 'slo.test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(run.status, (run.stdout + run.stderr).slice(0, 3_000)).toBe(0);
  }, 120_000);
});
