import { describe, expect, it } from 'vitest';
import { SimulationErrors, TradeSimError } from '../../src/simulation/index.js';

describe('simulation error catalogue', () => {
  it('keys every error by its own code, in the TRADESIM_ERR_ form', () => {
    for (const [key, ErrorClass] of Object.entries(SimulationErrors)) {
      expect(ErrorClass.code).toBe(key);
      expect(key).toMatch(/^TRADESIM_ERR_[A-Z]+_[A-Z_]+$/);
    }
  });

  it('pins the catalogue', () => {
    expect(Object.keys(SimulationErrors).sort()).toEqual([
      'TRADESIM_ERR_CHECKPOINT_MISMATCH',
      'TRADESIM_ERR_RNG_RANGE_INVALID',
      'TRADESIM_ERR_RNG_STATE_INVALID',
      'TRADESIM_ERR_SCENARIO_INVALID',
      'TRADESIM_ERR_SEED_INVALID',
      'TRADESIM_ERR_TURN_IN_PROGRESS',
    ]);
  });

  it('builds errors that carry their code and problems', () => {
    const error = new SimulationErrors.TRADESIM_ERR_SCENARIO_INVALID(['a: x', 'b: y']);
    expect(error).toBeInstanceOf(TradeSimError);
    expect(error.code).toBe('TRADESIM_ERR_SCENARIO_INVALID');
    expect(error.problems).toEqual(['a: x', 'b: y']);
    expect(error.message).toContain('a: x; b: y');
  });
});
