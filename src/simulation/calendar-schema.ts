import { Type } from '@sinclair/typebox';
import { count, section } from './schema-parts.js';

/** The default daily profile of demand, midnight to 11 pm: a night trough, a midday plateau, an evening peak. */
const RETAIL_HOURS = [
  0.6, 0.5, 0.45, 0.45, 0.45, 0.5, 0.6, 0.75, 0.9, 1, 1.05, 1.1, 1.2, 1.15, 1.1, 1.1, 1.15, 1.25, 1.4, 1.5, 1.45, 1.25,
  1, 0.8,
];
/** The default weekly profile of demand, Monday to Sunday: a weekend lift. */
const RETAIL_DAYS = [0.9, 0.9, 0.9, 0.95, 1, 1.3, 1.2];

const profile = (values: number[], length: number, description: string) =>
  Type.Array(Type.Number({ minimum: 0, maximum: 100 }), {
    minItems: length,
    maxItems: length,
    default: values,
    description,
  });

/** The scenario's calendar: how long a turn is, when turn 1 starts, demand by hour and day. */
export const CalendarSchema = section({
  turnMinutes: count(60, 1, 'simulated minutes one turn spans', 525_600),
  start: Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$',
    default: '2026-01-05T00:00:00Z',
    description: 'simulated time (UTC) at which turn 1 starts',
  }),
  hourly: profile(
    RETAIL_HOURS,
    24,
    "households' demand in each hour of the day (UTC, from midnight), relative: scaled to a mean of 1",
  ),
  weekly: profile(
    RETAIL_DAYS,
    7,
    "households' demand on each day of the week, Monday first, relative: scaled to a mean of 1",
  ),
});
