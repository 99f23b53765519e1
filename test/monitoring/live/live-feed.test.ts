import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLiveFeed,
  KEPT_MARKERS,
  RECENT_TURNS,
  RUN_POINTS,
  SSE_BACKLOG_BYTES,
  type LiveUpdate,
  type SseStream,
} from '../../../src/monitoring/live/live-feed.js';
import { LIVE_FIGURES } from '../../../src/monitoring/live/live-charts.js';
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { createTurnLoop, loadRunConfig, type TurnLoop } from '../../../src/services/index.js';
import { createSimulation, restoreSimulation } from '../../../src/simulation/index.js';
import { loopFor } from '../fixtures.js';

/** A stream that keeps what it is sent, and can pretend its reader stopped reading. */
function fakeStream(): SseStream & { events: LiveUpdate[]; backlog: number; ended: boolean } {
  const stream = {
    events: [] as LiveUpdate[],
    backlog: 0,
    destroyed: false,
    ended: false,
    end() {
      stream.ended = true;
    },
    get writableLength() {
      return stream.backlog;
    },
    write(chunk: string) {
      const data = /^data: (.*)$/m.exec(chunk)?.[1];
      if (data) stream.events.push(JSON.parse(data) as LiveUpdate);
      return true;
    },
  };
  return stream;
}

const feedOver = (loop: TurnLoop, now: () => number = Date.now) =>
  createLiveFeed({ loop, state: () => 'running', controls: false, wallMs: now });

afterEach(() => {
  vi.useRealTimers();
});

