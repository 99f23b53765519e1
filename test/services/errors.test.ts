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
      'TRADESIM_ERR_FIGURE_NOT_KEPT',
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
});
