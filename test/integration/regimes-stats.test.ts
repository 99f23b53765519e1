import { describe, expect, it } from 'vitest';
import { bandAfter, cycleQuarterMeans, slidingMeans } from '../../scripts/regimes-stats.js';

describe("regimes' statistics over a series with absent turns (NaN)", () => {
  it('leaves an absent turn out of the sliding means, and a window of none is absent', () => {
    expect(Array.from(slidingMeans([1, 2, 3, 4], 2))).toEqual([1.5, 2.5, 3.5]);
    expect(Array.from(slidingMeans([1, NaN, 3, 4], 2))).toEqual([1, 3, 3.5]);
    const none = slidingMeans([NaN, NaN, 5], 2);
    expect(none[0]).toBeNaN();
    expect(none[1]).toBe(5);
  });

  it('takes a band over the values present, and none over no value: a criterion on it misses', () => {
    expect(bandAfter([100, NaN, 110], 0)).toBeCloseTo(1.1, 12);
    expect(bandAfter([NaN, NaN], 0)).toBeNaN();
  });

  it('gives an absent turn no weight in the cycle quarters', () => {
    const period = 8;
    const series = Array.from({ length: 16 }, (_, i) => (Math.sin((2 * Math.PI * (i + 1)) / period) > 0 ? 10 : 5));
    const whole = cycleQuarterMeans(series, period);
    const gapped = cycleQuarterMeans(
      series.map((v, i) => (i === 1 ? NaN : v)),
      period,
    );
    expect([gapped.top, gapped.bottom]).toEqual([whole.top, whole.bottom]);
    expect(Number.isFinite(gapped.top)).toBe(true);
  });
});
