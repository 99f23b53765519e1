import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import {
  createTurnLoop,
  DEFAULT_SLOS,
  loadRunConfig,
  SERVICE_NAMES,
  type TurnSnapshot,
} from '../../src/services/index.js';
import { loadSavedRunConfig } from '../../src/services/load-run-config.js';
import { createSimulation, restoreSimulation } from '../../src/simulation/index.js';

/** A snapshot's business part: every service's figures but the timings, and the alerts. */
const business = (s: TurnSnapshot) =>
  JSON.stringify([s.turn, ...SERVICE_NAMES.filter((n) => n !== 'performance').map((n) => s[n]), s.alerts]);

/** A checkpoint's loop part as saved: each service's history and its own state. */
interface SavedLoop {
  services: Record<string, { names: string[]; columns: Float64Array[]; own: Record<string, Record<string, unknown>> }>;
}

/** The business of turns `at + 1` to `total`: uninterrupted, and through a checkpoint at `at`. */
function bothWays(preset: string, seed: number, at: number, total: number, age?: (loop: SavedLoop) => void) {
  const config = loadRunConfig(readFileSync(`scenarios/${preset}.json`, 'utf8'));
  const straight: string[] = [];
  const loop = createTurnLoop({ simulation: createSimulation(config.scenario, seed), config });
  loop.subscribe((s) => {
    if (s.turn > at) straight.push(business(s));
  });
  for (let t = 0; t < total; t++) loop.runTurn();

  const first = createSimulation(config.scenario, seed);
  const before = createTurnLoop({ simulation: first, config });
  for (let t = 0; t < at; t++) before.runTurn();
  const atCheckpoint = before.latest()!;
  // Through a structured clone, as the checkpoint file does.
  const saved = deserialize(serialize({ simulation: first.state(), loop: before.checkpoint() })) as {
    simulation: ReturnType<typeof first.state>;
    loop: ReturnType<typeof before.checkpoint>;
  };
  age?.(saved.loop as unknown as SavedLoop);
  const resumed = createTurnLoop({
    simulation: restoreSimulation(config.scenario, seed, saved.simulation),
    config,
    restore: saved.loop,
  });
  const after: string[] = [];
  resumed.subscribe((s) => void after.push(business(s)));
  for (let t = at; t < total; t++) resumed.runTurn();
  return { straight, after, atCheckpoint, resumed };
}

/** A classic run (seed 7) after `turns` turns, and its checkpoint through a structured clone. */
function classicCheckpoint(turns: number) {
  const config = loadRunConfig(readFileSync('scenarios/classic.json', 'utf8'));
  const simulation = createSimulation(config.scenario, 7);
  const before = createTurnLoop({ simulation, config });
  for (let t = 0; t < turns; t++) before.runTurn();
  const saved = deserialize(serialize({ simulation: simulation.state(), loop: before.checkpoint() })) as {
    simulation: ReturnType<typeof simulation.state>;
    loop: ReturnType<typeof before.checkpoint>;
  };
  return { before, saved };
}

