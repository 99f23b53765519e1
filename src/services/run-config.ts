import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  distinctProblems,
  formatValueError,
  loadScenario,
  readJsonObject,
  type Scenario,
  shapeProblems,
  TradeSimError,
} from '../simulation/index.js';
import { type AlertRule, AlertsSchema, DEFAULT_ALERT_RULES } from './alerts/alert-rules.js';
import { ServicesErrors } from './errors.js';
import type { FigureEntry } from './figures/figure-catalogue.js';
import { type ServiceOptions, ServiceOptionsSchema, type Thresholds, ThresholdsSchema } from './service-options.js';

/** Everything a run needs from a scenario file, validated and frozen. */
export interface RunConfig {
  readonly scenario: Scenario;
  readonly alerts: readonly AlertRule[];
  readonly thresholds: Thresholds;
  readonly services: ServiceOptions;
}

const SECTIONS = { alerts: AlertsSchema, thresholds: ThresholdsSchema, services: ServiceOptionsSchema } as const;

function validateSection(key: keyof typeof SECTIONS, raw: unknown, problems: string[]): unknown {
  const schema = SECTIONS[key];
  const shape = shapeProblems(schema, raw, key);
  if (shape.length > 0) {
    problems.push(...shape);
    return Value.Default(schema, {});
  }
  const value = Value.Default(schema, structuredClone(raw ?? {}));
  const found = [...Value.Errors(schema, value)].map((error) => {
    const message = formatValueError(error);
    return message.startsWith('(root)') ? message.replace('(root)', key) : `${key}.${message}`;
  });
  problems.push(...distinctProblems(found));
  return value;
}

function ruleProblems(rules: readonly AlertRule[], catalogue: ReadonlyMap<string, FigureEntry>): string[] {
  const problems: string[] = [];
  rules.forEach((rule, i) => {
    const entry = catalogue.get(rule.figure);
    if (!entry) problems.push(`alerts.rules.${i}.figure: unknown figure '${rule.figure}'`);
    else if (rule.stat !== 'value' && !entry.historized) {
      problems.push(`alerts.rules.${i}.stat: '${rule.figure}' is not kept in history; use stat 'value'`);
    }
  });
  const names = rules.map((r) => r.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) {
    problems.push(`alerts.rules: rule name '${name}' is used twice`);
  }
  return problems;
}

/**
 * Reads a scenario file (JSON text or a parsed value): the market scenario plus the
 * services' own sections (`alerts`, `thresholds`, `services`), alert rules checked against
 * `figures` (the services' figure catalogue, asked for only when the file has rules of its
 * own). Every problem of every part is listed at once
 * in one TRADESIM_ERR_CONFIG_INVALID.
 */
export function parseRunConfig(
  input: unknown,
  figures: ReadonlyMap<string, FigureEntry> | (() => ReadonlyMap<string, FigureEntry>),
): RunConfig {
  const read = readJsonObject(input);
  if (!read.ok) throw new ServicesErrors.TRADESIM_ERR_CONFIG_INVALID([read.problem]);
  const { alerts, thresholds, services, ...market } = read.value;
  const problems: string[] = [];
  let scenario: Scenario | undefined;
  try {
    scenario = loadScenario(market);
  } catch (error) {
    if (!(error instanceof TradeSimError)) throw error;
    problems.push(...error.problems);
  }
  const alertSection = validateSection('alerts', alerts, problems) as Static<typeof AlertsSchema>;
  const thresholdValues = validateSection('thresholds', thresholds, problems) as Thresholds;
  const serviceValues = validateSection('services', services, problems) as ServiceOptions;
  let rules: AlertRule[] = [];
  if (problems.length === 0) {
    const own = alertSection.rules;
    const defaults = alertSection.useDefaults
      ? DEFAULT_ALERT_RULES.filter((d) => !own.some((r) => r.name === d.name))
      : [];
    rules = [...defaults, ...own];
    if (own.length > 0) problems.push(...ruleProblems(own, typeof figures === 'function' ? figures() : figures));
  }
  if (problems.length > 0 || !scenario) throw new ServicesErrors.TRADESIM_ERR_CONFIG_INVALID(problems);
  return Object.freeze({
    scenario,
    alerts: Object.freeze(rules.map((r) => Object.freeze(r))),
    thresholds: Object.freeze(thresholdValues),
    services: Object.freeze(serviceValues),
  });
}
