import { defineError } from '../simulation/index.js';

/**
 * The CLI's error catalogue. The CLI prints any of these as one line on stderr and exits
 * with code 2.
 */
export const CliErrors = {
  // --- flags ---
  TRADESIM_ERR_CLI_FLAG_INVALID: defineError('TRADESIM_ERR_CLI_FLAG_INVALID', (problem: string) => ({
    message: problem,
  })),

  // --- scenario files ---
  TRADESIM_ERR_CLI_SCENARIO_NOT_FOUND: defineError(
    'TRADESIM_ERR_CLI_SCENARIO_NOT_FOUND',
    (name: string, presets: readonly string[], fileThere = false) => ({
      message: fileThere
        ? `--scenario: no preset named '${name}' (presets: ${presets.join(', ')}); a name without a '/' or '.json' is a preset: for the file, give ./${name}`
        : `--scenario: no preset or file named '${name}' (presets: ${presets.join(', ')})`,
    }),
  ),
  TRADESIM_ERR_CLI_PORT_IN_USE: defineError('TRADESIM_ERR_CLI_PORT_IN_USE', (host: string, port: number) => ({
    message: `--port: ${host}:${port} is already in use (choose another with --port or TRADESIM_PORT)`,
  })),
  TRADESIM_ERR_CLI_SCENARIO_UNREADABLE: defineError(
    'TRADESIM_ERR_CLI_SCENARIO_UNREADABLE',
    (path: string, reason: string) => ({ message: `--scenario: cannot read ${path}: ${reason}` }),
  ),

  // --- checkpoints ---
  TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE: defineError(
    'TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE',
    (path: string, reason: string) => ({ message: `checkpoint ${path}: ${reason}` }),
  ),

  // --- files ---
  TRADESIM_ERR_CLI_OUTPUT_REFUSED: defineError(
    'TRADESIM_ERR_CLI_OUTPUT_REFUSED',
    (flag: string, path: string, reason: string) => ({ message: `${flag}: refusing ${path}: ${reason}` }),
  ),
  TRADESIM_ERR_CLI_FILE_NOT_WRITTEN: defineError(
    'TRADESIM_ERR_CLI_FILE_NOT_WRITTEN',
    (path: string, reason: string) => ({ message: `${path}: not written: ${reason}` }),
  ),
  TRADESIM_ERR_CLI_CHECKPOINT_IN_USE: defineError(
    'TRADESIM_ERR_CLI_CHECKPOINT_IN_USE',
    (path: string, holder: string) => ({
      message: `--checkpoint: ${path} is being written by another run (${holder}); choose another with --checkpoint`,
    }),
  ),
  TRADESIM_ERR_CLI_JSONL_IN_USE: defineError(
    'TRADESIM_ERR_CLI_JSONL_IN_USE',
    (flag: string, path: string, holder: string) => ({
      message: `${flag}: ${path} is being written by another run (${holder}); choose another with ${flag}`,
    }),
  ),
} as const;

/** The exit code of a command refused for its input: a bad flag, variable or file. */
export const EXIT_BAD_INPUT = 2;

/**
 * The exit code of a command that played its turns but lost output: a --turns run's JSONL or
 * event-log lines or its last checkpoint, a sweep's tables or plot.
 */
export const EXIT_OUTPUT_LOST = 3;
