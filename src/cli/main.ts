/*
 * The `tradesim` entry point. Stop signals are taken before anything else is loaded: the
 * CLI's modules take a moment to load, and a signal in that time would otherwise end the
 * process with no message and no flush.
 */
import type { StopRequests } from './cli.js';

/** How long the process may outlive the run's end, waiting for writes the kernel holds. */
const EXIT_GRACE_MS = 2_000;
/** The longest it waits past the run's end for the terminal to take what was printed. */
const EXIT_DRAIN_MS = 30_000;

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

/**
 * A test hook, inert unless TRADESIM_START_GATE=1: start-up waits here, after the stop
 * signals are taken and before the CLI loads, saying so on stderr, until a stop signal comes;
 * a test then signals at a point it sees instead of after a guessed delay.
 */
function startGate(): Promise<void> {
  if (first) return Promise.resolve();
  process.stderr.write('tradesim: start gate: waiting for a stop signal\n');
  // Signal handlers alone do not keep the process alive.
  const alive = setInterval(() => undefined, 60_000);
  return new Promise((resolve) => {
    listener = () => {
      clearInterval(alive);
      resolve();
    };
  });
}

if (process.env.TRADESIM_START_GATE === '1') await startGate();

// A module that cannot be loaded (too few file descriptors: ulimit -n) is one line, not a stack.
const cli = await import('./cli.js').catch((error: unknown) => {
  process.stderr.write(`tradesim: cannot load the CLI: ${(error as Error).message.split('\n')[0]}\n`);
  process.exit(2);
});
process.exitCode = await cli.runCli(process.argv.slice(2), stops).catch(cli.reportExit);
// Every file is written or given up by now. A write the kernel still holds (a hung disk)
// would keep the process alive for ever: it ends anyway, once the terminal has taken what
// was printed (a slow pipe, `| less`), or at EXIT_DRAIN_MS for a terminal that takes nothing.
const ended = Date.now();
const exitOnceDrained = (): void => {
  const printing = process.stdout.writableLength + process.stderr.writableLength;
  if (printing === 0 || Date.now() - ended >= EXIT_DRAIN_MS) process.exit();
  setTimeout(exitOnceDrained, 100).unref();
};
setTimeout(exitOnceDrained, EXIT_GRACE_MS).unref();
// Left to itself, Node closes its signal handles before it ends, and a stop signal in that
// window (a second Ctrl-C, a repeat relayed by npm or a process manager) meets the default
// action and ends the process by the signal instead of 0. process.exit() skips that teardown.
process.once('beforeExit', () => process.exit());
