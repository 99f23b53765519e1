import { defineError } from '../simulation/index.js';

/** The services layer's error catalogue (codes `TRADESIM_ERR_<AREA>_<PROBLEM>`). */
export const ServicesErrors = {
  // --- configuration ---
  TRADESIM_ERR_CONFIG_INVALID: defineError('TRADESIM_ERR_CONFIG_INVALID', (problems: readonly string[]) => ({
    message: `invalid scenario: ${problems.join('; ')}`,
    problems,
  })),
  TRADESIM_ERR_HISTORY_CAPACITY_INVALID: defineError(
    'TRADESIM_ERR_HISTORY_CAPACITY_INVALID',
    (capacity: number) => ({ message: `history capacity: must be an integer >= 1, got ${capacity}` }),
  ),

  // --- queries ---
  TRADESIM_ERR_FIGURE_UNKNOWN: defineError('TRADESIM_ERR_FIGURE_UNKNOWN', (figure: string) => ({
    message: `figure: unknown figure '${figure}'`,
  })),
  TRADESIM_ERR_WINDOW_INVALID: defineError('TRADESIM_ERR_WINDOW_INVALID', (window: number) => ({
    message: `window: must be an integer >= 1, got ${window}`,
  })),

  // --- the turn loop ---
  TRADESIM_ERR_LOOP_ALREADY_RUNNING: defineError('TRADESIM_ERR_LOOP_ALREADY_RUNNING', () => ({
    message: 'the turn loop is already running',
  })),
  TRADESIM_ERR_LOOP_STOPPED: defineError('TRADESIM_ERR_LOOP_STOPPED', () => ({
    message: 'the turn loop has stopped and cannot run again',
  })),
} as const;
