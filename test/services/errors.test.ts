import { describe, expect, it } from 'vitest';
import { ServicesErrors } from '../../src/services/index.js';
import { TradeSimError } from '../../src/simulation/index.js';

describe('services error catalogue', () => {
  it('keys every error by its own code', () => {
    for (const [key, ErrorClass] of Object.entries(ServicesErrors)) {
      expect(ErrorClass.code).toBe(key);
      expect(key).toMatch(/^TRADESIM_ERR_[A-Z]+_[A-Z_]+$/);
    }
  });

  it('pins the catalogue', () => {
    expect(Object.keys(ServicesErrors).sort()).toEqual([
      'TRADESIM_ERR_CONFIG_INVALID',
      'TRADESIM_ERR_FIGURE_UNKNOWN',
      'TRADESIM_ERR_HISTORY_CAPACITY_INVALID',
      'TRADESIM_ERR_INTERVAL_INVALID',
      'TRADESIM_ERR_LOOP_ALREADY_RUNNING',
      'TRADESIM_ERR_LOOP_STOPPED',
      'TRADESIM_ERR_PAGE_INVALID',
      'TRADESIM_ERR_SHOCK_INVALID',
      'TRADESIM_ERR_SHOCK_LIMIT',
      'TRADESIM_ERR_SHOCK_NOT_IN_FORCE',
      'TRADESIM_ERR_SORT_UNKNOWN',
      'TRADESIM_ERR_WINDOW_INVALID',
    ]);
    expect(new ServicesErrors.TRADESIM_ERR_WINDOW_INVALID(0)).toBeInstanceOf(TradeSimError);
  });

  it('answers a bad query with a 4xx status and a broken invariant with 500', () => {
    const statuses = Object.fromEntries(Object.entries(ServicesErrors).map(([key, E]) => [key, E.statusCode]));
    expect(statuses).toEqual({
      TRADESIM_ERR_CONFIG_INVALID: 400,
      TRADESIM_ERR_HISTORY_CAPACITY_INVALID: 500,
      TRADESIM_ERR_FIGURE_UNKNOWN: 400,
      TRADESIM_ERR_WINDOW_INVALID: 400,
      TRADESIM_ERR_SORT_UNKNOWN: 400,
      TRADESIM_ERR_PAGE_INVALID: 400,
      TRADESIM_ERR_INTERVAL_INVALID: 400,
      TRADESIM_ERR_LOOP_ALREADY_RUNNING: 409,
      TRADESIM_ERR_LOOP_STOPPED: 409,
      TRADESIM_ERR_SHOCK_INVALID: 400,
      TRADESIM_ERR_SHOCK_NOT_IN_FORCE: 409,
      TRADESIM_ERR_SHOCK_LIMIT: 409,
    });
  });
});
