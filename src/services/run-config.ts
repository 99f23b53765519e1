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
import { sloAlertRules } from './slo/slo-alert-rules.js';
import { DEFAULT_SLOS, type Slo, SlosSchema, turnsOf } from './slo/slo-schema.js';
import type { FigureEntry } from './figure-catalogue.js';
import { type ServiceOptions, ServiceOptionsSchema, type Thresholds, ThresholdsSchema } from './service-options.js';

/** Everything a run needs from a scenario file, validated and frozen. */
export interface RunConfig {
  readonly scenario: Scenario;
  /** The threshold rules (the SLOs' burn-rate rules come from `slos`: see runRules). */
  readonly alerts: readonly AlertRule[];
  readonly slos: readonly Slo[];
  readonly thresholds: Thresholds;
  readonly services: ServiceOptions;
}

const SECTIONS = {
  alerts: AlertsSchema,
  slos: SlosSchema,
  thresholds: ThresholdsSchema,
  services: ServiceOptionsSchema,
} as const;

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
 * Windows longer than the history keeps: a rule's or the window statistics' (read over the
 * turns kept, silently fewer, otherwise). A default rule is named, a file's by its place.
 */
function windowProblems(
  rules: readonly AlertRule[],
  own: readonly AlertRule[],
  services: Pick<ServiceOptions, 'historyTurns' | 'statsWindow'>,
): string[] {
  const kept = services.historyTurns;
  const problems: string[] = [];
  for (const rule of rules) {
    if (rule.stat === 'value' || rule.window <= kept) continue;
    const i = own.indexOf(rule);
    const where =
      i >= 0 ? `alerts.rules.${i}.window` : `alerts.rules: the default rule '${rule.name}' (window ${rule.window})`;
    problems.push(`${where}: longer than services.historyTurns (${kept}), the turns a window can read`);
  }
  if (services.statsWindow > kept) {
    problems.push(`services.statsWindow: must be <= services.historyTurns (${kept}), the turns a window can read`);
  }
  return problems;
}

/** Every rule a run evaluates: the threshold rules, then each SLO's burn-rate alerts. */
export function runRules(config: Pick<RunConfig, 'alerts' | 'slos'>): readonly AlertRule[] {
  return [...config.alerts, ...sloAlertRules(config.slos)];
}

/** Services an SLO's figures may come from: those recorded before the SLO service. */
const SLO_SOURCES = new Set(['budget', 'company', 'product', 'supplier', 'transaction', 'event', 'market']);

/**
 * The longest SLO window, in turns: its service keeps two running totals a turn of it (16 MB
 * at this many, for each of at most 24 SLOs: a file's 20 and the 4 defaults). A year of
 * one-minute turns is 525,600.
 */
export const MAX_SLO_WINDOW_TURNS = 1_000_000;

function sloProblems(
  slos: readonly Slo[],
  catalogue: ReadonlyMap<string, FigureEntry>,
  turnMinutes: number | undefined,
): string[] {
  const problems: string[] = [];
  slos.forEach((slo, i) => {
    const turns = turnMinutes === undefined ? 0 : turnsOf(slo.window, turnMinutes);
    if (turns > MAX_SLO_WINDOW_TURNS) {
      problems.push(
        `slos.objectives.${i}.window: ${slo.window} is ${turns} turns of ${turnMinutes} minutes, more than ${MAX_SLO_WINDOW_TURNS}`,
      );
    }
    for (const key of ['good', 'total'] as const) {
      const figure = slo[key];
      if (!catalogue.has(figure)) problems.push(`slos.objectives.${i}.${key}: unknown figure '${figure}'`);
      else if (!SLO_SOURCES.has(figure.split('.')[0]!)) {
        problems.push(`slos.objectives.${i}.${key}: '${figure}' is not a business figure an SLO can count`);
      }
    }
  });
  return problems;
}

/**
 * Reads a scenario file (JSON text or a parsed value): the market scenario plus the
 * services' own sections (`alerts`, `slos`, `thresholds`, `services`), alert rules and SLOs
 * checked against `figures` (the services' figure catalogue). Every problem of every part is listed at once
 * in one TRADESIM_ERR_CONFIG_INVALID.
 */
export function parseRunConfig(input: unknown, figures: ReadonlyMap<string, FigureEntry>): RunConfig {
  const read = readJsonObject(input);
  if (!read.ok) throw new ServicesErrors.TRADESIM_ERR_CONFIG_INVALID(read.problems);
  const { alerts, slos, thresholds, services, ...market } = read.value;
  const problems: string[] = [];
  let scenario: Scenario | undefined;
  try {
    scenario = loadScenario(market);
  } catch (error) {
    if (!(error instanceof TradeSimError)) throw error;
    problems.push(...error.problems);
  }
  const alertSection = validateSection('alerts', alerts, problems) as Static<typeof AlertsSchema>;
  const sloSection = validateSection('slos', slos, problems) as Static<typeof SlosSchema>;
  const thresholdValues = validateSection('thresholds', thresholds, problems) as Thresholds;
  const serviceValues = validateSection('services', services, problems) as ServiceOptions;
  let rules: AlertRule[] = [];
  let objectives: Slo[] = [];
  if (problems.length === 0) {
    const own = alertSection.rules;
    const defaults = alertSection.useDefaults
      ? DEFAULT_ALERT_RULES.filter((d) => !own.some((r) => r.name === d.name))
      : [];
    if (own.length > 0) problems.push(...ruleProblems(own, figures));
    const ownSlos = sloSection.objectives;
    objectives = [
      ...(sloSection.useDefaults ? DEFAULT_SLOS.filter((d) => !ownSlos.some((o) => o.name === d.name)) : []),
      ...ownSlos,
    ];
    if (ownSlos.length > 0) problems.push(...sloProblems(ownSlos, figures, scenario?.calendar.turnMinutes));
    const sloNames = objectives.map((o) => o.name);
    for (const name of new Set(sloNames.filter((n, i) => sloNames.indexOf(n) !== i))) {
      problems.push(`slos.objectives: SLO name '${name}' is used twice`);
    }
    rules = [...defaults, ...own];
    problems.push(...windowProblems(rules, own, serviceValues));

    for (const rule of sloAlertRules(objectives)) {
      if (rules.some((r) => r.name === rule.name)) {
        problems.push(`alerts.rules: rule name '${rule.name}' is taken by an SLO's burn-rate alert`);
      }
    }
  }
  if (problems.length > 0 || !scenario) throw new ServicesErrors.TRADESIM_ERR_CONFIG_INVALID(problems);
  return Object.freeze({
    scenario,
    alerts: Object.freeze(rules.map((r) => Object.freeze(r))),
    slos: Object.freeze(objectives.map((o) => Object.freeze(o))),
    thresholds: Object.freeze(thresholdValues),
    services: Object.freeze(serviceValues),
  });
}
