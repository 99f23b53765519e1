import { describe, expect, it } from 'vitest';
import { createTurnLoop, loadRunConfig, SERVICE_NAMES, type TurnSnapshot } from '../../src/services/index.js';
import { createSimulation, type TurnReport } from '../../src/simulation/index.js';

const config = loadRunConfig({ companies: { count: 300 } });

function build() {
  const simulation = createSimulation(config.scenario, 17);
  const service = createTurnLoop({ simulation, config, runId: 'slices' });
  const lines: string[] = [];
  service.subscribe((snapshot: TurnSnapshot, report: TurnReport) => {
    // The business parts of each snapshot (the performance service's are timings) and the report.
    const business = SERVICE_NAMES.filter((name) => name !== 'performance').map((name) => snapshot[name]);
    lines.push(JSON.stringify([snapshot.turn, business, report]));
  });
  return { simulation, service, lines };
}

describe('TurnLoop: turns in slices', () => {
  it('publishes the same business figures in slices of any size as turn by turn', async () => {
    const whole = build();
    for (let i = 0; i < 40; i++) whole.service.runTurn();
    for (const sliceItems of [37, 1_000_000]) {
      const sliced = build();
      await sliced.service.run({ turns: 40, sliceItems });
      expect(sliced.lines).toEqual(whole.lines);
    }
  });

  it('runs readers between turns only, never on a half-played world, and plays the same turns', async () => {
    const { simulation, service, lines } = build();
    let midTurn = 0;
    const seen: { world: number; turn: number; latest: number }[] = [];
    let asking = true;
    const ask = () => {
      if (!asking) return;
      // The world's turn is ahead of the simulation's while a turn is half played.
      if (simulation.world.turn > simulation.turn) midTurn += 1;
      void service.betweenTurns(() => {
        seen.push({ world: simulation.world.turn, turn: simulation.turn, latest: service.latest()?.turn ?? 0 });
        service.entities({ kind: 'companies', sort: 'budget', order: 'desc', offset: 0, limit: 5 });
      });
      setImmediate(ask);
    };
    setImmediate(ask);
    await service.run({ turns: 30, sliceItems: 50, yieldEveryMs: 0 });
    asking = false;
    expect(midTurn).toBeGreaterThan(30);
    expect(seen.length).toBeGreaterThan(30);
    for (const s of seen) expect(s.world === s.turn && s.turn === s.latest).toBe(true);
    const whole = build();
    for (let i = 0; i < 30; i++) whole.service.runTurn();
    expect(lines).toEqual(whole.lines);
  });

  it('finishes the turn under way before it pauses or stops', async () => {
    const { simulation, service } = build();
    const run = service.run({ sliceItems: 50, yieldEveryMs: 0 });
    await new Promise<void>((resolve) => {
      const check = () => (simulation.world.turn > simulation.turn ? resolve() : setImmediate(check));
      setImmediate(check);
    });
    service.pause();
    expect(service.step()).toBe(false);
    const stepped = await service.betweenTurns(() => service.step());
    expect(stepped).toBe(true);
    expect(simulation.world.turn).toBe(simulation.turn);
    expect(service.latest()?.turn).toBe(simulation.turn);
    await service.stop();
    await run;
    expect(simulation.world.turn).toBe(simulation.turn);
  });

  it('publishes a turn of several slices in slices of its own, a service each, seen whole or not at all', async () => {
    const { simulation, service, lines } = build();
    // Played, not yet published; and of those, moments when the first services hold the turn
    // and the last does not yet (read directly, as no reader should).
    let publishing = 0;
    let split = 0;
    // Once a turn is published (before, the figures are not known yet).
    const last = (figure: string) => (service.latest() ? (service.history(figure, 1).turns[0] ?? 0) : 0);
    const seen: { latest: number; budget: number; slo: number }[] = [];
    let asking = true;
    const ask = () => {
      if (!asking) return;
      const latest = service.latest()?.turn ?? 0;
      if (simulation.turn > latest) publishing += 1;
      if (last('budget.total') > last('performance.turnSeconds')) split += 1;
      void service.betweenTurns(() => {
        // The first service to record (budget) and the last (performance).
        seen.push({
          latest: service.latest()?.turn ?? 0,
          budget: last('budget.total'),
          slo: last('performance.turnSeconds'),
        });
      });
      setImmediate(ask);
    };
    setImmediate(ask);
    await service.run({ turns: 30, sliceItems: 50, yieldEveryMs: 0 });
    asking = false;
    expect(publishing).toBeGreaterThan(30);
    expect(split).toBeGreaterThan(10);
    expect(seen.length).toBeGreaterThan(30);
    for (const s of seen) expect(s.budget === s.latest && s.slo === s.latest).toBe(true);
    const whole = build();
    for (let i = 0; i < 30; i++) whole.service.runTurn();
    expect(lines).toEqual(whole.lines);
  });
});
