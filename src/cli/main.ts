import { TradeSimError } from '../simulation/index.js';
import { parseCliArgs, USAGE } from './args.js';
import { limitHeapGrowth } from './heap.js';
import { startRun } from './run.js';

/**
 * `npm run simulate`: runs until its turns are done or SIGINT / SIGTERM, then exits 0. A bad
 * flag, scenario or port is one line on stderr and exit code 2.
 */
async function main(argv: readonly string[]): Promise<number> {
  const options = parseCliArgs(argv, process.env);
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  limitHeapGrowth();
  const run = await startRun(options, { stdout: process.stdout, stderr: process.stderr });
  const onSignal = (signal: string) => {
    process.stderr.write(`\ntradesim: ${signal}: finishing the turn and flushing\n`);
    run.stop().catch((error: unknown) => {
      process.stderr.write(`tradesim: error while stopping: ${(error as Error).message}\n`);
      process.exit(1);
    });
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  await run.finished;
  const latest = run.service.latest();
  process.stderr.write(`tradesim: stopped after turn ${latest?.turn ?? 0} (seed ${run.service.seed})\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof TradeSimError) {
      process.stderr.write(`tradesim: ${error.message} (${error.code})\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`tradesim: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
