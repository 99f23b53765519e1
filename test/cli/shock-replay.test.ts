import { describe, expect, it } from 'vitest';
import { recordsFromEventLog } from '../../src/cli/shock-replay.js';

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

  it('takes the same start with valid fields', () => {
    expect(recordsFromEventLog(`${restock}\n${start({})}\n`)).toHaveLength(1);
  });

  it('refuses a text with no event, and takes an empty one (a run with no events)', () => {
    expect(() => recordsFromEventLog('root:x:0:0\n', 'passwd')).toThrow(/passwd: not a TradeSim event log/);
    expect(recordsFromEventLog('')).toEqual([]);
  });
});
