/*
 * `sweep merge`: the part files of an Indexed Job joined into one table and its summary.
 */
import { EXIT_OUTPUT_LOST } from '../errors.js';
import { fail, plotColumnOrFail, writableOrFail, writeOutputs } from './sweep-outputs.js';
import { readTable, type SweepIdentity } from './sweep-rows.js';
import { summaryTable } from './sweep-summary.js';

/**
 * What a merge lacks, said, or undefined: the parts not given, from the files' names
 * (`sweep-part-I-of-K`); else the runs missing between those given (a part's last runs
 * cannot be known from the others: "at least"). For tables without an identity.
 */
function missingByNames(files: readonly string[], runs: readonly number[]): string | undefined {
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

/** The runs of a sweep of `runs` that `present` lacks, said (a few named, then counted), or undefined. */
function missingRuns(identity: SweepIdentity, present: readonly number[]): string | undefined {
  const have = new Set(present);
  const absent = Array.from({ length: identity.runs }, (_, r) => r).filter((r) => !have.has(r));
  if (absent.length === 0) return undefined;
  const named = absent.slice(0, 10).join(', ') + (absent.length > 10 ? ', ...' : '');
  const parts = identity.parts ?? 1;
  const inParts = [...new Set(absent.map((r) => r % parts))];
  const where = identity.parts === undefined ? '' : ` (of part${inParts.length > 1 ? 's' : ''} ${inParts.join(', ')})`;
  return `${absent.length} of ${identity.runs} runs missing${where}: run${absent.length > 1 ? 's' : ''} ${named} (a part not merged, or interrupted)`;
}

/** The one sweep the tables are of, or a refusal naming the first that is of another. */
function sweepOf(
  files: readonly string[],
  identities: readonly (SweepIdentity | undefined)[],
): SweepIdentity | undefined {
  const without = identities.findIndex((x) => x === undefined);
  const withOne = identities.findIndex((x) => x !== undefined);
  if (without >= 0 && withOne >= 0) {
    fail(`merge: ${files[withOne]} says which sweep it is of, ${files[without]} does not: parts of different sweeps`);
  }
  const first = identities[0];
  for (const [i, identity] of identities.entries()) {
    if (identity === undefined || first === undefined) continue;
    // The parts a table was played in, only when both say (a merged table is of no part); the
    // scenario by its text, in the hash, not by how it was named (crisis, scenarios/crisis.json).
    const both = identity.parts !== undefined && first.parts !== undefined;
    const differs = (['turns', 'runs', ...(both ? (['parts'] as const) : []), 'sweep'] as const).find(
      (k) => identity[k] !== first[k],
    );
    if (differs !== undefined) {
      const what =
        differs === 'sweep'
          ? 'its scenario text, seeds or --set values'
          : `${differs} ${identity[differs]} against ${first[differs]}`;
      fail(`merge: ${files[i]} is of another sweep than ${files[0]} (${what})`);
    }
  }
  return first;
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
  const identity = sweepOf(
    files,
    tables.map((t) => t.identity),
  );
  plotColumnOrFail(plot, columns);
  const rows = tables.flatMap((t) => t.rows).sort((a, b) => Number(a.run) - Number(b.run));
  const runs = rows.map((r) => Number(r.run));
  const repeated = runs.find((r, i) => i > 0 && r === runs[i - 1]);
  if (repeated !== undefined) fail(`merge: run ${repeated} is in more than one part`);
  const missing = identity ? missingRuns(identity, runs) : missingByNames(files, runs);
  const paramKeys = columns
    .slice(
      3,
      columns.findIndex((c) => c.name === 'status'),
    )
    .map((c) => c.name);
  await writableOrFail(out, 'sweep', plot);
  // The merged table is the whole sweep's: its identity without the parts.
  const whole = identity && {
    sweep: identity.sweep,
    scenario: identity.scenario,
    turns: identity.turns,
    runs: identity.runs,
  };
  const title = `${plot ?? ''} across ${rows.length} runs`;
  const failed = writeOutputs(out, 'sweep', columns, rows, plot, title, whole);
  if (missing) process.stderr.write(`sweep: warning: ${missing}\n`);
  process.stdout.write(summaryTable(rows, paramKeys));
  return failed > 0 ? EXIT_OUTPUT_LOST : 0;
}
