import { defineError, problemList } from '../simulation/index.js';

/** The services layer's error catalogue (codes `TRADESIM_ERR_<AREA>_<PROBLEM>`). */
export const ServicesErrors = {
  // --- configuration ---
  TRADESIM_ERR_CONFIG_INVALID: defineError('TRADESIM_ERR_CONFIG_INVALID', (problems: readonly string[]) => ({
    message: `invalid scenario: ${problemList(problems)}`,
    problems,
  })),
  TRADESIM_ERR_HISTORY_CAPACITY_INVALID: defineError('TRADESIM_ERR_HISTORY_CAPACITY_INVALID', (capacity: number) => ({
    message: `history capacity: must be an integer >= 1, got ${capacity}`,
  })),

  // --- queries ---
  TRADESIM_ERR_FIGURE_UNKNOWN: defineError('TRADESIM_ERR_FIGURE_UNKNOWN', (figure: string) => ({
    message: `figure: unknown figure '${figure}'`,
  })),
  TRADESIM_ERR_FIGURE_NOT_KEPT: defineError('TRADESIM_ERR_FIGURE_NOT_KEPT', (figure: string) => ({
    message: `figure: '${figure}' is computed when read, not kept in history (its value is in /api/stats)`,
  })),
  TRADESIM_ERR_WINDOW_INVALID: defineError('TRADESIM_ERR_WINDOW_INVALID', (window: number) => ({
    message: `window: must be an integer >= 1, got ${window}`,
  })),

  TRADESIM_ERR_SORT_UNKNOWN: defineError(
    'TRADESIM_ERR_SORT_UNKNOWN',
    (kind: string, sort: string, fields: readonly string[]) => ({
      message: `sort: ${kind} cannot be sorted by '${sort}' (one of ${fields.join(', ')})`,
    }),
  ),
  TRADESIM_ERR_PAGE_INVALID: defineError('TRADESIM_ERR_PAGE_INVALID', (offset: number, limit: number, max: number) => ({
    message: `offset must be an integer >= 0 and limit one from 1 to ${max}, got offset ${offset} and limit ${limit}`,
  })),

  // --- the turn loop ---
  TRADESIM_ERR_LOOP_ALREADY_RUNNING: defineError('TRADESIM_ERR_LOOP_ALREADY_RUNNING', () => ({
    message: 'the turn loop is already running',
  })),
  TRADESIM_ERR_INTERVAL_INVALID: defineError('TRADESIM_ERR_INTERVAL_INVALID', (ms: number) => ({
    message: `interval: must be an integer number of milliseconds from 0 to 3600000, got ${ms}`,
  })),
  TRADESIM_ERR_LOOP_STOPPED: defineError('TRADESIM_ERR_LOOP_STOPPED', () => ({
    message: 'the turn loop has stopped and cannot run again',
  })),

  // --- live shocks ---
  TRADESIM_ERR_SHOCK_INVALID: defineError('TRADESIM_ERR_SHOCK_INVALID', (problems: readonly string[]) => ({
    message: `shock: ${problemList(problems)}`,
    problems,
  })),
  TRADESIM_ERR_SHOCK_NOT_IN_FORCE: defineError('TRADESIM_ERR_SHOCK_NOT_IN_FORCE', (index: number, why: string) => ({
    message: `shock ${index}: ${why}`,
  })),
  TRADESIM_ERR_SHOCK_LIMIT: defineError('TRADESIM_ERR_SHOCK_LIMIT', (limit: number) => ({
    message: `a run takes at most ${limit} live shocks`,
  })),
} as const;
