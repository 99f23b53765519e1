/**
 * `npm run sweep`: plays a grid of runs (seeds x --set values) on worker threads and writes
 * one row per run to CSV and Parquet; `merge` joins parts written by a Kubernetes Indexed
 * Job; `k8s` writes that Job. See the README's Experiments section.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { holdLock, takeLock } from '../../monitoring/index.js';
import { loadRunConfig, runRules } from '../../services/index.js';
import { integer, joinNegativeValues, repeatedFlag } from '../args.js';
import { EXIT_BAD_INPUT, EXIT_OUTPUT_LOST } from '../errors.js';
import { escapeControls } from '../control-characters.js';
import { readScenarioSource } from '../scenario-file.js';
import type { SweepTask } from './run-one.js';
import { gridOf, parseSeeds, parseSet, partOf, type SetFlag } from './sweep-grid.js';
import { checkSetKey } from './sweep-keys.js';
import { indexedJob } from './sweep-k8s.js';
import { play } from './sweep-pool.js';
import { FIGURES, type SweepIdentity, sweepColumns } from './sweep-rows.js';
import { merge } from './sweep-merge.js';
import { fail, plotColumnOrFail, writableOrFail, writeOutputs } from './sweep-outputs.js';
import { summaryTable } from './sweep-summary.js';

/** The most runs one grid may hold (seeds x every --set value). */
export const SWEEP_RUNS_MAX = 100_000;
/** The most turns one grid may play in all (runs x --turns). */
export const SWEEP_TURNS_MAX = 1_000_000_000;
/** The exit status of a sweep stopped by Ctrl-C or a stop signal (128 + SIGINT), its rows written. */
export const SWEEP_INTERRUPTED_EXIT = 130;
/** Worker threads per core, at most. */
export const SWEEP_WORKERS_PER_CORE = 4;

export const SWEEP_USAGE = `Usage: npm run sweep -- [options]
       npm run sweep -- merge PART.parquet... [--out DIR] [--plot COLUMN]
       npm run sweep -- k8s [options] --parts K --image IMAGE [--name NAME] [--claim PVC]

Plays every seed with every combination of --set values, on worker threads, and writes one
row per run to DIR/sweep.csv and DIR/sweep.parquet, and a summary to stdout. A grid holds
at most ${SWEEP_RUNS_MAX.toLocaleString('en-US')} runs and ${SWEEP_TURNS_MAX.toLocaleString('en-US')} turns in all (runs x --turns).
Ctrl-C stops it and writes the rows of the runs done so far (exit code 130). An output that
cannot be written (a full disk) is named, the others are still written (exit code 3).

  --scenario NAME|PATH   preset or scenario file (default: default)
  --seeds LIST           seeds: 1-500, or 1,2,10-20 (required)
  --turns N              turns per run (default: 1000)
  --set KEY=V1,V2        a dotted scenario key and the values to try; repeat for a grid
  --workers N            worker threads (default: the cores available; at most 4 per
                         core, and never more than the runs)
  --out DIR              where the tables go (default: .)
  --plot COLUMN          also write DIR/COLUMN.png (a part's: DIR/sweep-part-I-of-K-COLUMN.png),
                         a histogram of that (numeric) column
  --parts K              play part JOB_COMPLETION_INDEX (or --part I) of K, into
                         DIR/sweep-part-I-of-K.parquet (and .csv)
  --part I               which part, 0..K-1 (default: $JOB_COMPLETION_INDEX)
  --help                 print this help`;

const OPTIONS = {
  scenario: { type: 'string' },
  seeds: { type: 'string' },
  turns: { type: 'string' },
  set: { type: 'string', multiple: true },
  workers: { type: 'string' },
  out: { type: 'string' },
  plot: { type: 'string' },
  parts: { type: 'string' },
  part: { type: 'string' },
  image: { type: 'string' },
  name: { type: 'string' },
  claim: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: readonly string[]) {
  // `--seeds -1` names its problem as `--seeds=-1` does, not as an ambiguous flag.
  const args = joinNegativeValues(argv);
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return fail((error as Error).message.split('\n')[0] ?? 'bad flag');
  }
  const repeated = repeatedFlag(args, OPTIONS, true);
  return repeated ? fail(repeated) : parsed;
}

