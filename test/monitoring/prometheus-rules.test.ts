import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertNameOf, businessAlertRules } from '../../src/monitoring/index.js';
import { DEFAULT_ALERT_RULES, loadRunConfig } from '../../src/services/index.js';

describe('business alert rules for Prometheus', () => {
  it('names alerts after their rules', () => {
    expect(alertNameOf('budget_critical')).toBe('TradeSimBudgetCritical');
    expect(alertNameOf('p95_turn_over_2')).toBe('TradeSimP95TurnOver2');
  });

  it('the committed business_alerts.yml is what `npm run rules` writes from the default rules', () => {
    expect(readFileSync('business_alerts.yml', 'utf8')).toBe(businessAlertRules(DEFAULT_ALERT_RULES));
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
      '- alert: TradeSimPricesClimbing\n        expr: tradesim_alert_firing{rule="prices_climbing"}',
    );
    expect(text).toContain('severity: info');
    expect(text.match(/- alert: /g)).toHaveLength(DEFAULT_ALERT_RULES.length + 2);
    const file = join(mkdtempSync(join(tmpdir(), 'tradesim-rules-')), 'rules.yml');
    writeFileSync(file, text);
    const check = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});