describe('a run through a checkpoint', () => {
  it.each([
    ['crisis', 7, 401, 700, 'with an alert pending'],
    ['crisis', 7, 923, 1_300, 'two timeline shocks in force and an alert pending'],
    ['default', 3, 1_234, 1_600, 'mid business cycle'],
    ['large', 1, 120, 220, 'on the aggregates-only world'],
    ['classic', 5, 500, 600, 'after an inflation that hit no product: its size absent'],
  ])('%s seed %i from turn %i to %i: the same business as the uninterrupted run (%s)', (preset, seed, at, total) => {
    const { straight, after, atCheckpoint, resumed } = bothWays(preset, seed, at, total);
    expect(after).toHaveLength(total - at);
    expect(after).toEqual(straight);
    if (preset === 'crisis') expect(atCheckpoint.alerts.active.some((a) => a.state === 'pending')).toBe(true);
    if (at === 923) expect(atCheckpoint.market.shocksInForce).toBe(2);
    // History and recent transitions come along: a window over the checkpoint reads both sides.
    expect(resumed.history('budget.total', 50).turns[0]).toBe(total - 49);
  });

  it('resumes a checkpoint saved before supplier outages existed, as the run that saved it', () => {
    // A checkpoint of the code before outages: no supplier_outage in the event service's
    // records nor among its history's figures. None had occurred by turn 60; one starts at
    // turn 110, so the resumed run meets one.
    const age = (loop: SavedLoop) => {
      const event = loop.services.event!;
      expect(event.own.counts!.supplier_outage).toBe(0);
      for (const records of ['counts', 'lastTurn', 'lastMagnitude', 'impact'])
        delete event.own[records]!.supplier_outage;
      // That code also gave a type that never occurred a last turn, size and impact of 0.
      for (const [type, count] of Object.entries(event.own.counts!)) {
        if (count !== 0) continue;
        event.own.lastTurn![type] = 0;
        event.own.lastMagnitude![type] = 0;
        event.own.impact![type] = { before: 0, after: 0 };
      }
      const kept = event.names.flatMap((n, i) => (n.includes('supplier_outage') ? [] : [i]));
      expect(kept.length).toBeLessThan(event.names.length);
      event.columns = kept.map((i) => event.columns[i]!);
      event.names = kept.map((i) => event.names[i]!);
    };
    const { straight, after } = bothWays('default', 33, 60, 200, age);
    expect(after).toEqual(straight);
  });

  it('resumes a checkpoint of default saved before its cost shocks as the run that saved it: none drawn', () => {
    // A checkpoint keeps its scenario's text; one saved before companies.costShock existed has
    // none, and a resumed run reads it as 0, the preset as it was then.
    const raw = JSON.parse(readFileSync('scenarios/default.json', 'utf8')) as { companies: Record<string, unknown> };
    expect(raw.companies.costShock).toBeGreaterThan(0);
    const plays = (config: ReturnType<typeof loadSavedRunConfig>) => {
      const loop = createTurnLoop({ simulation: createSimulation(config.scenario, 4), config });
      return Array.from({ length: 150 }, () => business(loop.runTurn()));
    };
    const { costShock: _shock, costSpread: _spread, ...before } = raw.companies;
    const saved = loadSavedRunConfig(JSON.stringify({ ...raw, companies: before }));
    expect(saved.scenario.companies.costShock).toBe(0);
    const off = JSON.stringify({ ...raw, companies: { ...raw.companies, costShock: 0 } });
    expect(plays(saved)).toEqual(plays(loadSavedRunConfig(off)));
    expect(plays(saved)).not.toEqual(plays(loadSavedRunConfig(JSON.stringify(raw))));
  });

  it('resumes a checkpoint whose SLO counts were saved in SLO order, before they were saved by name', () => {
    const age = (loop: SavedLoop) => {
      const saved = loop.services.slo!.own as unknown as { name: string; counts: unknown }[];
      expect(saved.map((o) => o.name)).toEqual(DEFAULT_SLOS.map((o) => o.name));
      (loop.services.slo as unknown as { own: unknown }).own = saved.map((o) => o.counts);
    };
    const { straight, after } = bothWays('crisis', 7, 401, 600, age);
    expect(after).toEqual(straight);
  });

  it('forks a checkpoint of SLO counts in SLO order down to fewer SLOs: those past them are dropped, not refused', () => {
    const { before, saved } = classicCheckpoint(50);
    const old = saved.loop as unknown as SavedLoop;
    (old.services.slo as unknown as { own: unknown }).own = (
      old.services.slo!.own as unknown as { counts: unknown }[]
    ).map((o) => o.counts);
    const text = JSON.parse(readFileSync('scenarios/classic.json', 'utf8')) as object;
    const solvency = DEFAULT_SLOS.find((o) => o.name === 'solvency')!;
    const fewer = loadRunConfig({ ...text, slos: { useDefaults: false, objectives: [solvency] } });
    const fork = createTurnLoop({
      simulation: restoreSimulation(fewer.scenario, 7, saved.simulation),
      config: fewer,
      restore: saved.loop,
    });
    // solvency was first among the defaults: it keeps its counts.
    expect(fork.runTurn().slo.eventsTotal.solvency).toBe(
      before.latest()!.slo.eventsTotal.solvency! + fork.latest()!.company.count,
    );
  });

  it('gives a fork each SLO the counts saved under its name and figures, and a new or redefined one none', () => {
    const { before, saved } = classicCheckpoint(100);
    const counted = before.latest()!.slo;
    const text = JSON.parse(readFileSync('scenarios/classic.json', 'utf8')) as object;
    const buys = { name: 'buys', good: 'transaction.successes', total: 'transaction.attempts', objective: 0.5 };
    // A new SLO first, the defaults after it; the default purchase_success redefined.
    const forked = loadRunConfig({
      ...text,
      slos: {
        useDefaults: true,
        objectives: [buys, { ...buys, name: 'purchase_success', good: 'market.orders.served' }],
      },
    });
    const fork = createTurnLoop({
      simulation: restoreSimulation(forked.scenario, 7, saved.simulation),
      config: forked,
      restore: saved.loop,
    });
    const next = fork.runTurn().slo;
    // Kept by name: solvency counted one more turn of company slots.
    expect(next.eventsTotal.solvency).toBe(counted.eventsTotal.solvency! + fork.latest()!.company.count);
    expect(next.eventsTotal.fill_rate).toBeGreaterThanOrEqual(counted.eventsTotal.fill_rate!);
    expect(counted.eventsTotal.fill_rate).toBeGreaterThan(0);
    // New or redefined: this turn's events only.
    const attempts = fork.latest()!.transaction.attempts;
    expect(next.eventsTotal.buys).toBe(attempts);
    expect(next.eventsTotal.purchase_success).toBe(attempts);
  });
});
