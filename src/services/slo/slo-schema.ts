import { type Static, Type } from '@sinclair/typebox';

/** A span of simulated time as Prometheus writes it: a number and m, h, d or w. */
const DURATION = '^[1-9][0-9]{0,5}[mhdw]$';

/** One business SLO, as written in a scenario file's `slos.objectives`. */
export const SloSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 40, description: 'snake_case, unique' }),
    good: Type.String({ minLength: 1, description: 'figure counting the good events of a turn, e.g. budget.solvent' }),
    total: Type.String({ minLength: 1, description: 'figure counting all the events of a turn, e.g. company.count' }),
    objective: Type.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      description: 'share of the events that must be good',
    }),
    window: Type.String({ pattern: DURATION, default: '30d', description: 'the SLO window, e.g. 30d' }),
    description: Type.String({ default: '' }),
  },
  { additionalProperties: false },
);

/** A validated SLO with every default filled in. */
export type Slo = Static<typeof SloSchema>;

/** The `slos` section: the defaults (unless switched off) plus the file's own. */
export const SlosSchema = Type.Object(
  {
    useDefaults: Type.Boolean({ default: true }),
    objectives: Type.Array(SloSchema, { default: [], maxItems: 20 }),
  },
  { additionalProperties: false, default: {} },
);

/**
 * The default SLOs, set for today's market (docs/slo.md says why): the companies stay solvent
 * (an availability of the economy, company-turns solvent out of company slots), purchases
 * succeed, orders are served before they are late, and orders are served at all.
 */
export const DEFAULT_SLOS: readonly Slo[] = Object.freeze(
  [
    {
      name: 'solvency',
      good: 'budget.solvent',
      total: 'company.count',
      objective: 0.89,
      window: '30d',
      description: '89% of company-turns solvent',
    },
    {
      name: 'purchase_success',
      good: 'transaction.successes',
      total: 'transaction.attempts',
      objective: 0.8,
      window: '30d',
      description: '80% of purchase attempts succeed',
    },
    {
      name: 'fulfilment_time',
      good: 'market.orders.onTime',
      total: 'market.orders.decided',
      objective: 0.99,
      window: '30d',
      description: '99% of orders served before they are late (backorders.lateTurns: 4 h in the presets)',
    },
    {
      name: 'fill_rate',
      good: 'market.orders.served',
      total: 'market.orders.ended',
      objective: 0.96,
      window: '30d',
      description: '96% of orders served (not cancelled or dropped)',
    },
  ].map((slo) => Object.freeze(slo)),
);

/** Minutes in one unit of a duration. */
const MINUTES: Readonly<Record<string, number>> = { m: 1, h: 60, d: 1_440, w: 10_080 };

/** Minutes of a duration such as `30d`. */
export function minutesOf(duration: string): number {
  return Number(duration.slice(0, -1)) * MINUTES[duration.slice(-1)]!;
}

/**
 * Turns a span of simulated time covers: with a calendar, its minutes over the turn's
 * minutes (at least one turn); without one, a turn counts as one minute.
 */
export function turnsOf(duration: string, turnMinutes = 1): number {
  return Math.max(1, Math.ceil(minutesOf(duration) / turnMinutes));
}

/** One multi-window, multi-burn-rate alert of the SRE workbook: both windows burn faster than `factor`. */
export interface BurnAlert {
  /** Its key in an SLO's figures and in the alert's rule name: page1h -> slo_<name>_page_1h. */
  readonly key: 'page1h' | 'page6h' | 'ticket1d' | 'ticket3d';
  readonly long: BurnWindow;
  readonly short: BurnWindow;
  readonly factor: number;
  readonly severity: 'critical' | 'warning';
  /**
   * Turns the alert keeps firing once both windows stop burning (Prometheus's
   * `keep_firing_for`, in turns): its short window's length at the presets' 60-minute turn
   * (at least one), so a quiet stretch shorter than the short window (a night's lull of
   * fewer orders, all on time) does not end a ticket after a few turns.
   */
  readonly keepFiringFor: number;
  /**
   * Consecutive turns both windows must burn before the alert fires (the rule's `for`;
   * Prometheus's `for` of one turn less). With one-hour turns the 1h and 5m windows are one
   * sample each, and this market's own stock-outs burn as fast as an incident for a few
   * turns: the hold is what tells the supply disruption's day of late orders from a
   * night's stock-out (docs/slo.md, "Pages in the incident, not in the calm").
   */
  readonly forTurns: number;
}

/** The burn-rate windows, short to long. */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

/**
 * The workbook's window pairs: 2% of a 30-day budget in an hour and 5% in six hours page;
 * 10% in a day (3x) and in three days (1x) open a ticket.
 */
export const BURN_ALERTS: readonly BurnAlert[] = Object.freeze([
  { key: 'page1h', long: '1h', short: '5m', factor: 14.4, severity: 'critical', keepFiringFor: 1, forTurns: 14 },
  { key: 'page6h', long: '6h', short: '30m', factor: 6, severity: 'critical', keepFiringFor: 1, forTurns: 18 },
  { key: 'ticket1d', long: '1d', short: '2h', factor: 3, severity: 'warning', keepFiringFor: 2, forTurns: 24 },
  { key: 'ticket3d', long: '3d', short: '6h', factor: 1, severity: 'warning', keepFiringFor: 6, forTurns: 48 },
]);
