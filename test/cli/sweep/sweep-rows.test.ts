import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepRow } from '../../../src/cli/sweep/run-one.js';
import { histogram, histogramSvg } from '../../../src/cli/sweep/sweep-plot.js';
import { progressLine } from '../../../src/cli/sweep/sweep-progress.js';
import { readTable, sweepColumns, toCsv, writeTables } from '../../../src/cli/sweep/sweep-rows.js';
import { quantile, summaryTable } from '../../../src/cli/sweep/sweep-summary.js';

const columns = sweepColumns([{ key: 'market.selectionProbability', values: [0.4] }], ['budget_critical']);
const rows: SweepRow[] = [
  {
    run: 0,
    scenario: 'crisis',
    seed: 1,
    'market.selectionProbability': 0.4,
    status: 'ok',
    error: null,
    turns: 10,
    first_budget_critical_turn: 937,
    firings_budget_critical: 1,
    exits: 3,
    wall_seconds: 0.5,
  },
  {
    run: 1,
    scenario: 'my "x", y',
    seed: 2,
    'market.selectionProbability': 0.4,
    status: 'error',
    error: 'companies.count: must be >= 1',
  },
];

describe('sweep tables', () => {
  it('has the grid, the figures, two columns per rule and the wall time, in order', () => {
    const names = columns.map((c) => c.name);
    expect(names.slice(0, 6)).toEqual(['run', 'scenario', 'seed', 'market.selectionProbability', 'status', 'error']);
    expect(names.slice(-3)).toEqual(['first_budget_critical_turn', 'firings_budget_critical', 'wall_seconds']);
  });

  it('writes RFC 4180 CSV: quotes where needed, empty cells for none', () => {
    const csv = toCsv(columns, rows).split('\n');
    expect(csv[0]).toMatch(/^run,scenario,seed,market\.selectionProbability,status,error,turns,/);
    expect(csv[2]).toMatch(/^1,"my ""x"", y",2,0\.4,error,companies\.count: must be >= 1,,/);
  });

  it('writes Parquet that reads back as the same rows, nulls included, and the same CSV', async () => {
    const base = join(mkdtempSync(join(tmpdir(), 'tradesim-sweep-')), 'sweep');
    writeTables(base, columns, rows);
    const back = await readTable(`${base}.parquet`);
    expect(back.columns).toEqual(columns);
    expect(toCsv(back.columns, back.rows)).toBe(readFileSync(`${base}.csv`, 'utf8'));
    expect(back.rows[1]).toMatchObject({ status: 'error', turns: null, wall_seconds: null });
  });

  it('summarises quantiles across runs, and lists failures', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    const text = summaryTable(rows, ['market.selectionProbability']);
    expect(text).toContain('market.selectionProbability=0.4: 2 runs, 1 failed');
    expect(text).toMatch(/turn of the first budget_critical\s+937\s+937\s+937\s+937\s+937\s+0/);
    expect(text).toContain('failed: run 1 (seed 2): companies.count: must be >= 1');
    // A value that would drive the terminal is shown escaped.
    const red = summaryTable([{ ...rows[0]!, name: 'a\u001b[31mRED' }], ['name']);
    expect(red).not.toContain('\u001b');
    expect(red).toContain('name=a');
  });

  it('bins a histogram and draws it', () => {
    expect(histogram([0, 1, 2, 3, 10], 2).map((b) => b.count)).toEqual([4, 1]);
    expect(histogram([5, 5], 4)).toEqual([{ from: 5, to: 5, count: 2 }]);
    const svg = histogramSvg(rows, 'first_budget_critical_turn', 'a <title>');
    expect(svg).toContain('a &lt;title&gt;');
    expect(svg.match(/<rect /g)).toHaveLength(2);
  });

  it('shows progress with a rate and an ETA', () => {
    expect(progressLine(25, 100, 10, 10)).toBe('[###-------] 25/100 25% 2.5 runs/s ETA 30s');
    expect(progressLine(0, 100, 0, 10)).toContain('ETA ?');
  });

  it('writes the CSV and the Parquet file as a pair: a pair that cannot be written leaves the old one whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-sweep-'));
    const base = join(dir, 'sweep');
    writeTables(base, columns, rows);
    const before = readFileSync(`${base}.csv`, 'utf8');
    // The Parquet file's temporary name is taken (a folder): the second write fails midway.
    mkdirSync(`${base}.parquet.tmp-${process.pid}`);
    expect(() => writeTables(base, columns, rows.slice(0, 1))).toThrow();
    expect(readFileSync(`${base}.csv`, 'utf8')).toBe(before);
    expect((await readTable(`${base}.parquet`)).rows).toHaveLength(2);
    expect(readdirSync(dir).filter((f) => f.includes('.csv.tmp'))).toEqual([]);
  });
});
