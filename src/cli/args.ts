import { parseArgs } from 'node:util';
import { CliErrors } from './errors.js';

/** The CLI's options after validation. */
export interface CliOptions {
  readonly scenario: string;
  /** The seed given with --seed, or null to pick one (and print it). */
  readonly seed: number | null;
  /** Turns to run, or null to run until stopped. */
  readonly turns: number | null;
  /** Pause between turns, milliseconds; 0 runs flat out. */
  readonly intervalMs: number;
  readonly quiet: boolean;
  readonly help: boolean;
}

/** The help text `--help` prints. */
export const USAGE = `Usage: npm run simulate -- [options]

  --scenario NAME|PATH  preset name (default, crisis, large, stress) or a JSON file (default: default)
  --seed N              seed, 0..${Number.MAX_SAFE_INTEGER} (default: picked at random and printed)
  --turns N             turns to run (default: until stopped)
  --interval MS         pause between turns in milliseconds, 0 = flat out (default: 500)
  --quiet               print no per-turn lines
  --help                print this help`;

function integerFlag(
  flag: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      `${flag}: must be an integer from ${min} to ${max}, got '${raw}'`,
    );
  }
  return value;
}

/** Parses and validates the command line; throws TRADESIM_ERR_CLI_FLAG_INVALID naming the flag. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        scenario: { type: 'string' },
        seed: { type: 'string' },
        turns: { type: 'string' },
        interval: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      (error as Error).message.split('\n')[0] ?? 'bad flag',
    );
  }
  const str = (key: string) => values[key] as string | undefined;
  const seed = integerFlag('--seed', str('seed'), 0, Number.MAX_SAFE_INTEGER);
  const scenario = str('scenario') ?? 'default';
  if (scenario.trim() === '')
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID('--scenario: must not be empty');
  return Object.freeze({
    scenario,
    seed,
    turns: integerFlag('--turns', str('turns'), 1, Number.MAX_SAFE_INTEGER),
    intervalMs: integerFlag('--interval', str('interval'), 0, 3_600_000) ?? 500,
    quiet: values.quiet === true,
    help: values.help === true,
  });
}
