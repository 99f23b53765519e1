/**
 * The flags of the repository's scripts (npm run monitoring, backfill, rules, dashboards,
 * regimes, docs:metrics, bench:*). A script's usage is its file's leading doc comment, so
 * the two cannot drift: `--help` prints it and exits 0 before the script does any work.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { joinNegativeValues, repeatedFlag } from '../src/cli/args.js';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { escapeControls } from '../src/cli/control-characters.js';
import { EXIT_OUTPUT_LOST } from '../src/cli/errors.js';
import { parseSeeds } from '../src/cli/sweep/sweep-grid.js';

/** The leading doc comment of the script at `scriptUrl` (its `import.meta.url`), as plain text. */
export function usageOf(scriptUrl: string): string {
  const source = readFileSync(fileURLToPath(scriptUrl), 'utf8');
  const comment = /^\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
  return comment
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}

/**
 * A script's standard output read by something that stops reading (`| head -1`) is no error:
 * what is left is dropped and the script's work (a file it writes) goes on. Any other failure
 * of stdout is said once, on stderr, and the script ends with exit code 3 (output lost).
 */
export function keepOnThroughClosedPipe(name: string): void {
  let lost: string | undefined;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || lost !== undefined) return;
    lost = error.message;
    process.stderr.write(`${name}: output not written to stdout: ${escapeControls(lost)}\n`);
    process.exitCode = EXIT_OUTPUT_LOST;
  });
}

/** With `--help` or `-h` among the arguments (before a `--`), prints the script's usage on stdout and exits 0. */
export function exitOnHelp(scriptUrl: string, args: readonly string[] = process.argv.slice(2)): void {
  const end = args.indexOf('--');
  const own = end < 0 ? args : args.slice(0, end);
  if (!own.includes('--help') && !own.includes('-h')) return;
  process.stdout.write(`${usageOf(scriptUrl)}\n`);
  process.exit(0);
}

/**
 * A script's flags, parsed strictly: `--help` prints its usage and exits 0; an unknown flag or
 * a missing value is one line on stderr, `<name>: <problem>`, and exit code 2.
 */
export function parseScriptArgs<T extends Omit<ParseArgsConfig, 'args' | 'strict'>>(
  name: string,
  scriptUrl: string,
  config: T,
): ReturnType<typeof parseArgs<T & { strict: true }>> {
  keepOnThroughClosedPipe(name);
  exitOnHelp(scriptUrl);
  // `--step -1` names its problem as `--step=-1` does, not as an ambiguous flag.
  const args = joinNegativeValues(process.argv.slice(2));
  let parsed;
  try {
    parsed = parseArgs({ ...config, args, strict: true }) as ReturnType<typeof parseArgs<T & { strict: true }>>;
  } catch (error) {
    failScript(name, (error as Error).message.split('\n')[0] ?? 'bad flag');
  }
  const repeated = repeatedFlag(args, config.options ?? {}, config.allowPositionals ?? false);
  if (repeated) failScript(name, repeated);
  return parsed;
}

/**
 * Ends a script on a problem it cannot go on through: one line on stderr, `<name>: <message>`
 * (control characters escaped, so a path or a file's text cannot break the line), exit code 2.
 */
export function failScript(name: string, message: string): never {
  process.stderr.write(`${name}: ${escapeControls(message)}\n`);
  process.exit(2);
}

/**
 * What went wrong with a file of the repository, in a few words: its error code (ENOENT,
 * EISDIR, ENOSPC...) or the message's first line; a missing file or folder adds that the
 * script runs from the repository's root, where they are.
 */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return "ENOENT (run it from the repository's root)";
  return code ?? (error as Error).message.split('\n')[0] ?? 'error';
}

/** The most seeds one call of a script plays (each a whole run). */
export const MAX_SEEDS = 10_000;

/**
 * `--seeds` as the sweep takes it (`7`, `1-10`, `1,5,9-12`; at most MAX_SEEDS of them): the
 * seeds, in order, each once; anything else ends the script in one line, exit 2.
 */
export function parseScriptSeeds(name: string, text: string): number[] {
  try {
    return parseSeeds(text, MAX_SEEDS);
  } catch (error) {
    return failScript(name, error instanceof Error ? error.message : String(error));
  }
}
