import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coefficientOfVariation,
  gini,
  max,
  mean,
  median,
  min,
  p95,
  pearson,
  quantile,
  stdev,
  sum,
  summarize,
  trendSlope,
} from '../../../src/services/index.js';
import { sortWholeNumbers, summarizeInPlace, summaryFieldInPlace } from '../../../src/services/history/statistics.js';

const data = [2, 4, 4, 4, 5, 5, 7, 9];

describe('statistics against hand-computed values', () => {
  it('sum, mean, min, max', () => {
    expect(sum(data)).toBe(40);
    expect(mean(data)).toBe(5);
    expect(min(data)).toBe(2);
    expect(max(data)).toBe(9);
  });

  it('population standard deviation and CV', () => {
    // Deviations squared: 9,1,1,1,0,0,4,16 = 32; 32 / 8 = 4; sqrt = 2.
    expect(stdev(data)).toBeCloseTo(2, 12);
    expect(coefficientOfVariation(data)).toBeCloseTo(0.4, 12);
  });

  it('median and quantiles by linear interpolation (R-7)', () => {
    expect(median(data)).toBe(4.5);
    expect(median([3, 1, 2])).toBe(2);
    // p95 of 1..20: position 0.95 x 19 = 18.05 -> 19 + 0.05 x (20 - 19).
    const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(p95(oneToTwenty)).toBeCloseTo(19.05, 12);
    expect(quantile([10, 20], 0.25)).toBe(12.5);
    expect(quantile(data, 0)).toBe(2);
    expect(quantile(data, 1)).toBe(9);
  });

  it('trend slope per turn', () => {
    expect(trendSlope([1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(trendSlope([10, 8, 6])).toBeCloseTo(-2, 12);
    // Least squares on (0,1),(1,2),(2,2),(3,4): slope = 0.9.
    expect(trendSlope([1, 2, 2, 4])).toBeCloseTo(0.9, 12);
  });

  it('Gini coefficient', () => {
    expect(gini([5, 5, 5, 5])).toBe(0);
    // One of four holds everything: (n - 1) / n.
    expect(gini([0, 0, 0, 10])).toBeCloseTo(0.75, 12);
    // 1,2,3,4: sum |xi - xj| over all pairs = 20; G = 20 / (2 x 16 x 2.5) = 0.25.
    expect(gini([4, 1, 3, 2])).toBeCloseTo(0.25, 12);
  });

  it('Pearson correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [6, 4, 2])).toBeCloseTo(-1, 12);
    // x = 1..5, y = 2,4,5,4,5: r = 6 / sqrt(10 x 6) = 0.7746.
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 12);
  });

  it('keeps precision in long sums of mixed magnitudes', () => {
    const values = [1e16, 1, -1e16, 1];
    expect(sum(values)).toBe(2);
  });
});

describe('statistics on degenerate windows: defined, but for a correlation', () => {
  const empty: number[] = [];
  it('an empty window gives 0 everywhere', () => {
    const s = summarize(empty);
    expect(s).toEqual({ count: 0, sum: 0, mean: 0, min: 0, max: 0, median: 0, stdev: 0, p95: 0, slope: 0, cv: 0 });
    expect(gini(empty)).toBe(0);
    // A correlation is the one figure with no defined value here: absent, for the figure to leave out.
    expect(pearson(empty, empty)).toBeNaN();
  });

  it('a single value is its own mean, median and p95, with no spread', () => {
    expect(summarize([7])).toEqual({
      count: 1,
      sum: 7,
      mean: 7,
      min: 7,
      max: 7,
      median: 7,
      stdev: 0,
      p95: 7,
      slope: 0,
      cv: 0,
    });
    expect(gini([7])).toBe(0);
  });

  it('a constant window has no spread, slope, CV or correlation', () => {
    const s = summarize([3, 3, 3, 3]);
    expect([s.stdev, s.slope, s.cv]).toEqual([0, 0, 0]);
    expect(pearson([3, 3, 3], [1, 2, 3])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
    expect(coefficientOfVariation([0, 0])).toBe(0);
    expect(gini([0, 0, 0])).toBe(0);
  });

  it('summarize agrees with the single functions', () => {
    const s = summarize(data);
    expect(s).toEqual({
      count: 8,
      sum: 40,
      mean: 5,
      min: 2,
      max: 9,
      median: 4.5,
      stdev: stdev(data),
      p95: p95(data),
      slope: trendSlope(data),
      cv: coefficientOfVariation(data),
    });
  });
});

describe('sortWholeNumbers', () => {
  it('sorts like the built-in sort, whole numbers or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.nat({ max: 2 ** 32 - 1 }), { maxLength: 2_000 }),
          fc.array(fc.nat({ max: 5_000 }), { minLength: 500, maxLength: 2_000 }),
          fc.array(fc.double({ min: -1e12, max: 1e12, noNaN: true }), { maxLength: 50 }),
          // Long enough for the radix sort, with one value not whole found only after counting.
          fc
            .tuple(fc.array(fc.nat({ max: 5_000 }), { minLength: 600, maxLength: 1_000 }), fc.nat())
            .map(([values, at]) => values.map((v, i) => (i === at % values.length ? v + 0.5 : v))),
        ),
        (numbers) => {
          const expected = Float64Array.from(numbers).sort();
          expect(sortWholeNumbers(Float64Array.from(numbers))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sorts in place and returns the same array', () => {
    const values = Float64Array.from([4_000_000, 3, 2 ** 31, 0, 3]);
    expect(sortWholeNumbers(values)).toBe(values);
    expect(Array.from(values)).toEqual([0, 3, 3, 4_000_000, 2 ** 31]);
  });
});

describe('a window with absent turns', () => {
  it('takes the slope per turn over the turns present, a gap keeping its place', () => {
    // 10 at turn 0, 20 at turn 4: 2.5 a turn, not the 10 two values side by side would give.
    const gapped = Float64Array.from([10, NaN, NaN, NaN, 20]);
    expect(summarizeInPlace(Float64Array.from(gapped), 5).slope).toBeCloseTo(2.5, 12);
    expect(summaryFieldInPlace(Float64Array.from(gapped), 5, 'slope')).toBeCloseTo(2.5, 12);
    // The same as a regression on the turns present.
    const withGaps = fc.array(fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }), {
      minLength: 2,
      maxLength: 30,
    });
    fc.assert(
      fc.property(withGaps, (cells) => {
        const points = cells.flatMap((v, i) => (v === null ? [] : [[i, v] as const]));
        fc.pre(points.length >= 2);
        const window = Float64Array.from(cells, (v) => (v === null ? Number.NaN : v));
        const xm = points.reduce((a, [x]) => a + x, 0) / points.length;
        const ym = points.reduce((a, [, y]) => a + y, 0) / points.length;
        const sxx = points.reduce((a, [x]) => a + (x - xm) ** 2, 0);
        const sxy = points.reduce((a, [x, y]) => a + (x - xm) * (y - ym), 0);
        expect(summarizeInPlace(window, cells.length).slope).toBeCloseTo(sxy / sxx, 9);
      }),
    );
  });
});

describe('summaryFieldInPlace', () => {
  it('gives each field exactly as summarizeInPlace does, empty and constant windows included', () => {
    const fields = ['count', 'sum', 'mean', 'min', 'max', 'median', 'stdev', 'p95', 'slope', 'cv'] as const;
    const window = fc.oneof(
      fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 40 }),
      fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }),
      fc.integer({ min: 0, max: 10 }).map((n) => Array.from({ length: n }, () => 7)),
    );
    fc.assert(
      fc.property(window, fc.constantFrom(...fields), (values, field) => {
        const whole = summarizeInPlace(Float64Array.from(values), values.length);
        const alone = summaryFieldInPlace(Float64Array.from([...values, 123, -4]), values.length, field);
        expect(Object.is(alone, whole[field])).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
