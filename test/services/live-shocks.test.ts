import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import {
  createTurnLoop,
  liveShocksProblem,
  liveStopsProblem,
  loadRunConfig,
  scenarioWithLiveShocks,
  SERVICE_NAMES,
  type TurnLoop,
  type TurnSnapshot,
} from '../../src/services/index.js';
import { createSimulation, restoreSimulation } from '../../src/simulation/index.js';

const config = loadRunConfig(readFileSync('scenarios/default.json', 'utf8'));
const business = (s: TurnSnapshot) =>
  JSON.stringify([s.turn, ...SERVICE_NAMES.filter((n) => n !== 'performance').map((n) => s[n]), s.alerts]);

function loopOf(seed = 3): { loop: TurnLoop; lines: string[] } {
  const loop = createTurnLoop({ simulation: createSimulation(config.scenario, seed), config });
  const lines: string[] = [];
  loop.subscribe((s) => void lines.push(business(s)));
  return { loop, lines };
}
const play = (loop: TurnLoop, turns: number) => {
  for (let i = 0; i < turns; i++) loop.runTurn();
};

/** A checkpoint's simulation and loop, as a file would hold them (structured clone). */
function checkpointOf(simulation: ReturnType<typeof createSimulation>, loop: TurnLoop) {
  return deserialize(serialize({ simulation: simulation.state(), loop: loop.checkpoint() })) as {
    simulation: ReturnType<typeof simulation.state>;
    loop: ReturnType<typeof loop.checkpoint>;
  };
}

/** The loop resumed from `saved` (seed 3), its live shocks in its timeline, and its lines from there. */
function resumedFrom(saved: ReturnType<typeof checkpointOf>): { loop: TurnLoop; lines: string[] } {
  const loop = createTurnLoop({
    simulation: restoreSimulation(
      scenarioWithLiveShocks(config.scenario, saved.loop.liveShocks, saved.simulation.world.turn),
      3,
      saved.simulation,
    ),
    config,
    restore: saved.loop,
  });
  const lines: string[] = [];
  loop.subscribe((s) => void lines.push(business(s)));
  return { loop, lines };
}

/** A session played by hand: a credit freeze from turn 11, stopped after turn 20; a recall at 15. */
function handPlayed() {
  const { loop, lines } = loopOf();
  play(loop, 10);
  const freeze = loop.shocks.start({ shock: 'credit_freeze', severity: 0.9, turns: 100 });
  play(loop, 2);
  loop.shocks.start({ shock: 'product_recall', at: 15, turns: 30 });
  play(loop, 8);
  loop.shocks.stop(freeze.index);
  play(loop, 40);
  return { loop, lines, freeze };
}

