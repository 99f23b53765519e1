import { describe, expect, it } from 'vitest';
import { calendarFactor, parseStart, turnTimeMs } from '../../../src/simulation/market/calendar.js';
import { loadScenario } from '../../../src/simulation/index.js';

describe('calendar', () => {
  it('reads a start time as the clock would, and refuses days and times that do not exist', () => {
    for (const text of [
      '1970-01-01T00:00:00Z',
      '2026-01-05T00:00:00Z',
      '2024-02-29T23:59:59Z',
      '1969-07-20T20:17:40Z',
    ]) {
      expect(parseStart(text)).toBe(Date.parse(text));
    }
    for (const text of ['2026-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-05T24:00:00Z', '2026-1-5T00:00:00Z']) {
      expect(parseStart(text)).toBeUndefined();
    }
  });

  it('gives each turn its simulated time from the start, turnMinutes apart', () => {
    const scenario = loadScenario({ calendar: { start: '2026-01-05T00:00:00Z', turnMinutes: 90 } });
    expect(new Date(turnTimeMs(scenario, 1)).toISOString()).toBe('2026-01-05T00:00:00.000Z');
    expect(new Date(turnTimeMs(scenario, 3)).toISOString()).toBe('2026-01-05T03:00:00.000Z');
  });

  it("multiplies the hour's and the weekday's profile values, each scaled to a mean of 1", () => {
    const hourly = Array<number>(24).fill(1);
    hourly[19] = 25; // the mean is 2: 19:00 reads 12.5, any other hour 0.5
    const weekly = [1, 1, 1, 1, 1, 2, 0]; // mean 1: Saturday 2, Sunday 0
    // 2026-01-05 is a Monday.
    const scenario = loadScenario({ calendar: { start: '2026-01-05T00:00:00Z', hourly, weekly } });
    expect(calendarFactor(scenario, 20)).toBeCloseTo(12.5, 12); // Monday 19:00
    expect(calendarFactor(scenario, 21)).toBeCloseTo(0.5, 12); // Monday 20:00
    expect(calendarFactor(scenario, 5 * 24 + 20)).toBeCloseTo(25, 12); // Saturday 19:00
    expect(calendarFactor(scenario, 6 * 24 + 20)).toBe(0); // Sunday
    expect(calendarFactor(scenario, 7 * 24 + 20)).toBeCloseTo(12.5, 12); // Monday again
  });

  it('is flat with flat profiles, and refuses a start that is no date or profiles all zero', () => {
    const flat = loadScenario({ calendar: { hourly: Array<number>(24).fill(3), weekly: Array<number>(7).fill(2) } });
    for (let turn = 1; turn < 400; turn += 7) expect(calendarFactor(flat, turn)).toBe(1);
    expect(() => loadScenario({ calendar: { start: '2026-02-31T00:00:00Z' } })).toThrow(/calendar.start/);
    expect(() => loadScenario({ calendar: { weekly: Array<number>(7).fill(0) } })).toThrow(/calendar.weekly/);
    expect(() => loadScenario({ calendar: { hourly: [1, 2] } })).toThrow(/calendar.hourly/);
  });
});
