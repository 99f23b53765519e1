import type { Scenario } from '../scenario-schema.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A scenario's calendar, ready for the hot path: its start and its profiles scaled to a mean of 1. */
interface Calendar {
  readonly startMs: number;
  readonly turnMs: number;
  readonly hourly: Float64Array;
  readonly weekly: Float64Array;
}

const calendars = new WeakMap<Scenario, Calendar>();

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * A `YYYY-MM-DDTHH:MM:SSZ` time as milliseconds since the Unix epoch, or undefined when it is not
 * one or names a day or time that does not exist (February 31st, 24:00). Computed, not read from
 * the clock's Date: the simulation keeps no clock.
 */
export function parseStart(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return daysFromCivil(year, month, day) * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS + second * 1_000;
}

/** A profile divided by its mean (all ones when it sums to 0, which validation refuses). */
function scaled(values: readonly number[]): Float64Array {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Float64Array.from(values, (v) => (mean > 0 ? v / mean : 1));
}

function calendarOf(scenario: Scenario): Calendar {
  let calendar = calendars.get(scenario);
  if (!calendar) {
    const { start, turnMinutes, hourly, weekly } = scenario.calendar;
    calendar = {
      startMs: parseStart(start) ?? 0,
      turnMs: turnMinutes * MINUTE_MS,
      hourly: scaled(hourly),
      weekly: scaled(weekly),
    };
    calendars.set(scenario, calendar);
  }
  return calendar;
}

/** The simulated time at which `turn` starts, milliseconds since the Unix epoch (turn 1 starts at `calendar.start`). */
export function turnTimeMs(scenario: Scenario, turn: number): number {
  const calendar = calendarOf(scenario);
  return calendar.startMs + (turn - 1) * calendar.turnMs;
}

/**
 * What the calendar does to households' demand in `turn`: the daily profile's value for the
 * hour (UTC) the turn starts in times the weekly profile's for its day, both scaled to a mean
 * of 1, so a flat calendar is 1 every turn.
 */
export function calendarFactor(scenario: Scenario, turn: number): number {
  const calendar = calendarOf(scenario);
  const ms = calendar.startMs + (turn - 1) * calendar.turnMs;
  const day = Math.floor(ms / DAY_MS);
  const hour = Math.floor((ms - day * DAY_MS) / HOUR_MS);
  // 1970-01-01 was a Thursday: Monday is day 0 of the profile.
  const weekday = (((day + 3) % 7) + 7) % 7;
  return calendar.hourly[hour]! * calendar.weekly[weekday]!;
}