describe('the live feed', () => {
  it('carries every turn since the previous event, coalesced, at most the last 200', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const loop = loopFor('default', 1, 0);
    const feed = feedOver(loop);
    const stream = fakeStream();
    feed.attach(stream, 0, 0, 0);
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 7; i++) loop.runTurn();
    const atSeven = loop.latest()!.budget.total;
    await vi.advanceTimersByTimeAsync(100);
    for (let i = 0; i < 250; i++) loop.runTurn();
    await vi.advanceTimersByTimeAsync(100);
    const [, first, second] = stream.events;
    expect(first!.points.turns).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(first!.points.values).toHaveLength(LIVE_FIGURES.length);
    expect(first!.points.values[0]![6]).toBeCloseTo(atSeven, 2);
    expect(second!.points.turns).toEqual(Array.from({ length: 200 }, (_, i) => 58 + i));
    // A poll names the turn it has.
    expect(feed.update(0, 0, 255).points.turns).toEqual([256, 257]);
    expect(feed.update(0, 0).points.turns).toEqual([]);
  });

  it('sends at most one event per 100 ms, with the newest turn, however many turns were played', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const loop = loopFor('default', 1, 0);
    const feed = feedOver(loop);
    const stream = fakeStream();
    feed.attach(stream, 0, 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.events).toHaveLength(1);
    // Flat out: 300 turns within one tick are one event, 100 ms after the last one.
    for (let i = 0; i < 300; i++) loop.runTurn();
    await vi.advanceTimersByTimeAsync(99);
    expect(stream.events).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(stream.events).toHaveLength(2);
    expect(stream.events[1]!.point!.turn).toBe(300);
    expect(stream.events[1]!.point!.values).toHaveLength(LIVE_FIGURES.length);
    expect(stream.events[1]!.point!.values[0]).toBeCloseTo(loop.latest()!.budget.total, 2);
    // Paced slower than 100 ms: one event per turn.
    for (let i = 0; i < 5; i++) {
      loop.runTurn();
      await vi.advanceTimersByTimeAsync(150);
    }
    expect(stream.events.slice(2).map((e) => e.point!.turn)).toEqual([301, 302, 303, 304, 305]);
    // Closing the feed (the server closing) ends each open stream whole, rather than cutting it.
    expect(stream.ended).toBe(false);
    feed.close();
    expect(stream.ended).toBe(true);
  });

  it('sends the header again once turns stop and the rate falls to 0 (a pause), with no turn to carry it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const loop = loopFor('default', 1, 0);
    const feed = feedOver(loop);
    const stream = fakeStream();
    feed.attach(stream, 0, 0);
    // Turns for two seconds: a rate of 10 a second.
    for (let i = 0; i < 20; i++) {
      loop.runTurn();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(stream.events.at(-1)!.header.turnsPerSecond).toBe(10);
    // No more turns: within a few ticks a header with no rate.
    await vi.advanceTimersByTimeAsync(4_000);
    expect(stream.events.at(-1)!.header).toMatchObject({ turn: 20, turnsPerSecond: 0 });
    feed.close();
  });

  it('marks the timeline shocks and events, numbers alert transitions, and sends each once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const loop = loopFor('crisis', 7, 0);
    const feed = feedOver(loop);
    const stream = fakeStream();
    feed.attach(stream, 0, 0);
    for (let t = 1; t <= 1000; t++) {
      loop.runTurn();
      if (t % 50 === 0) await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(100);
    const markers = stream.events.flatMap((e) => e.markers);
    const transitions = stream.events.flatMap((e) => e.transitions);
    expect(markers.filter((m) => m.kind === 'shock').map((m) => `${m.turn} ${m.label}`)).toContain(
      '920 credit freeze starts',
    );
    // Every marker and transition once, in id order; the same as a reader loading them all.
    expect(new Set(markers.map((m) => m.id)).size).toBe(markers.length);
    expect(transitions.map((t) => t.id)).toEqual([...transitions.map((t) => t.id)].sort((a, b) => a - b));
    expect(transitions).toEqual(feed.view('recent').transitions);
    expect(transitions.some((t) => t.rule === 'budget_critical' && t.to === 'firing')).toBe(true);
    // A reader that has seen up to an id gets the newer ones only.
    const middle = transitions[Math.floor(transitions.length / 2)]!.id;
    expect(feed.update(0, middle).transitions.every((t) => t.id > middle)).toBe(true);
    feed.close();
  });

  it('skips a stream whose reader stopped reading, and catches it up once it drains', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const loop = loopFor('crisis', 7, 0);
    const feed = feedOver(loop);
    const slow = fakeStream();
    feed.attach(slow, 0, 0);
    slow.backlog = SSE_BACKLOG_BYTES + 1;
    for (let t = 1; t <= 950; t++) {
      loop.runTurn();
      if (t % 50 === 0) await vi.advanceTimersByTimeAsync(100);
    }
    expect(slow.events).toHaveLength(0);
    slow.backlog = 0;
    loop.runTurn();
    await vi.advanceTimersByTimeAsync(100);
    expect(slow.events).toHaveLength(1);
    expect(slow.events[0]!.point!.turn).toBe(951);
    // Everything it missed, in one event.
    expect(slow.events[0]!.transitions).toEqual(feed.view('recent').transitions);
    feed.close();
  });

  it('loads the last turns at full resolution and the whole run in a bounded number of points', () => {
    const loop = loopFor('default', 1, 2_500);
    const feed = feedOver(loop);
    const recent = feed.view('recent');
    expect(recent.turns).toHaveLength(RECENT_TURNS);
    expect(recent.turns.at(-1)).toBe(2_500);
    expect(recent.values).toHaveLength(LIVE_FIGURES.length);
    // The feed was created after the turns (as a resumed run's is): the whole run starts with
    // the turns the services kept (200), then every turn it follows.
    const later = feedOver(loop);
    loop.runTurn();
    expect(later.view('all').turns).toEqual(Array.from({ length: 201 }, (_, i) => 2_301 + i));
    later.close();
    const long = loopFor('default', 1, 0);
    const longFeed = feedOver(long);
    const totals = new Map<number, number>();
    long.subscribe((s) => void totals.set(s.turn, s.budget.total));
    for (let i = 0; i < 5_000; i++) long.runTurn();
    const whole = longFeed.view('all');
    expect(whole.turns.length).toBeLessThanOrEqual(RUN_POINTS);
    expect(whole.turns[0]).toBe(whole.stride);
    // Each point is the figure at its turn.
    whole.turns.forEach((turn, i) => expect(whole.values[0]![i]).toBe(totals.get(turn)));
    feed.close();
    longFeed.close();
  });

  it("draws each figure at its own turn after a resume, the performance history (this process's) absent before it", () => {
    const config = loadRunConfig(readFileSync('scenarios/default.json', 'utf8'));
    const simulation = createSimulation(config.scenario, 5);
    const before = createTurnLoop({ simulation, config });
    for (let i = 0; i < 300; i++) before.runTurn();
    const saved = deserialize(serialize({ simulation: simulation.state(), loop: before.checkpoint() })) as {
      simulation: ReturnType<typeof simulation.state>;
      loop: ReturnType<typeof before.checkpoint>;
    };
    const loop = createTurnLoop({
      simulation: restoreSimulation(config.scenario, 5, saved.simulation),
      config,
      restore: saved.loop,
    });
    for (let i = 0; i < 30; i++) loop.runTurn();
    const view = JSON.parse(
      JSON.stringify(createLiveFeed({ loop, state: () => 'running', controls: false }).view('recent')),
    ) as {
      turns: number[];
      values: (number | null)[][];
    };
    expect(view.turns.at(-1)).toBe(330);
    const durations = view.values[LIVE_FIGURES.indexOf('performance.turnSeconds')]!;
    const drawnAt = view.turns.filter((_, i) => durations[i] !== null);
    expect(drawnAt).toEqual(Array.from({ length: 30 }, (_, i) => 301 + i));
    // The business figures, restored with the checkpoint, are at every turn.
    expect(view.values[0]!.every((v) => v !== null)).toBe(true);
  });

  it("counts a resumed run's turns per second from its own first turn, not turn 0", () => {
    let now = 0;
    const config = loadRunConfig(readFileSync('scenarios/classic.json', 'utf8'));
    const simulation = createSimulation(config.scenario, 1);
    const before = createTurnLoop({ simulation, config });
    for (let i = 0; i < 300; i++) before.runTurn();
    const loop = createTurnLoop({
      simulation: restoreSimulation(config.scenario, 1, simulation.state()),
      config,
      restore: before.checkpoint(),
      clocks: { monotonicMs: () => now, wallMs: () => now },
    });
    const feed = feedOver(loop, () => now);
    for (let i = 0; i < 12; i++) {
      now += 100;
      loop.runTurn();
    }
    // 10 turns a second (12 in 1.1 s), never the 300 before the resume.
    expect(feed.update(0, 0).header.turnsPerSecond).toBe(10);
    feed.close();
  });

  it('keeps the rare shock markers apart from the frequent events: a long run still has its shocks', () => {
    const loop = loopFor({ events: { interval: 1 }, timeline: [{ at: 5, shock: 'demand_surge', turns: 10 }] }, 1, 0);
    const feed = feedOver(loop);
    for (let i = 0; i < 3_000; i++) loop.runTurn();
    const markers = feed.view('all').markers;
    expect(markers.filter((m) => m.kind === 'event').length).toBe(KEPT_MARKERS);
    expect(markers.filter((m) => m.kind === 'shock').map((m) => m.turn)).toEqual([5, 15]);
    const ids = markers.map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    feed.close();
  });

  it('gives the turns per second of the last whole second, 0 once turns stop, none before a second was seen', () => {
    let now = 0;
    // The loop stamps each snapshot with the same clock as the feed's.
    const config = loadRunConfig(readFileSync('scenarios/default.json', 'utf8'));
    const loop = createTurnLoop({
      simulation: createSimulation(config.scenario, 1),
      config,
      clocks: { monotonicMs: () => now, wallMs: () => now },
    });
    const feed = feedOver(loop, () => now);
    // No whole second of turns yet: no rate, not a made-up 0.
    expect(feed.update(0, 0).header.turnsPerSecond).toBeNull();
    for (let t = 0; t < 15; t++) loop.runTurn();
    expect(feed.update(0, 0).header.turnsPerSecond).toBeNull();
    for (let i = 1; i < 20; i++) {
      now += 100;
      for (let t = 0; t < 15; t++) loop.runTurn();
    }
    // The last whole second: turns 15 to 165, from 0 to 1 s (1.9 s, turn 300, ends none).
    expect(feed.update(0, 0).header).toMatchObject({ turn: 300, turnsPerSecond: 150 });
    now += 2_500;
    expect(feed.update(0, 0).header.turnsPerSecond).toBe(0);
    feed.close();
  });
});
