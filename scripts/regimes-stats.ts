/** The statistics `npm run regimes` judges the presets by (series are indexed by turn - 1). */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Distinct values, to 12 significant digits (so one ratio computed twice counts once). */
export function distinctValues(values: readonly number[]): number {
  return new Set(values.map((v) => v.toPrecision(12))).size;
}

/** Max over min of a series from index `from` on (Infinity when it touches 0). */
export function bandAfter(series: ArrayLike<number>, from: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < series.length; i++) {
    // A value with nothing to measure (NaN) is no bound; with none at all, no band (NaN: a miss).
    if (Number.isNaN(series[i]!)) continue;
    lo = Math.min(lo, series[i]!);
    hi = Math.max(hi, series[i]!);
  }
  if (lo === Infinity) return Number.NaN;
  return lo > 0 ? hi / lo : Infinity;
}

/** Standard deviation of a series from index `from` on. */
export function std(series: ArrayLike<number>, from = 0): number {
  let n = 0;
  let mean = 0;
  for (let i = from; i < series.length; i++, n++) mean += series[i]!;
  mean /= Math.max(1, n);
  let v = 0;
  for (let i = from; i < series.length; i++) v += (series[i]! - mean) ** 2;
  return Math.sqrt(v / Math.max(1, n));
}

/**
 * Means of a series over sliding windows of `width`, a turn with nothing to measure (NaN)
 * left out of its windows (a window of none of them is NaN).
 */
export function slidingMeans(series: ArrayLike<number>, width: number): Float64Array {
  const out = new Float64Array(Math.max(0, series.length - width + 1));
  let total = 0;
  let present = 0;
  for (let i = 0; i < series.length; i++) {
    const value = series[i]!;
    if (!Number.isNaN(value)) [total, present] = [total + value, present + 1];
    const gone = i >= width ? series[i - width]! : Number.NaN;
    if (!Number.isNaN(gone)) [total, present] = [total - gone, present - 1];
    if (i >= width - 1) out[i - width + 1] = present === 0 ? Number.NaN : total / present;
  }
  return out;
}

/** Mean per hour of the day (UTC) of the simulated time; the busiest hour's over the quietest's. */
export function busiestOverQuietestHour(series: ArrayLike<number>, timeMs: ArrayLike<number>): number {
  const total = new Float64Array(24);
  const count = new Float64Array(24);
  for (let i = 0; i < series.length; i++) {
    const hour = Math.floor((timeMs[i]! % DAY_MS) / HOUR_MS);
    total[hour]! += series[i]!;
    count[hour]! += 1;
  }
  const means = Array.from(total, (t, h) => (count[h]! > 0 ? t / count[h]! : Number.NaN)).filter(Number.isFinite);
  return Math.max(...means) / Math.max(1e-9, Math.min(...means));
}

/** The mean of a series on Saturdays and Sundays over its mean on weekdays (by simulated time). */
export function weekendOverWeekday(series: ArrayLike<number>, timeMs: ArrayLike<number>): number {
  let weekend = 0;
  let weekendN = 0;
  let weekday = 0;
  let weekdayN = 0;
  for (let i = 0; i < series.length; i++) {
    // 1970-01-01 was a Thursday: day + 3 mod 7 is 0 on Mondays.
    const day = (Math.floor(timeMs[i]! / DAY_MS) + 3) % 7;
    if (day >= 5) {
      weekend += series[i]!;
      weekendN += 1;
    } else {
      weekday += series[i]!;
      weekdayN += 1;
    }
  }
  return weekend / Math.max(1, weekendN) / Math.max(1e-9, weekday / Math.max(1, weekdayN));
}

/**
 * Means of a series over the turns in the top and in the bottom quarter of the business
 * cycle (sin(2 pi turn / period) above sin(pi / 4), below -sin(pi / 4)); weighted by
 * `weights` when given (a rate weighted by its attempts).
 */
export function cycleQuarterMeans(
  series: ArrayLike<number>,
  period: number,
  weights?: ArrayLike<number>,
): { top: number; bottom: number } {
  const edge = Math.sin(Math.PI / 4);
  let top = 0;
  let topW = 0;
  let bottom = 0;
  let bottomW = 0;
  for (let i = 0; i < series.length; i++) {
    const phase = Math.sin((2 * Math.PI * (i + 1)) / period);
    // A turn with nothing to measure weighs nothing.
    if (Number.isNaN(series[i]!)) continue;
    const w = weights ? weights[i]! : 1;
    if (phase > edge) {
      top += w * series[i]!;
      topW += w;
    } else if (phase < -edge) {
      bottom += w * series[i]!;
      bottomW += w;
    }
  }
  return { top: top / Math.max(1e-9, topW), bottom: bottom / Math.max(1e-9, bottomW) };
}

/**
 * The share of a series' variance (from index `from`, linear trend removed) held by its largest
 * periodogram peak with a period between `minPeriod` and `maxPeriod` turns.
 */
export function periodogramShare(series: ArrayLike<number>, minPeriod: number, maxPeriod: number, from = 0): number {
  const n = series.length - from;
  if (n < 2 * minPeriod) return 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const y = series[from + i]!;
    sx += i;
    sy += y;
    sxx += i * i;
    sxy += i * y;
  }
  const slope = (n * sxy - sx * sy) / Math.max(1e-9, n * sxx - sx * sx);
  const intercept = (sy - slope * sx) / n;
  const y = Float64Array.from({ length: n }, (_, i) => series[from + i]! - intercept - slope * i);
  let variance = 0;
  for (let i = 0; i < n; i++) variance += y[i]! * y[i]!;
  if (variance === 0) return 0;
  let best = 0;
  // Frequencies k / n: power 2 |X_k|^2 / n^2 over the variance / n (Parseval: the one-sided peaks sum to 1).
  for (let k = Math.max(1, Math.ceil(n / maxPeriod)); k <= Math.floor(n / minPeriod); k++) {
    let re = 0;
    let im = 0;
    const w = (2 * Math.PI * k) / n;
    for (let i = 0; i < n; i++) {
      re += y[i]! * Math.cos(w * i);
      im -= y[i]! * Math.sin(w * i);
    }
    best = Math.max(best, (2 * (re * re + im * im)) / n / variance);
  }
  return best;
}
