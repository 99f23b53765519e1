import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../src/simulation/index.js';
import { quietScenario } from '../fixtures.js';

describe('advanceDemand', () => {
  it('follows the business cycle exactly without noise', () => {
    const scenario = quietScenario({ households: { cyclePeriod: 40, cycleAmplitude: 0.3, volatility: 0 } });
    const sim = createSimulation(scenario, 1);
    for (let turn = 1; turn <= 80; turn++) {
      expect(sim.step().market.demandIndex).toBeCloseTo(1 + 0.3 * Math.sin((2 * Math.PI * turn) / 40), 12);
    }
  });

  it('moves with mean-reverting noise of the stated spread, and never below its floor', () => {
    const scenario = quietScenario({
      households: { cycleAmplitude: 0, volatility: 0.05, persistence: 0.9 },
    });
    const sim = createSimulation(scenario, 4);
    const values = Array.from({ length: 20_000 }, () => sim.step().market.demandIndex);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    // AR(1): stationary spread = volatility / sqrt(1 - persistence^2) = 0.115.
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.14);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0.05);
  });

  it('is multiplied by the demand shocks in force', () => {
    const scenario = quietScenario({
      households: { cycleAmplitude: 0, volatility: 0 },
      timeline: [
        { at: 3, shock: 'demand_surge', turns: 4, severity: 0.5 },
        { at: 5, shock: 'demand_collapse', turns: 4, severity: 0.5 },
      ],
    });
    const sim = createSimulation(scenario, 1);
    const index = Array.from({ length: 10 }, () => sim.step().market.demandIndex);
    expect(index).toEqual([1, 1, 1.5, 1.5, 0.75, 0.75, 0.5, 0.5, 1, 1]);
  });
});
