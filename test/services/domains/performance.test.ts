import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../src/simulation/index.js';
import { createTurnLoop, loadRunConfig } from '../../../src/services/index.js';

describe('performance service', () => {
  it('reports phase times and rates from the injected clock', () => {
    const config = loadRunConfig({});
    // A fake clock that advances 1 ms each time it is read.
    let now = 0;
    const service = createTurnLoop({
      simulation: createSimulation(config.scenario, 1),
      config,
      clocks: { monotonicMs: () => (now += 1), wallMs: () => 0 },
    });
    for (let i = 0; i < 30; i++) service.runTurn();
    const p = service.latest()!.performance;
    // Each phase spans one clock read: 1 ms.
    expect(p.phaseSeconds).toMatchObject({ prices: 0.001, purchases: 0.001, market: 0.001, events: 0.001 });
    expect(p.turnSeconds).toBeCloseTo(0.004, 12);
    // The services' time is summed over their steps (a turn may be published over slices), one
    // per domain service, each spanning one clock read.
    expect(p.phaseSeconds.services).toBeCloseTo(0.001 * service.services.domains.length, 12);
    // Each turn reads the clock the same number of times, so turns are evenly spaced.
    const perTurnSeconds =
      p.clockSeconds - service.services.performance.history.series('performance.clockSeconds', 2)[0]!;
    expect(p.window.turnsPerSecond).toBeCloseTo(1 / perTurnSeconds, 9);
    expect(p.window.turnSecondsMean).toBeCloseTo(0.004, 12);
  });

  it('counts cache hits when figures are read again within a turn', () => {
    const config = loadRunConfig({});
    const service = createTurnLoop({ simulation: createSimulation(config.scenario, 1), config });
    service.runTurn();
    const before = service.services.cache.hits;
    for (let i = 0; i < 5; i++) service.summary('budget.total', 10);
    expect(service.services.cache.hits - before).toBe(4);
    service.runTurn();
    expect(service.latest()!.performance.cacheHits).toBeGreaterThanOrEqual(before + 4);
  });
});
