import { escapeControls } from '../control-characters.js';
import type { SweepRow } from './run-one.js';

/** The figures the summary shows, with their labels. */
const SHOWN: readonly (readonly [string, string])[] = [
  ['final_budget_ratio', 'budget / initial, at the end'],
  ['min_budget_ratio', 'budget / initial, lowest'],
  ['max_insolvent', 'insolvent companies, most'],
  ['exits', 'exits'],
  ['first_critical_turn', 'turn of the first critical alert'],
  ['first_budget_critical_turn', 'turn of the first budget_critical'],
  ['wall_seconds', 'wall seconds'],
];

/** The q-quantile of sorted values, linearly interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

/**
 * A short table per parameter combination: quantiles across seeds of the main figures (runs
 * where a figure has no value, such as a rule that never fired, counted apart), and the
 * runs that failed.
 */
export function summaryTable(rows: readonly SweepRow[], paramKeys: readonly string[]): string {
  const groups = new Map<string, SweepRow[]>();
  for (const row of rows) {
    const key = paramKeys.map((k) => `${k}=${String(row[k])}`).join(' ');
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const out: string[] = [];
  for (const [key, group] of groups) {
    const ok = group.filter((r) => r.status === 'ok');
    // A --set value or an error may hold control characters: escaped, they cannot drive the terminal.
    out.push(`${escapeControls(key) || 'all runs'}: ${group.length} runs, ${group.length - ok.length} failed`);
    out.push(
      `  ${'figure'.padEnd(36)}${['p5', 'p25', 'median', 'p75', 'p95'].map((h) => h.padStart(10)).join('')}   runs with none`,
    );
    for (const [column, label] of SHOWN) {
      const values = ok
        .map((r) => r[column])
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
        .sort((a, b) => a - b);
      const cells =
        values.length === 0
          ? ['-', '-', '-', '-', '-']
          : [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => fmt(quantile(values, q)));
      out.push(`  ${label.padEnd(36)}${cells.map((c) => c.padStart(10)).join('')}   ${ok.length - values.length}`);
    }
    const failed = group.filter((r) => r.status !== 'ok').slice(0, 3);
    for (const r of failed)
      out.push(`  failed: run ${String(r.run)} (seed ${String(r.seed)}): ${escapeControls(String(r.error))}`);
  }
  return `${out.join('\n')}\n`;
}
