import { type Static, type TLiteral, type TUnion, Type } from '@sinclair/typebox';

/** Comparisons a rule may use. */
export const ALERT_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type AlertOp = (typeof ALERT_OPS)[number];

/** Severities, least to most urgent. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * What of the figure a rule compares: its value this turn, or a statistic over a window.
 * `slopePercent` is the slope as a percent of the window's mean per turn: a fall that takes
 * the same share of what is left each turn reads the same whatever the level.
 */
export const ALERT_STATS = [
  'value',
  'mean',
  'min',
  'max',
  'median',
  'p95',
  'stdev',
  'slope',
  'cv',
  'slopePercent',
] as const;
export type AlertStat = (typeof ALERT_STATS)[number];

function literals<T extends readonly string[]>(values: T, options: object = {}): TUnion<TLiteral<T[number]>[]> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
}

/** One threshold rule, as written in a scenario file's `alerts.rules`. */
export const AlertRuleSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64, description: 'snake_case, unique' }),
    figure: Type.String({ minLength: 1, description: 'dotted figure name, e.g. budget.total' }),
    stat: literals(ALERT_STATS, { default: 'value' }),
    window: Type.Integer({ minimum: 2, default: 5, description: 'turns, for a stat other than value' }),
    op: literals(ALERT_OPS),
    threshold: Type.Number(),
    severity: literals(SEVERITIES, { default: 'warning' }),
    for: Type.Integer({ minimum: 1, default: 1, description: 'turns the condition must hold' }),
    clear: Type.Optional(
      Type.Object(
        { op: literals(ALERT_OPS), threshold: Type.Number() },
        {
          additionalProperties: false,
          description: 'when a firing rule may resolve (hysteresis); without it, once the fire condition stops',
        },
      ),
    ),
    keepFiringFor: Type.Integer({
      minimum: 0,
      maximum: 100_000,
      default: 0,
      description: 'turns a firing rule keeps firing once it may resolve (as keep_firing_for)',
    }),
    description: Type.String({ default: '' }),
  },
  { additionalProperties: false },
);

/** A validated alert rule with every default filled in. */
export type AlertRule = Static<typeof AlertRuleSchema>;

/** The `alerts` section: the defaults (unless switched off) plus the file's own rules. */
/** The most rules a scenario file may add to the defaults. */
export const MAX_FILE_ALERT_RULES = 64;

export const AlertsSchema = Type.Object(
  {
    useDefaults: Type.Boolean({ default: true }),
    // Bounded so a JSONL line, which lists the rules pending or firing (the SLOs' burn-rate
    // alerts too), stays under 50 KB.
    rules: Type.Array(AlertRuleSchema, { default: [], maxItems: MAX_FILE_ALERT_RULES }),
  },
  { additionalProperties: false, default: {} },
);

/**
 * The default rules: those the original TradeSim recommended, with windows, clear conditions
 * and keep-firing times so that each firing is an incident of several turns, not a one-turn
 * blip (docs/slo.md says why each is set as it is). A file's rule with the same name
 * replaces a default.
 */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = Object.freeze(
  (
    [
      {
        name: 'budget_critical',
        figure: 'budget.evolutionPercent',
        op: '<=',
        threshold: -90,
        severity: 'critical',
        clear: { op: '>', threshold: -80 },
        description: 'total budget below 10% of its initial amount',
      },
      {
        name: 'no_successful_transaction',
        figure: 'transaction.successes',
        op: '==',
        threshold: 0,
        severity: 'critical',
        for: 5,
        keepFiringFor: 3,
        description: 'no successful transaction for 5 turns',
      },
      {
        name: 'no_active_product',
        figure: 'product.active',
        op: '==',
        threshold: 0,
        severity: 'critical',
        description: 'every product is withdrawn',
      },
      {
        name: 'no_solvent_company',
        figure: 'budget.solvent',
        op: '==',
        threshold: 0,
        severity: 'critical',
        description: 'every company is insolvent',
      },
      {
        name: 'budget_trend_decreasing',
        figure: 'budget.total',
        stat: 'slopePercent',
        window: 20,
        op: '<',
        threshold: -4,
        severity: 'warning',
        // Held 5 turns: the recovery's low, jumpy totals dip under -4 % for 3 or 4 turns.
        for: 5,
        clear: { op: '>', threshold: -2 },
        keepFiringFor: 5,
        description: 'total budget falling by more than 4% of its level per turn over 20 turns',
      },
      {
        name: 'transaction_failure_rate_high',
        figure: 'transaction.failureRate',
        stat: 'mean',
        window: 20,
        op: '>',
        threshold: 0.35,
        severity: 'warning',
        for: 5,
        clear: { op: '<', threshold: 0.2 },
        keepFiringFor: 5,
        description: 'more than 35% of the purchase attempts failing over 20 turns',
      },
      {
        // Relative to the fulfilment_time SLO (its 3-day burn rate), not to today's order counts:
        // 2.5x is 2.5 % of the orders late over three days against the 1 % the 99 % promise allows.
        name: 'orders_late',
        figure: 'slo.burnRate.fulfilment_time.3d',
        op: '>',
        threshold: 2.5,
        severity: 'warning',
        for: 12,
        clear: { op: '<', threshold: 1 },
        keepFiringFor: 6,
        description: 'orders turning late 2.5 times as fast as the fulfilment_time SLO allows, over three days',
      },
    ] as const
  ).map((rule) => Object.freeze({ stat: 'value', window: 5, for: 1, keepFiringFor: 0, ...rule }) as AlertRule),
);

/** Whether `value op threshold` holds. */
export function compare(value: number, op: AlertOp, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}
