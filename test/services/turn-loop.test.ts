import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUDGET_ORDER_TURNS, createTurnLoop, loadRunConfig, type TurnSnapshot } from '../../src/services/index.js';
import { createSimulation } from '../../src/simulation/index.js';
import { RUN_SHARE } from '../../src/services/run-control.js';

function build(onSubscriberError?: (e: unknown) => void) {
  const config = loadRunConfig({});
  return createTurnLoop({
    simulation: createSimulation(config.scenario, 3),
    config,
    runId: 'test-run',
    clocks: { monotonicMs: () => performance.now(), wallMs: () => 1_700_000_000_000 },
    ...(onSubscriberError ? { onSubscriberError } : {}),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TurnLoop: turns and snapshots', () => {
  it('publishes one frozen snapshot per turn, the same object to every reader', () => {
    const service = build();
    const seen: TurnSnapshot[][] = [[], []];
    service.subscribe((s) => {
      seen[0]!.push(s);
    });
    service.subscribe((s) => {
      seen[1]!.push(s);
    });
    const returned = service.runTurn();
    expect(seen[0]![0]).toBe(returned);
    expect(seen[1]![0]).toBe(returned);
    expect(service.latest()).toBe(returned);
    expect(Object.isFrozen(returned)).toBe(true);
    expect(Object.isFrozen(returned.budget)).toBe(true);
    expect(returned).toMatchObject({
      runId: 'test-run',
      seed: 3,
      scenario: 'custom',
      turn: 1,
      publishedAtMs: 1_700_000_000_000,
    });
    service.runTurn();
    expect(seen[0]!.map((s) => s.turn)).toEqual([1, 2]);
  });

  it('keeps the figures of an older snapshot when read after later turns', () => {
    const service = build();
    const first = service.runTurn();
    const firstBudget = first.budget.total;
    for (let i = 0; i < 5; i++) service.runTurn();
    expect(first.budget.total).toBe(firstBudget);
    // Lazy window figures of turn 1 are computed over the window as it stood at turn 1.
    expect(first.transaction.window.amountMean).toBe(first.transaction.amount);
  });

  it('gives the same figures whether or not the services saw every turn', () => {
    const config = loadRunConfig({ companies: { count: 80 }, services: { topCompanies: 5, topProducts: 4 } });
    const watched = createTurnLoop({ simulation: createSimulation(config.scenario, 21), config });
    const simulation = createSimulation(config.scenario, 21);
    const late = createTurnLoop({ simulation, config });
    for (let i = 0; i < 10; i++) simulation.step();
    for (let turn = 1; turn <= 30; turn++) {
      const a = watched.runTurn();
      if (turn <= 10) continue;
      // One more turn unseen halfway: the services must start again from the world.
      if (turn === 20) simulation.step();
      const b = turn === 20 ? late.latest()! : late.runTurn();
      if (turn === 20) continue;
      expect(b.turn).toBe(a.turn);
      const { refills: _a, ...budgetA } = JSON.parse(JSON.stringify(a.budget)) as Record<string, unknown>;
      const { refills: _b, ...budgetB } = JSON.parse(JSON.stringify(b.budget)) as Record<string, unknown>;
      expect(budgetB).toEqual(budgetA);
      expect(b.company.purchasesPerCompany).toEqual(a.company.purchasesPerCompany);
      expect(b.company.topBySpend).toEqual(a.company.topBySpend);
      expect(b.product.topBySales).toEqual(a.product.topBySales);
      expect(b.supplier).toEqual(a.supplier);
    }
  });

  it('keeps the median and Gini of an older snapshot when read after later turns', () => {
    const config = loadRunConfig({ companies: { count: 50 } });
    const simulation = createSimulation(config.scenario, 5);
    const service = createTurnLoop({ simulation, config });
    const first = service.runTurn();
    const budgets = Array.from(simulation.world.budgetsCents).sort((x, y) => x - y);
    for (let i = 0; i < 5; i++) service.runTurn();
    expect(first.budget.median).toBe((budgets[24]! + budgets[25]!) / 200);
    expect(first.budget.min).toBe(budgets[0]! / 100);
  });

  it('keeps the budgets of the last BUDGET_ORDER_TURNS turns for the median and Gini, then reads NaN', () => {
    const config = loadRunConfig({ companies: { count: 50 } });
    const simulation = createSimulation(config.scenario, 5);
    const service = createTurnLoop({ simulation, config });
    const sortedBudgets = () => Array.from(simulation.world.budgetsCents).sort((x, y) => x - y);
    const medianOf = (b: number[]) => (b[24]! + b[25]!) / 200;
    const first = service.runTurn();
    const firstMedian = medianOf(sortedBudgets());
    expect(first.budget.median).toBe(firstMedian);
    const unread = service.runTurn();
    const third = service.runTurn();
    const thirdBudgets = sortedBudgets();
    for (let i = 0; i < BUDGET_ORDER_TURNS - 1; i++) service.runTurn();
    // Read BUDGET_ORDER_TURNS - 1 turns later: still that turn's own budgets.
    expect(third.budget.median).toBe(medianOf(thirdBudgets));
    // Unread until BUDGET_ORDER_TURNS later turns: its copy was reused.
    expect(unread.budget.median).toBeNaN();
    expect(unread.budget.gini).toBeNaN();
    // A value read in time is kept.
    expect(first.budget.median).toBe(firstMedian);
    service.runTurn();
    expect(third.budget.median).toBe(medianOf(thirdBudgets));
    expect(third.budget.gini).toBeNaN();
  });

  it('survives a throwing subscriber and a rejecting one, counting both', async () => {
    const errors: unknown[] = [];
    const service = build((e) => errors.push(e));
    service.subscribe(() => {
      throw new Error('sync boom');
    });
    service.subscribe(async () => {
      throw new Error('async boom');
    });
    const healthy: number[] = [];
    service.subscribe((s) => {
      healthy.push(s.turn);
    });
    await service.run({ turns: 3 });
    expect(healthy).toEqual([1, 2, 3]);
    expect(service.subscriberErrors).toBe(6);
    expect(errors).toHaveLength(6);
    expect(service.state).toBe('idle');
  });

  it('serves history and summaries of any figure, and names bad ones', () => {
    const service = build();
    for (let i = 0; i < 10; i++) service.runTurn();
    const h = service.history('budget.total', 4);
    expect(Array.from(h.turns)).toEqual([7, 8, 9, 10]);
    expect(h.values).toHaveLength(4);
    expect(service.summary('budget.total', 4).max).toBe(Math.max(...h.values));
    expect(() => service.history('budget.nope', 4)).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_FIGURE_UNKNOWN' }),
    );
    expect(() => service.summary('budget.total', 0)).toThrow(
      expect.objectContaining({ code: 'TRADESIM_ERR_WINDOW_INVALID' }),
    );
  });
});