/** The flags of a sweep, parsed. */
type SweepValues = ReturnType<typeof parse>['values'];

/** The sweep's plan: the base scenario, the rules, the grid, this process's part of it. */
function plan(values: SweepValues, env: NodeJS.ProcessEnv, needPart = true) {
  if (values.seeds === undefined) fail('--seeds: required (e.g. --seeds 1-100)');
  const seeds = parseSeeds(values.seeds!);
  const turns = integer('--turns', values.turns, 1, 100_000_000) ?? 1000;
  const sets: SetFlag[] = (values.set ?? []).map(parseSet);
  for (const { key } of sets) checkSetKey(key);
  // The grid's size, known before it is built: refused whole, before any work.
  const runs = sets.reduce((n, set) => n * set.values.length, seeds.length);
  if (runs > SWEEP_RUNS_MAX) {
    fail(
      `the grid has ${runs.toLocaleString('en-US')} runs (seeds x --set values): at most ${SWEEP_RUNS_MAX.toLocaleString('en-US')}`,
    );
  }
  if (runs * turns > SWEEP_TURNS_MAX) {
    fail(
      `the grid plays ${(runs * turns).toLocaleString('en-US')} turns (${runs} runs x ${turns} turns): at most ${SWEEP_TURNS_MAX.toLocaleString('en-US')}`,
    );
  }
  const scenario = values.scenario ?? 'default';
  const source = readScenarioSource(scenario);
  // A bad base file stops the sweep before it starts; a bad --set value fails only its runs.
  const rules = runRules(loadRunConfig(source.text)).map((r) => r.name);
  // A rule's column may not take the place of one of the sweep's own.
  const clash = rules.find((r) => FIGURES.includes(`first_${r}_turn`));
  if (clash) {
    fail(
      `${scenario}: alert rule '${clash}' would get the column first_${clash}_turn, the sweep's own (the first critical alert's turn): rename the rule`,
    );
  }
  const grid = gridOf(sets, seeds);
  const tasks: SweepTask[] = grid.map((g, index) => ({
    index,
    scenario,
    scenarioText: source.text,
    seed: g.seed,
    turns,
    params: g.params,
    rules,
  }));
  const parts = integer('--parts', values.parts, 1, 100_000) ?? undefined;
  let part: number | undefined;
  if (parts !== undefined) {
    part = integer('--part', values.part ?? env.JOB_COMPLETION_INDEX, 0, parts - 1) ?? undefined;
    if (part === undefined && needPart) fail('--parts: needs --part I or JOB_COMPLETION_INDEX');
  } else if (values.part !== undefined) {
    fail('--part: needs --parts');
  }
  const identity: SweepIdentity = {
    sweep: createHash('sha256')
      .update(JSON.stringify([source.text, seeds, turns, sets]))
      .digest('hex'),
    scenario,
    turns,
    runs: tasks.length,
    ...(parts === undefined ? {} : { parts }),
  };
  return { scenario, seeds, turns, sets, rules, tasks, parts, part, identity, columns: sweepColumns(sets, rules) };
}

/** The worker threads: --workers (at most 4 per core), never more than the runs. */
function workersFor(raw: string | undefined, runs: number): number {
  const cores = availableParallelism();
  const most = SWEEP_WORKERS_PER_CORE * cores;
  const asked = integer('--workers', raw, 1, Number.MAX_SAFE_INTEGER) ?? cores;
  // More threads than that only share the same cores, each with its own heap.
  if (asked > most)
    fail(`--workers: at most ${most} (${SWEEP_WORKERS_PER_CORE} per core, ${cores} cores), got ${asked}`);
  return Math.max(1, Math.min(asked, runs));
}

