/*
 * Statistics over a window of numbers, as pure functions. An empty window gives 0 for every
 * figure (count says it was empty), a single value or a constant window gives 0 spread,
 * 0 slope, 0 CV and 0 correlation; a window of the figure's turns skips a turn with nothing to
 * measure (NaN), and one of such turns only is absent (NaN) but for its count. Values are not
 * rounded here; rounding is the output's business.
 */

type Values = ArrayLike<number>;

/** Number of values. */
export const count = (values: Values): number => values.length;

/** Sum, with Neumaier compensation so long windows of mixed magnitudes lose nothing. */
export function sum(values: Values): number {
  let total = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = total + v;
    compensation += Math.abs(total) >= Math.abs(v) ? total - t + v : v - t + total;
    total = t;
  }
  return total + compensation;
}

/** Arithmetic mean; 0 for an empty window. */
export const mean = (values: Values): number => (values.length === 0 ? 0 : sum(values) / values.length);

/** Smallest value; 0 for an empty window. */
export function min(values: Values): number {
  if (values.length === 0) return 0;
  let m = values[0]!;
  for (let i = 1; i < values.length; i++) if (values[i]! < m) m = values[i]!;
  return m;
}

/** Largest value; 0 for an empty window. */
export function max(values: Values): number {
  if (values.length === 0) return 0;
  let m = values[0]!;
  for (let i = 1; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}

/** A sorted copy (ascending). */
export function sorted(values: Values): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * The q-quantile (0 <= q <= 1) by linear interpolation between closest ranks (the R-7 /
 * NumPy default); 0 for an empty window. Pass `isSorted` when the values already are.
 */
export function quantile(values: Values, q: number, isSorted = false): number {
  if (values.length === 0) return 0;
  const s = isSorted ? values : sorted(values);
  const position = Math.min(1, Math.max(0, q)) * (s.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(s.length - 1, lower + 1);
  return s[lower]! + (s[upper]! - s[lower]!) * (position - lower);
}

/** Median (the 0.5 quantile). */
export const median = (values: Values, isSorted = false): number => quantile(values, 0.5, isSorted);

/** 95th percentile. */
export const p95 = (values: Values, isSorted = false): number => quantile(values, 0.95, isSorted);

/** Population standard deviation (Welford's method); 0 for fewer than two values. */
export function stdev(values: Values): number {
  if (values.length < 2) return 0;
  let m = 0;
  let m2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const delta = v - m;
    m += delta / (i + 1);
    m2 += delta * (v - m);
  }
  return Math.sqrt(Math.max(0, m2 / values.length));
}

/** Least-squares slope of the values against their position, in units per turn; 0 for fewer than two. */
export function trendSlope(values: Values): number {
  const n = values.length;
  if (n < 2) return 0;
  const xMean = (n - 1) / 2;
  const yMean = mean(values);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = i - xMean;
    sxy += dx * (values[i]! - yMean);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

/** Coefficient of variation, stdev / |mean|; 0 when the mean is 0. */
export function coefficientOfVariation(values: Values): number {
  const m = mean(values);
  return m === 0 ? 0 : stdev(values) / Math.abs(m);
}

const RADIX_BITS = 11;
const RADIX_MASK = (1 << RADIX_BITS) - 1;
const RADIX_MIN_LENGTH = 512;

/**
 * The radix sort's work space, kept between sorts: allocating it per sort (8 bytes a value)
 * cost more than the sort, fresh memory being faulted in page by page, and the young
 * collections then sweep it. Grown to the largest array sorted so far.
 */
const radixScratch = { to: new Float64Array(0), starts: new Int32Array(RADIX_MASK + 1) };

/**
 * Sorts whole numbers in place, ascending, and returns the array. Whole numbers in
 * [0, 2^32), such as money in cents, take a radix sort (a pass per 11 bits of the largest:
 * two for budgets up to about 40,000 in cents), several times faster than a comparison
 * sort on large arrays; anything else falls back to the built-in sort.
 */
export function sortWholeNumbers(values: Float64Array): Float64Array {
  const n = values.length;
  // Below a few hundred values the radix sort's passes cost more than they save.
  if (n < RADIX_MIN_LENGTH) return values.sort();
  if (radixScratch.to.length < n) radixScratch.to = new Float64Array(n);
  const { starts } = radixScratch;
  // The first pass counts the lowest digits and checks every value is whole, in range.
  starts.fill(0);
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(v >= 0 && v < 2 ** 32 && Math.floor(v) === v)) return values.sort();
    if (v > largest) largest = v;
    starts[v & RADIX_MASK]! += 1;
  }
  let from: Float64Array = values;
  let to: Float64Array = radixScratch.to;
  for (let shift = 0; shift < 32 && (shift === 0 || largest >= 2 ** shift); shift += RADIX_BITS) {
    if (shift > 0) {
      starts.fill(0);
      for (let i = 0; i < n; i++) starts[(from[i]! >>> shift) & RADIX_MASK]! += 1;
    }
    let at = 0;
    for (let d = 0; d <= RADIX_MASK; d++) {
      const size = starts[d]!;
      starts[d] = at;
      at += size;
    }
    for (let i = 0; i < n; i++) {
      const v = from[i]!;
      const digit = (v >>> shift) & RADIX_MASK;
      to[starts[digit]!] = v;
      starts[digit]! += 1;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  if (from !== values) values.set(from.subarray(0, n));
  return values;
}

/**
 * Gini coefficient of non-negative values (0 = all equal, towards 1 = one holds all);
 * 0 for an empty window or a zero total. Negative values are treated as 0.
 */
export function gini(values: Values, isSorted = false): number {
  const n = values.length;
  if (n === 0) return 0;
  const s = isSorted ? values : sorted(values);
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.max(0, s[i]!);
    total += v;
    weighted += (i + 1) * v;
  }
  if (total === 0) return 0;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/**
 * Pearson correlation of two equally long series; absent (NaN) when either is constant or
 * shorter than 2: a series that does not move correlates with nothing, not with 0.
 */
export function pearson(xs: Values, ys: Values): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return Number.NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** The usual figures of one window, computed together. */
export interface Summary {
  readonly count: number;
  readonly sum: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly median: number;
  readonly stdev: number;
  readonly p95: number;
  /** Units per turn. */
  readonly slope: number;
  readonly cv: number;
}

/** Every figure of a {@link Summary} for one window. */
export function summarize(values: Values): Summary {
  const copy = Float64Array.from(values);
  return summarizeInPlace(copy, copy.length);
}

/**
 * The same as {@link summarize} for the first `n` entries of a scratch array, which it
 * sorts in place: no allocation but the result. The slope is taken before the sort. Absent
 * values (NaN: turns with nothing to measure) are skipped; a window of absent values only has
 * count 0 and every other field absent.
 */
export function summarizeInPlace(scratch: Float64Array, all: number): Summary {
  const slope = slopeOverTurns(scratch, all);
  const n = presentFirst(scratch, all);
  if (n === 0 && all > 0) return absentSummary();
  const values = scratch.subarray(0, n);
  const s = values.sort();
  return {
    count: s.length,
    sum: sum(s),
    mean: mean(s),
    min: min(s),
    max: max(s),
    median: median(s, true),
    stdev: stdev(s),
    p95: p95(s, true),
    slope,
    cv: coefficientOfVariation(s),
  };
}

/**
 * trendSlope over the window's turns, an absent turn (NaN) skipped but keeping its place: the
 * slope per turn, not per value present (a gap does not steepen it).
 */
function slopeOverTurns(values: Float64Array, n: number): number {
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    count += 1;
    sx += i;
    sy += v;
  }
  // No gap: trendSlope as it always was, to the last bit.
  if (count === n) return trendSlope(values.subarray(0, n));
  if (count < 2) return 0;
  const [xMean, yMean] = [sx / count, sy / count];
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    sxy += (i - xMean) * (v - yMean);
    sxx += (i - xMean) * (i - xMean);
  }
  return sxy / sxx;
}