describe('live shocks', () => {
  it('start at the next turn, move the market, end early, and are recorded by turn', () => {
    const { loop, lines, freeze } = handPlayed();
    const timeline = config.scenario.timeline.length;
    expect(freeze).toMatchObject({ action: 'start', turn: 11, index: timeline });
    expect(loop.shocks.record().map((r) => [r.action, r.turn, r.index])).toEqual([
      ['start', 11, timeline],
      ['start', 15, timeline + 1],
      ['stop', 21, timeline],
    ]);
    const { loop: quiet, lines: quietLines } = loopOf();
    play(quiet, 60);
    // The same market until the freeze, another one from its turn on.
    expect(lines.slice(0, 10)).toEqual(quietLines.slice(0, 10));
    expect(lines[10]).not.toEqual(quietLines[10]);
    // Households spend a tenth of what they would while the freeze holds.
    expect(loop.history('market.revenue', 60).values[12]).toBeLessThan(
      quiet.history('market.revenue', 60).values[12]! / 2,
    );
    expect(loop.history('market.shocksInForce', 60).values[12]).toBe(1);
  });

  it('lists the shocks in force and to come, with their source', () => {
    const { loop } = loopOf();
    play(loop, 5);
    loop.shocks.start({ shock: 'demand_surge', at: 9, turns: 3 });
    expect(loop.shocks.list().filter((s) => s.source === 'live')).toMatchObject([{ state: 'pending', until: 11 }]);
    play(loop, 4);
    expect(loop.shocks.list().filter((s) => s.source === 'live')).toMatchObject([{ state: 'in force' }]);
    play(loop, 3);
    expect(loop.shocks.list().filter((s) => s.source === 'live')).toEqual([]);
  });

  it('replays a recorded session byte for byte', () => {
    const { loop, lines } = handPlayed();
    const replay = loopOf();
    replay.loop.shocks.replay(loop.shocks.record());
    play(replay.loop, 60);
    expect(replay.lines).toEqual(lines);
    expect(replay.loop.shocks.record()).toEqual(loop.shocks.record());
  });

  it('goes on through a checkpoint with a live shock in force', () => {
    const { lines } = handPlayed();
    const simulation = createSimulation(config.scenario, 3);
    const before = createTurnLoop({ simulation, config });
    play(before, 10);
    const freeze = before.shocks.start({ shock: 'credit_freeze', severity: 0.9, turns: 100 });
    play(before, 2);
    before.shocks.start({ shock: 'product_recall', at: 15, turns: 30 });
    play(before, 6);
    const saved = checkpointOf(simulation, before);
    expect(saved.loop.liveShocks).toHaveLength(2);
    const { loop: resumed, lines: after } = resumedFrom(saved);
    play(resumed, 2);
    resumed.shocks.stop(freeze.index);
    play(resumed, 40);
    expect(after).toEqual(lines.slice(18));
  });

  it.each([
    [{ shock: 'credit_freeze', at: 5 }, 'at: 5 is not after the current turn 5'],
    [{ shock: 'volcano' }, 'shock: "volcano" is not one of supply_disruption, demand_surge'],
    [{}, /^shock: shock: nothing is not one of [a-z_, ]+$/],
    [{ shock: 'credit_freeze', at: null }, 'at: must be an integer'],
    [{ shock: 'credit_freeze', at: 1_000_000_000 }, 'at: must be <= 999999999'],
    [{ shock: 'credit_freeze', continent: 'Europe' }, 'does not take a continent'],
    [{ shock: 'demand_surge', severity: 2 }, 'severity:'],
    [{ shock: 'demand_surge', extra: 1 }, 'shock:'],
  ])('refuses %j', (request, problem) => {
    const { loop } = loopOf();
    play(loop, 5);
    expect(() => loop.shocks.start(request)).toThrow(expect.objectContaining({ code: 'TRADESIM_ERR_SHOCK_INVALID' }));
    expect(() => loop.shocks.start(request)).toThrow(problem);
    expect(loop.shocks.record()).toEqual([]);
  });

  it('stops only a shock in force', () => {
    const { loop } = loopOf();
    play(loop, 5);
    const pending = loop.shocks.start({ shock: 'demand_surge', at: 20 });
    const code = { code: 'TRADESIM_ERR_SHOCK_NOT_IN_FORCE' };
    expect(() => loop.shocks.stop(pending.index)).toThrow(expect.objectContaining(code));
    expect(() => loop.shocks.stop(999)).toThrow(expect.objectContaining(code));
    // Stopped twice before the next turn: the second would record a stop no replay can take.
    const surge = loop.shocks.start({ shock: 'demand_surge', turns: 30 });
    play(loop, 3);
    loop.shocks.stop(surge.index);
    expect(() => loop.shocks.stop(surge.index)).toThrow(expect.objectContaining(code));
    expect(() => loop.shocks.stop(surge.index)).toThrow('ends at turn 9 already');
    expect(loop.shocks.record().filter((r) => r.action === 'stop')).toHaveLength(1);
    expect(liveStopsProblem(config.scenario.timeline, loop.shocks.record())).toBeUndefined();
  });

  it('goes on through a checkpoint taken with a shock still to come and one stopped for the next turn', () => {
    const { loop: straight, lines } = loopOf();
    play(straight, 10);
    straight.shocks.start({ shock: 'credit_freeze', severity: 0.9, at: 30, turns: 10 });
    const surge = straight.shocks.start({ shock: 'demand_surge', turns: 20 });
    play(straight, 5);
    straight.shocks.stop(surge.index);
    play(straight, 40);

    const simulation = createSimulation(config.scenario, 3);
    const before = createTurnLoop({ simulation, config });
    play(before, 10);
    before.shocks.start({ shock: 'credit_freeze', severity: 0.9, at: 30, turns: 10 });
    before.shocks.start({ shock: 'demand_surge', turns: 20 });
    play(before, 5);
    before.shocks.stop(surge.index);
    const saved = checkpointOf(simulation, before);
    // The start at turn 30 and the stop at turn 16 are both past the checkpoint's turn 15.
    expect(saved.loop.liveShocks!.map((r) => [r.action, r.turn])).toEqual([
      ['start', 30],
      ['start', 11],
      ['stop', 16],
    ]);
    expect(liveShocksProblem(saved.loop.liveShocks)).toBeUndefined();
    const { loop: resumed, lines: after } = resumedFrom(saved);
    play(resumed, 40);
    expect(after).toEqual(lines.slice(15));
    // A record no run could have taken: a start away from its shock's turn, a stop of no place.
    const early = { ...saved.loop.liveShocks![0]!, turn: 12 };
    expect(liveShocksProblem([early])).toMatch(/loop\.liveShocks\[0\]/);
    expect(liveShocksProblem([{ turn: 17, action: 'stop', index: -1 }])).toMatch(/loop\.liveShocks\[0\]/);
  });

  it("goes on through a checkpoint taken before a replayed session's stop, which it keeps to come", () => {
    const { loop: played } = handPlayed();
    const { loop: straight, lines } = loopOf();
    straight.shocks.replay(played.shocks.record());
    play(straight, 60);

    const simulation = createSimulation(config.scenario, 3);
    const before = createTurnLoop({ simulation, config });
    before.shocks.replay(played.shocks.record());
    play(before, 15);
    const saved = checkpointOf(simulation, before);
    // The freeze stopped for turn 21, after the checkpoint's turn 15: kept, to come.
    expect(saved.loop.liveShocks!.map((r) => [r.action, r.turn])).toEqual([
      ['start', 11],
      ['start', 15],
      ['stop', 21],
    ]);
    expect(liveShocksProblem(saved.loop.liveShocks)).toBeUndefined();
    expect(liveStopsProblem(config.scenario.timeline, saved.loop.liveShocks!)).toBeUndefined();
    const { loop: resumed, lines: after } = resumedFrom(saved);
    play(resumed, 45);
    expect(after).toEqual(lines.slice(15));
    expect(resumed.shocks.record()).toEqual(straight.shocks.record());
  });

  it('goes on through a checkpoint taken before a replayed shock starts: its length stays whole until its stop', () => {
    // An inflation's start reads its length (its hold): shortened by the stop before it started, it held less.
    const { loop: played } = loopOf();
    play(played, 10);
    const inflation = played.shocks.start({ shock: 'inflation_shock', turns: 40, percent: 40 });
    play(played, 10);
    played.shocks.stop(inflation.index);
    play(played, 30);
    const { loop: straight, lines } = loopOf();
    straight.shocks.replay(played.shocks.record());
    play(straight, 50);

    const simulation = createSimulation(config.scenario, 3);
    const before = createTurnLoop({ simulation, config });
    before.shocks.replay(played.shocks.record());
    play(before, 5);
    const { loop: resumed, lines: after } = resumedFrom(checkpointOf(simulation, before));
    play(resumed, 45);
    expect(after).toEqual(lines.slice(5));
    expect(resumed.shocks.record()).toEqual(straight.shocks.record());
  });

  it('a live stop before a replayed one ends the shock once: the replayed stop gives way, and the checkpoint resumes', () => {
    const { loop: played, freeze } = handPlayed();
    const simulation = createSimulation(config.scenario, 3);
    const replay = createTurnLoop({ simulation, config });
    replay.shocks.replay(played.shocks.record());
    play(replay, 14);
    // The replay stops the freeze for turn 21; stopped live now, it ends at turn 15.
    replay.shocks.stop(freeze.index);
    // A checkpoint now would hold one stop of it, not two.
    expect(replay.shocks.saved().filter((r) => r.action === 'stop')).toHaveLength(1);
    play(replay, 10);
    const stops = replay.shocks.saved().filter((r) => r.action === 'stop');
    expect(stops).toEqual([{ turn: 15, action: 'stop', index: freeze.index }]);
    const timeline = simulation.scenario.timeline[freeze.index]!;
    expect(timeline.at + timeline.turns).toBe(15);
    expect(liveStopsProblem(config.scenario.timeline, replay.shocks.saved())).toBeUndefined();
  });

  it("a live stop in a resumed run takes the place of the checkpoint's replayed stop to come", () => {
    const { loop: played, freeze } = handPlayed();
    const simulation = createSimulation(config.scenario, 3);
    const before = createTurnLoop({ simulation, config });
    before.shocks.replay(played.shocks.record());
    play(before, 15);
    const { loop: resumed } = resumedFrom(checkpointOf(simulation, before));
    play(resumed, 2);
    resumed.shocks.stop(freeze.index);
    play(resumed, 5);
    const saved = resumed.shocks.saved();
    expect(saved.filter((r) => r.action === 'stop')).toEqual([{ turn: 18, action: 'stop', index: freeze.index }]);
    expect(liveStopsProblem(config.scenario.timeline, saved)).toBeUndefined();
  });

  it.each([
    ['a place with no shock', { turn: 12, action: 'stop' as const, index: 1_500 }],
    ['a turn before the shock starts', { turn: 5, action: 'stop' as const, index: 0 }],
    ['a turn after it ended', { turn: 40, action: 'stop' as const, index: 0 }],
  ])('refuses a replayed stop at %s, as stop() would have', (_, stop) => {
    const { loop } = loopOf();
    const start = {
      turn: 10,
      action: 'start' as const,
      index: 0,
      shock: { at: 10, shock: 'demand_surge' as const, turns: 20, severity: 0.5, percent: 30 },
    };
    expect(() => loop.shocks.replay([start, stop])).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_SHOCK_INVALID', message: expect.stringMatching(/not in force/) }),
    );
  });

  it('finds the same misplaced stops in a record resumed from a checkpoint, and none in a played one', () => {
    const { loop } = handPlayed();
    const played = loop.shocks.record();
    expect(played.some((r) => r.action === 'stop')).toBe(true);
    expect(liveStopsProblem(config.scenario.timeline, played)).toBeUndefined();
    const start = played.find((r) => r.action === 'start')!;
    expect(
      liveStopsProblem(config.scenario.timeline, [
        ...played,
        { turn: start.turn - 1, action: 'stop', index: start.index },
      ]),
    ).toMatch(/not in force/);
    expect(liveStopsProblem(config.scenario.timeline, [{ turn: 12, action: 'stop', index: 1_999 }])).toMatch(
      /shock 1999 .*not in force/,
    );
  });

  it('refuses a replay that does not fit the run', () => {
    const { loop } = handPlayed();
    const { loop: late } = loopOf();
    play(late, 30);
    expect(() => late.shocks.replay(loop.shocks.record())).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_SHOCK_INVALID' }),
    );
  });
});