describe('TurnLoop: the loop', () => {
  it('runs N turns flat out and can run again', async () => {
    const service = build();
    await service.run({ turns: 5 });
    expect(service.latest()?.turn).toBe(5);
    await service.run({ turns: 2 });
    expect(service.latest()?.turn).toBe(7);
  });

  it('refuses to run twice at once, or after stop', async () => {
    const service = build();
    const running = service.run();
    await expect(service.run()).rejects.toMatchObject({ code: 'TRADESIM_ERR_LOOP_ALREADY_RUNNING' });
    await service.stop();
    await running;
    expect(service.state).toBe('stopped');
    await expect(service.run()).rejects.toMatchObject({ code: 'TRADESIM_ERR_LOOP_STOPPED' });
  });

  it('paces turns on a schedule', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const service = build();
    const done = service.run({ intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(0);
    expect(service.latest()?.turn).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(service.latest()?.turn).toBe(11);
    await service.stop();
    await done;
  });

  /** The turns after which a flat-out run let the event loop run; a pass of the event loop takes `passMs`. */
  const passesAfter = async (yieldEveryMs: number, passMs = 0) => {
    // Each turn takes 0.4 ms on this clock; a self-renewing immediate counts event-loop passes.
    let now = 0;
    const config = loadRunConfig({});
    const service = createTurnLoop({
      simulation: createSimulation(config.scenario, 3),
      config,
      clocks: { monotonicMs: () => now, wallMs: () => 0 },
    });
    let passes = 0;
    let running = true;
    const tick = () => {
      passes += 1;
      now += passMs;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const seen: number[] = [];
    service.subscribe(() => {
      now += 0.4;
      seen.push(passes);
    });
    await service.run({ turns: 11, yieldEveryMs });
    running = false;
    return seen.flatMap((p, i) => (i > 0 && p > seen[i - 1]! ? [i] : []));
  };

  it('flat out, plays about yieldEveryMs between yields (never a turn past it), or yields after every turn with 0', async () => {
    // 0.8 ms, then a third turn would reach 1.2 ms: the loop yields first.
    expect(await passesAfter(1)).toEqual([2, 4, 6, 8, 10]);
    expect(await passesAfter(0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('flat out, plays in proportion to what the event loop took the last time: a flood gets its share, not more', async () => {
    // Every pass takes 2 ms: the loop then plays up to 2 ms x 0.55 / 0.45 = 2.44 ms (6 turns of
    // 0.4 ms; a seventh would pass it) before it yields again.
    expect(RUN_SHARE).toBe(0.55);
    expect(await passesAfter(1, 2)).toEqual([2, 8]);
  });

  it('pauses between turns, resumes, and stops after the current turn', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const service = build();
    const done = service.run({ intervalMs: 50 });
    await vi.advanceTimersByTimeAsync(120);
    expect(service.latest()?.turn).toBe(3);
    service.pause();
    expect(service.state).toBe('paused');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(service.latest()?.turn).toBe(3);
    service.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(service.latest()?.turn).toBe(4);
    const stopping = service.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
    await done;
    expect(service.state).toBe('stopped');
    expect(service.latest()?.turn).toBe(4);
    await expect(service.stopped).resolves.toBeUndefined();
  });

  it('ends a paced run at its last turn, with no pause after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const service = build();
    let ended = false;
    const done = service.run({ intervalMs: 500, turns: 2 }).then(() => {
      ended = true;
    });
    // Turn 1 at once, turn 2 one interval later; the run then ends without a third pause.
    await vi.advanceTimersByTimeAsync(499);
    expect(service.latest()?.turn).toBe(1);
    await vi.advanceTimersByTimeAsync(2);
    expect(service.latest()?.turn).toBe(2);
    expect(ended).toBe(true);
    await done;
    expect(service.state).toBe('idle');
  });

  it('stops a paused loop', async () => {
    const service = build();
    const done = service.run({ intervalMs: 10 });
    service.pause();
    await service.stop();
    await done;
    expect(service.state).toBe('stopped');
  });

  it('steps a paused run one turn at a time, within its turns, and not a running one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const service = build();
    const done = service.run({ intervalMs: 50, turns: 4 });
    await vi.advanceTimersByTimeAsync(70);
    expect(service.latest()?.turn).toBe(2);
    expect(service.step()).toBe(false);
    service.pause();
    expect(service.step()).toBe(true);
    expect(service.step()).toBe(true);
    expect(service.latest()?.turn).toBe(4);
    // The run's 4 turns are played: no more steps, and resuming ends it.
    expect(service.step()).toBe(false);
    service.resume();
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(service.state).toBe('idle');
    expect(service.latest()?.turn).toBe(4);
  });

  it('waits before a turn while its outputs hold it back, and a stop ends the wait', async () => {
    const service = build();
    let release: () => void = () => {};
    const asked: number[] = [];
    const holdBack = () => {
      asked.push(service.latest()?.turn ?? 0);
      if (asked.length !== 3) return undefined;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    const done = service.run({ turns: 5, holdBack });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Asked before turns 1, 2 and 3: held before the third.
    expect(service.latest()?.turn).toBe(2);
    release();
    await done;
    expect(service.latest()?.turn).toBe(5);
    expect(asked).toEqual([0, 1, 2, 2, 3, 4]);

    const held = build();
    const running = held.run({ holdBack: () => new Promise<void>(() => {}) });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held.latest()).toBeUndefined();
    await held.stop();
    await running;
    expect(held.state).toBe('stopped');
    expect(held.latest()).toBeUndefined();
  });

  it('a wait ended early (a resume) that settles later leaves the next wait wakeable: a stop ends a pause', async () => {
    const service = build();
    const settles: (() => void)[] = [];
    let behind = true;
    const holdBack = () => (behind ? new Promise<void>((resolve) => settles.push(resolve)) : undefined);
    const running = service.run({ holdBack });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // A pause and resume end the first wait early; the loop waits again, then is paused.
    service.pause();
    service.resume();
    await new Promise((resolve) => setTimeout(resolve, 5));
    service.pause();
    behind = false;
    // The second wait settles: the loop goes to its pause. Then the first one settles.
    expect(settles).toHaveLength(2);
    settles[1]!();
    await new Promise((resolve) => setTimeout(resolve, 5));
    settles[0]!();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const stopped = await Promise.race([
      service.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 500)),
    ]);
    expect(stopped).toBe('stopped');
    await running;
  });

  it('changes the interval of the run under way, from the next turn on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
    const service = build();
    const done = service.run({ intervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(10);
    expect(service.latest()?.turn).toBe(1);
    expect(service.intervalMs).toBe(1_000);
    service.setIntervalMs(100);
    expect(service.intervalMs).toBe(100);
    // The sleep under the old interval ends at once; the next turns come every 100 ms.
    await vi.advanceTimersByTimeAsync(10);
    expect(service.latest()?.turn).toBe(2);
    await vi.advanceTimersByTimeAsync(300);
    expect(service.latest()?.turn).toBe(5);
    expect(() => service.setIntervalMs(-1)).toThrow(/interval: must be an integer/);
    expect(() => service.setIntervalMs(1.5)).toThrow(/interval: must be an integer/);
    expect(() => service.setIntervalMs(3_600_001)).toThrow(/interval: must be an integer/);
    await service.stop();
    await done;
  });
});