/**
 * Moves the values present (not NaN: a turn with nothing to measure) to the front of the first
 * `n` entries, in order, and returns how many there are: statistics skip absent turns.
 */
function presentFirst(scratch: Float64Array, n: number): number {
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const v = scratch[i]!;
    if (v === v) scratch[kept++] = v;
  }
  return kept;
}

/** The summary of a window whose every turn had nothing to measure: count 0, every other field absent. */
function absentSummary(): Summary {
  const absent = Number.NaN;
  return {
    count: 0,
    sum: absent,
    mean: absent,
    min: absent,
    max: absent,
    median: absent,
    stdev: absent,
    p95: absent,
    slope: absent,
    cv: absent,
  };
}

/**
 * One field of {@link summarizeInPlace} for the first `n` entries of a scratch array,
 * computed alone: the same value (the same sort first, so the same sums), without the other
 * fields. Sorts those entries in place unless the field is the slope or the count.
 */
export function summaryFieldInPlace(scratch: Float64Array, all: number, field: keyof Summary): number {
  const slope = field === 'slope' ? slopeOverTurns(scratch, all) : 0;
  const n = presentFirst(scratch, all);
  if (field === 'count') return n;
  if (n === 0 && all > 0) return Number.NaN;
  const values = scratch.subarray(0, n);
  if (field === 'slope') return slope;
  const s = values.sort();
  switch (field) {
    case 'sum':
      return sum(s);
    case 'mean':
      return mean(s);
    case 'min':
      return min(s);
    case 'max':
      return max(s);
    case 'median':
      return median(s, true);
    case 'stdev':
      return stdev(s);
    case 'p95':
      return p95(s, true);
    case 'cv':
      return coefficientOfVariation(s);
  }
}
