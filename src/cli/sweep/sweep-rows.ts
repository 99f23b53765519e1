import { closeSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import type { Cell, SweepRow } from './run-one.js';
import { CliErrors } from '../errors.js';
import { tempNameOf } from '../whole-file.js';

/** A column of the sweep's table and how Parquet stores it. */
export interface Column {
  readonly name: string;
  readonly type: 'DOUBLE' | 'STRING';
}

/** The figures of a run's row after its scenario, seed and parameters (see runOne). */
export const FIGURES = [
  'final_budget_total',
  'final_budget_ratio',
  'min_budget_ratio',
  'max_budget_ratio',
  'final_companies_active',
  'final_insolvent',
  'max_insolvent',
  'final_price_index',
  'max_price_index',
  'final_paid_price_index',
  'final_fill_ratio',
  'min_fill_ratio',
  'final_supplier_stock',
  'min_supplier_stock',
  'purchases_succeeded',
  'purchases_failed',
  'exits',
  'entries',
  'first_critical_turn',
];

/** The table's columns, in order, for a sweep's --set keys (and their values) and rules. */
export function sweepColumns(
  params: readonly { key: string; values: readonly unknown[] }[],
  rules: readonly string[],
): Column[] {
  const d = (name: string): Column => ({ name, type: 'DOUBLE' });
  const s = (name: string): Column => ({ name, type: 'STRING' });
  return [
    d('run'),
    s('scenario'),
    d('seed'),
    ...params.map(({ key, values }) => (values.every((v) => typeof v === 'number') ? d(key) : s(key))),
    s('status'),
    s('error'),
    d('turns'),
    ...FIGURES.map(d),
    ...rules.flatMap((r) => [d(`first_${r}_turn`), d(`firings_${r}`)]),
    d('wall_seconds'),
  ];
}

/** A CSV field: quoted when it holds a comma, a quote or a line break; empty for null. */
function csvField(value: Cell | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as CSV (RFC 4180, a header line first). */
export function toCsv(columns: readonly Column[], rows: readonly SweepRow[]): string {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c.name])).join(','));
  return `${lines.join('\n')}\n`;
}

/** Writes `text` (or what `write` writes) to `tmp`, flushed to the disk before it is renamed. */
function flushed(tmp: string, write: (tmp: string) => void): void {
  write(tmp);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the rows as CSV and as Parquet, `<base>.csv` and `<base>.parquet`, as a pair: both
 * are written whole to temporary names first; then the old CSV goes, the Parquet file is
 * renamed in, and the CSV last. Stopped at any point, the folder holds the old pair, a lone
 * Parquet file (old or new), or the new pair: never a CSV beside a Parquet file of another sweep.
 */
export function writeTables(
  base: string,
  columns: readonly Column[],
  rows: readonly SweepRow[],
  identity?: SweepIdentity,
): void {
  const csv = `${base}.csv`;
  const parquet = `${base}.parquet`;
  const tmpCsv = tempNameOf(csv);
  const tmpParquet = tempNameOf(parquet);
  // Refused before the old CSV goes: a folder (or a link) where a table goes would fail its
  // rename only after that, losing the old pair for nothing.
  for (const path of [csv, parquet]) {
    const info = lstatOf(path);
    if (info && !info.isFile()) throw new CliErrors.TRADESIM_ERR_CLI_OUTPUT_REFUSED('--out', path, 'it is not a file');
  }
  try {
    flushed(tmpCsv, (tmp) => writeFileSync(tmp, toCsv(columns, rows)));
    flushed(tmpParquet, (tmp) =>
      parquetWriteFile({
        filename: tmp,
        ...(identity ? { kvMetadata: [{ key: IDENTITY_KEY, value: JSON.stringify(identity) }] } : {}),
        columnData: columns.map((c) => ({
          name: c.name,
          type: c.type,
          data: rows.map((r) => {
            const v = r[c.name];
            if (v === undefined || v === null) return null;
            return c.type === 'DOUBLE' ? Number(v) : String(v);
          }),
        })),
      }),
    );
    rmSync(csv, { force: true });
    renameSync(tmpParquet, parquet);
    renameSync(tmpCsv, csv);
  } catch (error) {
    // A write or rename that fails (a full disk) leaves no temporary file either.
    rmSync(tmpCsv, { force: true });
    rmSync(tmpParquet, { force: true });
    throw error;
  }
}

/** What lstat says of `path`, or undefined when it cannot be looked at (absent, a file where a folder is). */
export const lstatOf = (path: string) => {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
};

/**
 * Which sweep a table is of, kept in its Parquet file's metadata: a merge joins only the parts
 * of one sweep, and knows every run it should hold.
 */
export interface SweepIdentity {
  /** SHA-256 of what decides the runs: the scenario's text, the seeds, the turns, the --set values. */
  readonly sweep: string;
  readonly scenario: string;
  readonly turns: number;
  /** Runs of the whole sweep, numbered from 0. */
  readonly runs: number;
  /** The parts it was played in (a part holds every parts-th run from its index), or absent. */
  readonly parts?: number;
}

const IDENTITY_KEY = 'tradesim.sweep';

/** A Parquet file's columns (in order), rows and sweep identity (absent in a file without one), as written by writeTables. */
export async function readTable(
  path: string,
): Promise<{ columns: Column[]; rows: SweepRow[]; identity: SweepIdentity | undefined }> {
  const file = await asyncBufferFromFile(path);
  const rows = (await parquetReadObjects({ file })) as Record<string, Cell>[];
  const metadata = await parquetMetadataAsync(file);
  const columns = metadata.schema
    .slice(1)
    .map((e): Column => ({ name: e.name, type: e.type === 'DOUBLE' ? 'DOUBLE' : 'STRING' }));
  const kept = metadata.key_value_metadata?.find((kv) => kv.key === IDENTITY_KEY)?.value;
  return { columns, rows, identity: kept === undefined ? undefined : (JSON.parse(kept) as SweepIdentity) };
}
