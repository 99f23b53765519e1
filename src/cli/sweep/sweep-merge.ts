/*
 * `sweep merge`: the part files of an Indexed Job joined into one table and its summary.
 */
import { EXIT_OUTPUT_LOST } from '../errors.js';
import { fail, plotColumnOrFail, writableOrFail, writeOutputs } from './sweep-outputs.js';
import { readTable } from './sweep-rows.js';
import { summaryTable } from './sweep-summary.js';

/**
 * What a merge lacks, said, or undefined: the parts not given, from the files' names
 * (`sweep-part-I-of-K`); else the runs missing between those given (a part's last runs
 * cannot be known from the others: "at least").
 */
function missingOf(files: readonly string[], runs: readonly number[]): string | undefined {
  const named = files.map((f) => /sweep-part-(\d+)-of-(\d+)\.parquet$/.exec(f));
  const of = new Set(named.map((m) => m?.[2]));
  if (named.every((m) => m !== null) && of.size === 1) {
    const count = Number(named[0]![2]);
    const given = new Set(named.map((m) => Number(m[1])));
    const absent = Array.from({ length: count }, (_, i) => i).filter((i) => !given.has(i));
    if (absent.length === 0) return undefined;
    return `part${absent.length > 1 ? 's' : ''} ${absent.join(', ')} of ${count} not merged: their runs are missing`;
  }
  const gaps = runs.length === 0 ? 0 : runs[runs.length - 1]! + 1 - runs.length;
  return gaps > 0 ? `at least ${gaps} runs missing (a part not merged?)` : undefined;
}

/** `merge`: joins the part files of an Indexed Job into one table and its summary. */
export async function merge(plot: string | undefined, files: readonly string[], out: string): Promise<number> {
  if (files.length === 0) fail('merge: name the part files (e.g. results/sweep-part-*.parquet)');
  const tables = await Promise.all(
    files.map((f) =>
      readTable(f).catch((error: Error) => fail(`merge: cannot read ${f}: ${error.message.split('\n')[0]}`)),
    ),
  );
  const columns = tables[0]!.columns;
  for (const [i, t] of tables.entries()) {
    if (t.columns.map((c) => c.name).join() !== columns.map((c) => c.name).join()) {
      fail(`merge: ${files[i]} has other columns than ${files[0]}: parts of different sweeps`);
    }
  }
  plotColumnOrFail(plot, columns);
  const rows = tables.flatMap((t) => t.rows).sort((a, b) => Number(a.run) - Number(b.run));
  const runs = rows.map((r) => Number(r.run));
  const repeated = runs.find((r, i) => i > 0 && r === runs[i - 1]);
  if (repeated !== undefined) fail(`merge: run ${repeated} is in more than one part`);
  const missing = missingOf(files, runs);
  const paramKeys = columns
    .slice(
      3,
      columns.findIndex((c) => c.name === 'status'),
    )
    .map((c) => c.name);
  await writableOrFail(out);
  const failed = writeOutputs(out, 'sweep', columns, rows, plot, `${plot ?? ''} across ${rows.length} runs`);
  if (missing) process.stderr.write(`sweep: warning: ${missing}\n`);
  process.stdout.write(summaryTable(rows, paramKeys));
  return failed > 0 ? EXIT_OUTPUT_LOST : 0;
}
