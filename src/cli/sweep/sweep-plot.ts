import { Resvg } from '@resvg/resvg-js';
import type { SweepRow } from './run-one.js';

/**
 * Bins of a histogram: `bins` equal widths from the lowest to the highest value; values all
 * equal are one bin from that value to itself (no width made up around it).
 */
export function histogram(values: readonly number[], bins: number): { from: number; to: number; count: number }[] {
  if (values.length === 0) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (hi === lo) return [{ from: lo, to: hi, count: values.length }];
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(counts.length - 1, Math.floor((v - lo) / width))]! += 1;
  return counts.map((count, i) => ({ from: lo + i * width, to: lo + (i + 1) * width, count }));
}

const esc = (text: string) => text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
const label = (x: number) => (Math.abs(x) >= 100 || Number.isInteger(x) ? String(Math.round(x)) : x.toPrecision(3));

/** An SVG histogram of one column of the ok runs. */
export function histogramSvg(rows: readonly SweepRow[], column: string, title: string): string {
  const ok = rows.filter((r) => r.status === 'ok');
  const values = ok.map((r) => r[column]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const bins = histogram(values, Math.min(30, Math.max(5, Math.ceil(Math.sqrt(values.length)))));
  const [w, h, left, right, top, bottom] = [800, 450, 60, 20, 50, 50];
  const plotW = w - left - right;
  const plotH = h - top - bottom;
  const most = Math.max(1, ...bins.map((b) => b.count));
  const barW = bins.length > 0 ? plotW / bins.length : 0;
  const bars = bins
    .map((b, i) => {
      const bh = (b.count / most) * plotH;
      return `<rect x="${(left + i * barW + 1).toFixed(1)}" y="${(top + plotH - bh).toFixed(1)}" width="${Math.max(1, barW - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#3b6ea5"/>`;
    })
    .join('');
  const none = ok.length - values.length;
  // With no value the axis has no ends to show.
  const [lo, hi] = bins.length === 0 ? ['-', '-'] : [label(bins[0]!.from), label(bins.at(-1)!.to)];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="14">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${left}" y="28" font-size="18">${esc(title)}</text>`,
    bars,
    `<line x1="${left}" y1="${top + plotH}" x2="${w - right}" y2="${top + plotH}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="${left}" y="${h - 28}" text-anchor="start">${lo}</text>`,
    `<text x="${w - right}" y="${h - 28}" text-anchor="end">${hi}</text>`,
    `<text x="${left + plotW / 2}" y="${h - 10}" text-anchor="middle">${esc(column)}: ${values.length} runs${none > 0 ? `, ${none} with none` : ''}</text>`,
    `<text x="${left - 8}" y="${top + 5}" text-anchor="end">${most}</text>`,
    `<text x="${left - 8}" y="${top + plotH}" text-anchor="end">0</text>`,
    '</svg>',
  ].join('\n');
}

/** The histogram as a PNG. */
export function histogramPng(rows: readonly SweepRow[], column: string, title: string): Buffer {
  const svg = histogramSvg(rows, column, title);
  return new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}
