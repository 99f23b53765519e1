/*
 * What a sweep writes, shared by a run and a merge: its --out folder checked before any run,
 * the tables and the plot, and the refusal of a bad flag.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from '../../monitoring/index.js';
import { escapeControls } from '../control-characters.js';
import { CliErrors } from '../errors.js';
import { writeWholeFile } from '../whole-file.js';
import type { SweepRow } from './run-one.js';
import { histogramPng } from './sweep-plot.js';
import { type Column, lstatOf, type SweepIdentity, writeTables } from './sweep-rows.js';

/** Refuses a flag or file of the sweep in one line (exit 2). */
export const fail = (message: string): never => {
  throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(message);
};

/**
 * Writes the tables, then the plot, each whole or not at all, and says each file written. One
 * that fails (a full disk) is said by name and the others are still written: the rows first,
 * as they are what a sweep is for. Returns how many failed.
 */
export function writeOutputs(
  out: string,
  base: string,
  columns: readonly Column[],
  rows: readonly SweepRow[],
  plot: string | undefined,
  title: string,
  identity?: SweepIdentity,
): number {
  let failed = 0;
  const attempt = (files: readonly string[], write: () => void): void => {
    try {
      write();
      for (const file of files) process.stderr.write(`sweep: wrote ${file}\n`);
    } catch (error) {
      failed++;
      const reason = escapeControls((error as Error).message.split('\n')[0] ?? '');
      process.stderr.write(`sweep: ${files.join(' and ')}: not written: ${reason}\n`);
    }
  };
  const tables = join(out, base);
  attempt([`${tables}.csv`, `${tables}.parquet`], () => writeTables(tables, columns, rows, identity));
  if (plot !== undefined) {
    const file = join(out, plotName(base, plot));
    // An empty column (no run's critical alert, say) draws an empty histogram: said, not hidden.
    if (!rows.some((r) => typeof r[plot] === 'number' && Number.isFinite(r[plot]))) {
      process.stderr.write(`sweep: warning: ${plot} holds no number in any run: ${file} is an empty histogram\n`);
    }
    // Through a temporary file named by this process, as the tables are.
    attempt([file], () => writeWholeFile(file, [histogramPng(rows, plot, title)]));
  }
  return failed;
}

/** A plot's file: the column's name, after the part's tables' name for a part (parts share a folder). */
export const plotName = (base: string, plot: string): string =>
  base === 'sweep' ? `${plot}.png` : `${base}-${plot}.png`;

/** Refuses a --plot column the table does not have, or one that holds no numbers. */
export function plotColumnOrFail(plot: string | undefined, columns: readonly Column[]): void {
  if (plot === undefined) return;
  const column = columns.find((c) => c.name === plot);
  const numeric = columns.filter((c) => c.type === 'DOUBLE').map((c) => c.name);
  if (column?.type !== 'DOUBLE') {
    fail(`--plot: '${plot}' is not a numeric column of this sweep (${numeric.join(', ')})`);
  }
}

/**
 * Refuses, before any run, a --out folder the tables could not be written to, and a table or
 * plot path there that is not a file (a folder, a link): found after the runs, it would cost
 * the rows.
 */
export async function writableOrFail(out: string, base: string, plot: string | undefined): Promise<void> {
  const probe = join(out, `.sweep-probe-${process.pid}`);
  try {
    await makeDirs(out);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    fail(`--out: cannot write to ${out}: ${((error as Error).message.split('\n')[0] ?? '').replace(/^\w+: /, '')}`);
  }
  const targets = [`${base}.csv`, `${base}.parquet`, ...(plot === undefined ? [] : [plotName(base, plot)])];
  for (const target of targets.map((name) => join(out, name))) {
    const info = lstatOf(target);
    if (info && !info.isFile()) fail(`--out: refusing ${target}: it is not a file`);
  }
}