/** Runs the sweep command; resolves with the exit code. */
export async function sweepMain(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    process.stdout.write(`${SWEEP_USAGE}\n`);
    return 0;
  }
  const command = positionals[0] ?? 'run';
  const out = values.out ?? '.';
  if (command !== 'merge' && positionals.length > 1)
    fail(`unexpected '${positionals[1]}': ${command} takes flags only`);
  if (command === 'merge') {
    // A merge plays nothing: the flags of a run would do nothing.
    const idle = (
      ['scenario', 'seeds', 'turns', 'set', 'workers', 'parts', 'part', 'image', 'name', 'claim'] as const
    ).find((k) => values[k] !== undefined);
    if (idle) fail(`merge: --${idle} does nothing here (a merge joins part files: --out and --plot)`);
    return merge(values.plot, positionals.slice(1), out);
  }
  if (command !== 'run' && command !== 'k8s') fail(`unknown command '${command}' (run, merge or k8s)`);
  // Flags the command would drop without a word: a Job's pods play their part to /results,
  // on their cores; a run writes no manifest.
  const idle = (
    command === 'k8s' ? (['workers', 'out', 'plot', 'part'] as const) : (['image', 'name', 'claim'] as const)
  ).find((k) => values[k] !== undefined);
  if (idle) fail(`${command}: --${idle} does nothing here`);
  if (command === 'k8s') return writeJob(values, env);
  return runSweep(values, env, out);
}

/**
 * One sweep at a time writes a folder's tables: `TABLES.lock` (as a JSONL file's), held until
 * the process exits. Two sweeps into one --out each wrote their tables over the other's.
 */
