import type { AlertRule } from '../alerts/alert-rules.js';
import { BURN_ALERTS, type Slo } from './slo-schema.js';

/** The name of an SLO's burn-rate alert rule: solvency + page1h -> slo_solvency_page_1h. */
export function sloRuleName(slo: string, key: string): string {
  return `slo_${slo}_${key.replace(/^(page|ticket)/, '$1_')}`;
}

/**
 * The alert rules of the SLOs' multi-window burn-rate alerts, decided in process like every
 * rule: each fires while its `slo.alerts.<slo>.<key>` figure is 1 (both windows burning faster
 * than the factor) for the pair's `forTurns` consecutive turns, with its `keepFiringFor` turns
 * of hold, so it fires and resolves at the turns the same expression over Prometheus's
 * recording rules does (with a `for` of one turn less and `keep_firing_for` of as many turns).
 */
export function sloAlertRules(slos: readonly Slo[]): AlertRule[] {
  return slos.flatMap((slo) =>
    BURN_ALERTS.map((a): AlertRule =>
      Object.freeze({
        name: sloRuleName(slo.name, a.key),
        figure: `slo.alerts.${slo.name}.${a.key}`,
        stat: 'value',
        window: 5,
        op: '==',
        threshold: 1,
        severity: a.severity,
        for: a.forTurns,
        keepFiringFor: a.keepFiringFor,
        description: `${slo.name} SLO (${slo.description || `objective ${slo.objective}`}): error budget burning over ${a.factor}x in ${a.long} and ${a.short}`,
      }),
    ),
  );
}
