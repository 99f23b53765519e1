import { TradeSimError } from '../simulation/index.js';
import { parseCliArgs, USAGE } from './args.js';
import { limitHeapGrowth } from './heap.js';
import { type Run, startRun } from './run.js';
import { EXIT_OUTPUT_LOST } from './errors.js';
import { escapeControls } from './control-characters.js';
import { createSafeWriter } from './safe-writer.js';

/** Stop requests (signals) received since the process started. */
export interface StopRequests {
  /** The first stop signal received, if any. */
  requested(): string | undefined;
  /** Calls `onStop` once, at the first stop signal (at once if one came already). */
  listen(onStop: (signal: string) => void): void;
}

/**
 * The CLI: runs until its turns are done or a stop signal, then
 * exits 0 (3 for a --turns run that lost output: see EXIT_OUTPUT_LOST; what was lost is said either way). A bad flag, scenario, port or a JSONL file held by another run is one line on
 * stderr and exit code 2. A closed or full stdout or stderr never ends the run.
 */
export async function runCli(argv: readonly string[], stops: StopRequests): Promise<number> {
  const stdout = createSafeWriter(process.stdout);
  const stderr = createSafeWriter(process.stderr);
  const started: { run?: Run } = {};
  const onStop = (signal: string) => {
    stderr.write(`\ntradesim: ${signal}: finishing the turn and flushing\n`);
    started.run?.stop().catch((error: unknown) => {
      stderr.write(`tradesim: error while stopping: ${(error as Error).message}\n`);
      process.exit(1);
    });
  };
  stops.listen(onStop);

  const options = parseCliArgs(argv, process.env);
  if (options.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  limitHeapGrowth();
  const run = await startRun(options, { stdout, stderr });
  started.run = run;
  if (stops.requested()) void run.stop();
  await run.finished;
  const latest = run.loop.latest();
  stderr.write(`tradesim: stopped after turn ${latest?.turn ?? 0} (seed ${run.loop.seed})\n`);
  // What was lost is said whatever ended the run. A batch run's files are its result: one that
  // lost some of them must not look like a success; a service stopped by a signal exits 0.
  const lost = run.lost();
  if (lost.length === 0) return 0;
  const code = options.turns !== null ? EXIT_OUTPUT_LOST : 0;
  stderr.write(`tradesim: output lost: ${lost.join(', ')} (exit ${code})\n`);
  return code;
}

export { EXIT_OUTPUT_LOST } from './errors.js';

/** Reports the CLI's end: its exit code, or a thrown error as one line (exit 2 for catalogued ones). */
export function reportExit(error: unknown): number {
  const stderr = createSafeWriter(process.stderr);
  if (error instanceof TradeSimError) {
    // One line, whatever text it quotes: a parser's message quotes the file, newlines and
    // a terminal's escape sequences included.
    stderr.write(`tradesim: ${escapeControls(error.message)} (${error.code})\n`);
    return 2;
  }
  // Out of file descriptors (ulimit -n), a module or a file cannot be opened: a limit, not a bug.
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EMFILE' || code === 'ENFILE') {
    stderr.write(`tradesim: too many open files (${code}): raise the limit (ulimit -n): ${(error as Error).message}\n`);
    return 2;
  }
  stderr.write(`tradesim: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}