async function lockTablesOrFail(tables: string): Promise<void> {
  let lock: Awaited<ReturnType<typeof takeLock>>;
  try {
    lock = await takeLock(tables);
  } catch (error) {
    return fail(`--out: cannot lock ${tables}: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  if (lock.state === 'held') return fail(`--out: another sweep (pid ${lock.holder.pid}) is writing ${tables}.csv`);
  if (lock.tookOver !== undefined) {
    process.stderr.write(`sweep: warning: ${tables}: took over a stale lock (${escapeControls(lock.tookOver)})\n`);
  }
  holdLock(tables);
}

/** A Job's name (an RFC 1123 label: it names its pods too). */
const K8S_NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** A PersistentVolumeClaim's name (an RFC 1123 subdomain). */
const K8S_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A preset's name: no folder, no `.json` (readScenarioSource reads it from scenarios/). */
const PRESET_NAME = /^[a-z0-9-]+$/;

/** `k8s`: writes the Indexed Job that plays the sweep in parts. */
function writeJob(values: SweepValues, env: NodeJS.ProcessEnv): number {
  // Every pod gets its part from JOB_COMPLETION_INDEX; the manifest is for all of them.
  const p = plan(values, env, false);
  if (p.parts === undefined) fail('k8s: --parts K is required');
  if (!values.image) fail('k8s: --image is required (an image built from the Dockerfile)');
  const sweepArgs = [
    ...['--scenario', p.scenario, '--seeds', values.seeds!, '--turns', String(p.turns)],
    ...(values.set ?? []).flatMap((s) => ['--set', s]),
  ];
  // A pod has the image's presets, not this machine's files.
  if (!PRESET_NAME.test(p.scenario))
    fail(`k8s: --scenario: a preset of the image (e.g. crisis), not a file: ${p.scenario}`);
  const name = values.name ?? `tradesim-sweep-${p.scenario}`;
  const claim = values.claim ?? 'tradesim-sweep-results';
  // Names Kubernetes takes (RFC 1123 labels): anything else, `kubectl apply` refuses later, or breaks the YAML now.
  for (const [flag, value] of [
    ['--name', name],
    ['--claim', claim],
  ] as const) {
    const pattern = flag === '--claim' ? K8S_SUBDOMAIN : K8S_NAME;
    if (!pattern.test(value)) {
      fail(`k8s: ${flag}: lowercase letters, digits and '-'${flag === '--claim' ? " or '.'" : ''}, got '${value}'`);
    }
  }
  const manifest = indexedJob({ name, image: values.image!, parts: p.parts!, sweepArgs, claim });
  process.stdout.write(manifest);
  return 0;
}

/** Plays the grid (or one part of it) on worker threads and writes its tables. */
async function runSweep(values: SweepValues, env: NodeJS.ProcessEnv, out: string): Promise<number> {
  const p = plan(values, env);
  plotColumnOrFail(values.plot, p.columns);
  const tasks = p.parts === undefined ? p.tasks : partOf(p.tasks, p.part!, p.parts);
  const workers = workersFor(values.workers, tasks.length);
  const base = p.parts === undefined ? 'sweep' : `sweep-part-${p.part}-of-${p.parts}`;
  await writableOrFail(out, base, values.plot);
  await lockTablesOrFail(join(out, base));
  process.stderr.write(
    `sweep: ${p.scenario}, ${tasks.length} runs of ${p.turns} turns` +
      `${p.parts === undefined ? '' : ` (part ${p.part} of ${p.parts}, ${p.tasks.length} in all)`} on ${workers} workers\n`,
  );
  // Ctrl-C (or a stop signal): the runs under way are dropped, the rows done are written.
  const stop = new AbortController();
  // Taken to the end, which process.exit() makes: a repeat (a double Ctrl-C, a relayed
  // signal) is the same stop. Removed, the last listener would hand a repeat to the default
  // action, ending the sweep by the signal with its tables unwritten.
  const onSignal = () => stop.abort();
  // A closed terminal (SIGHUP) too: as `tradesim` does, a stop, not the end of the rows.
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal).on('SIGHUP', onSignal);
  const rows = await play(tasks, workers, process.stderr, stop.signal);
  if (stop.signal.aborted && rows.length === 0) {
    // Nothing to write: the tables of an earlier sweep there are left as they were.
    process.stderr.write(`sweep: interrupted before any run was done: nothing written\n`);
    return SWEEP_INTERRUPTED_EXIT;
  }
  const title = `${values.plot ?? ''} across ${rows.length} ${p.scenario} runs`;
  const failed = writeOutputs(out, base, p.columns, rows, values.plot, title, p.identity);
  if (stop.signal.aborted) {
    const done = `${rows.length} of ${tasks.length} runs done`;
    const said = failed > 0 ? `the tables of the ${done} were not written` : `the tables hold the ${done}`;
    process.stderr.write(`sweep: interrupted: ${said}\n`);
    return SWEEP_INTERRUPTED_EXIT;
  }
  process.stdout.write(
    summaryTable(
      rows,
      p.sets.map((s) => s.key),
    ),
  );
  // Failed runs are rows of their own (status error); said on stderr too, where a summary piped away cannot hide them.
  const errors = rows.filter((r) => r.status !== 'ok');
  if (errors.length > 0) {
    const first = errors[0]!;
    process.stderr.write(
      `sweep: ${errors.length} of ${rows.length} runs failed; the first, run ${String(first.run)} (seed ${String(first.seed)}): ${escapeControls(String(first.error))}\n`,
    );
  }
  if (failed > 0) return EXIT_OUTPUT_LOST;
  // Every run of a whole sweep failed: the grid itself is wrong (a --set value no run takes),
  // as a bad flag is. Not a part's: its failed runs are rows (a pod retried would fail again).
  return p.parts === undefined && errors.length > 0 && errors.length === rows.length ? EXIT_BAD_INPUT : 0;
}

// Run as the entry point: this file under tsx, or the bundle's sweep.mjs (not the tradesim command's main.ts).
const entryPath = (): string | undefined => {
  try {
    return process.argv[1] === undefined ? undefined : realpathSync(process.argv[1]);
  } catch {
    return undefined;
  }
};
const isMain = entryPath() === fileURLToPath(import.meta.url);
if (isMain) {
  // A closed pipe (`| head -1`) or a full device on stdout or stderr never ends a sweep: a
  // stream's write error comes as an 'error' event, which ends the process unless heard. A
  // summary stdout did not take (a full disk, not a reader gone) is said on stderr.
  let summaryLost: string | undefined;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') summaryLost ??= error.message;
  });
  process.stderr.on('error', () => undefined);
  sweepMain(process.argv.slice(2)).then(
    // A stream's write error is an event of a later tick: heard before the exit.
    (code) =>
      setImmediate(() => {
        if (summaryLost !== undefined)
          process.stderr.write(`sweep: the summary was not written to stdout: ${summaryLost}\n`);
        process.exit(code);
      }),
    (error: Error & { code?: string }) => {
      process.stderr.write(
        `sweep: ${escapeControls(error.message)}${error.code?.startsWith('TRADESIM_ERR') ? ` (${error.code})` : ''}\n`,
      );
      process.exit(error.code?.startsWith('TRADESIM_ERR') ? 2 : 1);
    },
  );
}
