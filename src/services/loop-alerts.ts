/*
 * The alert rules as the loop evaluates them once a turn: each rule's value read from the
 * turn's figures or one window statistic, the recent transitions and the run's firings.
 */
import type { AlertRule } from './alerts/alert-rules.js';
import { type AlertEngine, type AlertEvaluation, type AlertEvent, createAlertEngine } from './alerts/alert-engine.js';
import { createFiringHistory, type FiringHistory } from './alerts/firing-history.js';
import { figureReader } from './figures/figures.js';
import { type RunConfig, runRules } from './run-config.js';
import { figureTarget, type FigureTarget } from './figure-target.js';
import type { ServiceSet } from './service-set.js';

/** Recent alert transitions kept (the oldest let go first). */
export const RECENT_ALERT_EVENTS = 100;

/** The loop's alerts. */
export interface LoopAlerts {
  readonly engine: AlertEngine;
  readonly firings: FiringHistory;
  /** Evaluates every rule on the turn's figures; records the transitions. */
  evaluate(turn: number, figures: object): AlertEvaluation;
  /** Recent transitions, oldest first, a copy. */
  recent(): AlertEvent[];
  /** Takes a checkpoint's recent transitions. */
  loadRecent(events: readonly AlertEvent[]): void;
}

/** Builds the alerts of a run over its services. */
export function createLoopAlerts(config: RunConfig, services: ServiceSet): LoopAlerts {
  const engine = createAlertEngine(runRules(config));
  const firings = createFiringHistory(config.services.alertFirings);
  const recentEvents: AlertEvent[] = [];
  // Each rule's figure reader, compiled once rather than walking its path every turn.
  const ruleReaders = new Map(engine.rules.map((rule) => [rule.name, figureReader(rule.figure.split('.'))]));
  // The figures of the turn being evaluated, and a rule's value in them (one function for the run).
  let turnFigures: object = {};
  const ruleTargets = new Map<string, FigureTarget>();
  const ruleValue = (rule: AlertRule): number => {
    if (rule.stat === 'value') return ruleReaders.get(rule.name)!(turnFigures) ?? 0;
    let target = ruleTargets.get(rule.figure);
    if (!target) {
      target = figureTarget(services, rule.figure);
      ruleTargets.set(rule.figure, target);
    }
    // A window statistic over fewer turns than its window is absent (a start-up transient
    // would otherwise read as a trend).
    const { history } = target.service;
    if (history.length < Math.min(rule.window, history.capacity)) return Number.NaN;
    // One statistic, once a turn: computed alone rather than a whole summary cached for it
    // (on large the cache entry and the rest of the summary were most of the alerts' cost).
    const { window } = target.service;
    if (rule.stat === 'slopePercent') {
      // The slope over the window's mean: absent when the mean is nothing to compare with.
      const level = Math.abs(window.summaryField(target.rest, rule.window, 'mean'));
      return level > 0 ? (100 * window.summaryField(target.rest, rule.window, 'slope')) / level : Number.NaN;
    }
    return window.summaryField(target.rest, rule.window, rule.stat);
  };
  return {
    engine,
    firings,
    evaluate(turn, figures) {
      turnFigures = figures;
      const evaluation = engine.evaluate(turn, ruleValue);
      recentEvents.push(...evaluation.events);
      if (evaluation.events.length > 0) firings.observe(evaluation.events);
      if (recentEvents.length > RECENT_ALERT_EVENTS) recentEvents.splice(0, recentEvents.length - RECENT_ALERT_EVENTS);
      return evaluation;
    },
    recent: () => [...recentEvents],
    loadRecent: (events) => void recentEvents.push(...events),
  };
}
