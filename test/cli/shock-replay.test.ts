import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCheckpoint } from '../../src/cli/checkpoint-file.js';
import { readReplayRecords, recordsFromEventLog } from '../../src/cli/shock-replay.js';
import { createTurnLoop, loadRunConfig } from '../../src/services/index.js';
import { createSimulation } from '../../src/simulation/index.js';

describe('the live record of an event log', () => {
  it('takes the live starts with their fields and the early stops, and nothing else', () => {
    const lines = [
      {
        turn: 30,
        kind: 'shock',
        type: 'demand_surge',
        phase: 'start',
        timelineIndex: 2,
        severity: 0.5,
        source: 'live',
        at: 30,
        turns: 20,
        percent: 30,
      },
      { turn: 31, kind: 'shock', type: 'credit_freeze', phase: 'start', timelineIndex: 0, severity: 0.9 },
      { turn: 35, kind: 'event', type: 'restock' },
      { turn: 40, kind: 'shock', type: 'demand_surge', phase: 'end', timelineIndex: 2, source: 'live', stopped: true },
      { turn: 81, kind: 'shock', type: 'credit_freeze', phase: 'end', timelineIndex: 0 },
    ].map((l) => JSON.stringify(l));
    // A torn last line is left out.
    const text = `${lines.join('\n')}\n{"turn":90,"kind":"shock","ph`;
    expect(recordsFromEventLog(text)).toEqual([
      {
        turn: 30,
        action: 'start',
        index: 2,
        shock: { at: 30, shock: 'demand_surge', turns: 20, severity: 0.5, percent: 30 },
      },
      { turn: 40, action: 'stop', index: 2 },
    ]);
  });
});

describe('an event log the run cannot replay', () => {
  const start = (fields: Record<string, unknown>) =>
    JSON.stringify({
      turn: 2,
      kind: 'shock',
      type: 'supply_disruption',
      phase: 'start',
      timelineIndex: 0,
      severity: 0.5,
      source: 'live',
      at: 2,
      turns: 10,
      percent: 30,
      ...fields,
    });
  const restock = JSON.stringify({ turn: 1, kind: 'event', type: 'restock' });

  it.each([
    [{ severity: 50 }, /line 2: .*severity/],
    [{ type: 'bogus' }, /line 2: .*type/],
    [{ timelineIndex: 100_000 }, /line 2: .*place in the timeline/],
    [{ timelineIndex: 1.5 }, /line 2: .*place in the timeline/],
    [{ turn: '2' }, /line 2: .*turn/],
  ])('refuses a live start with %j, naming its line', (fields, message) => {
    expect(() => recordsFromEventLog(`${restock}\n${start(fields)}\n`, 'e.jsonl')).toThrow(message);
  });

  it('refuses a damaged line before the last, and leaves out a torn last one', () => {
    expect(() => recordsFromEventLog(`${restock}\n{"kind":"shock","ph\n${start({})}\n`, 'e.jsonl')).toThrow(
      /e.jsonl: line 2: not valid JSON/,
    );
    expect(recordsFromEventLog(`${restock}\n${start({})}\n{"kind":"shock","ph`)).toHaveLength(1);
    // Cut before its kind (or with a space in it), a damaged line was passed over as no shock.
    expect(() => recordsFromEventLog(`${start({}).slice(0, 20)}\n${restock}\n`, 'e.jsonl')).toThrow(
      /e.jsonl: line 1: not valid JSON/,
    );
    const spaced = start({}).replace('"kind":"shock"', '"kind": "shock"');
    expect(recordsFromEventLog(`${spaced}\n`)).toHaveLength(1);
  });

  it("refuses a log holding two runs' shocks (appended to by another run), naming the line", () => {
    const mine = JSON.stringify({ ...JSON.parse(start({})), run: 'run-a' });
    const other = JSON.stringify({ ...JSON.parse(start({})), run: 'run-b' });
    expect(recordsFromEventLog(`${mine}\n${mine}\n`)).toHaveLength(2);
    expect(() => recordsFromEventLog(`${mine}\n${restock}\n${other}\n`, 'e.jsonl')).toThrow(
      "e.jsonl: line 3: a shock of run run-b, after run run-a's: give one run's log",
    );
  });

  it('refuses a shock the timeline would: a continent on a shock that takes none', () => {
    expect(() => recordsFromEventLog(`${start({ type: 'demand_surge', continent: 'Europe' })}\n`)).toThrow(
      /line 1: .*continent/,
    );
  });

  it('takes the same start with valid fields', () => {
    expect(recordsFromEventLog(`${restock}\n${start({})}\n`)).toHaveLength(1);
  });

  it('refuses a text with no event, and takes an empty one (a run with no events)', () => {
    expect(() => recordsFromEventLog('root:x:0:0\n', 'passwd')).toThrow(/passwd: not a TradeSim event log/);
    expect(recordsFromEventLog('')).toEqual([]);
  });
});

describe('a checkpoint replayed', () => {
  it('refuses one whose record of live shocks the run could not take (an edited file, its hash made again)', () => {
    const text = JSON.stringify({ name: 'tiny', companies: { count: 3 } });
    const config = loadRunConfig(text);
    const simulation = createSimulation(config.scenario, 1);
    const loop = createTurnLoop({ simulation, config });
    loop.runTurn();
    const shock = { at: 5, shock: 'supply_disruption' as const, turns: 10, severity: 50, percent: 30 };
    const saved = loop.checkpoint();
    const path = join(mkdtempSync(join(tmpdir(), 'tradesim-replay-')), 'edited.ckpt');
    const checkpoint = { scenario: 'tiny', scenarioText: text, seed: 1, runId: loop.runId, turn: simulation.turn };
    writeCheckpoint(path, {
      ...checkpoint,
      simulation: simulation.state(),
      loop: { ...saved, liveShocks: [{ turn: 1, action: 'start', index: 0, shock }] },
    });
    expect(() => readReplayRecords(path)).toThrow(/edited.ckpt: loop.liveShocks\[0\]/);
  });
});
