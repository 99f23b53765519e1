/*
 * The `tradesim` entry point. Stop signals are taken before anything else is loaded: the
 * CLI's modules take a moment to load, and a signal in that time would otherwise end the
 * process with no message and no flush.
 */
import type { StopRequests } from './cli.js';

/** The signals that end a run: finish the turn, flush, exit 0. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

let first: string | undefined;
let listener: ((signal: string) => void) | undefined;
// Repeats (npm and process managers relay a signal the group already got) are one request.
for (const signal of STOP_SIGNALS) {
  process.on(signal, () => {
    if (first) return;
    first = signal;
    listener?.(signal);
  });
}
const stops: StopRequests = {
  requested: () => first,
  listen(onStop) {
    listener = onStop;
    if (first) onStop(first);
  },
};

// A module that cannot be loaded (too few file descriptors: ulimit -n) is one line, not a stack.
const cli = await import('./cli.js').catch((error: unknown) => {
  process.stderr.write(`tradesim: cannot load the CLI: ${(error as Error).message.split('\n')[0]}\n`);
  process.exit(2);
});
process.exitCode = await cli.runCli(process.argv.slice(2), stops).catch(cli.reportExit);
