import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../src/services/index.js';
import { createFiringHistory } from '../../../src/services/alerts/firing-history.js';

const event = (rule: string, turn: number, from: AlertEvent['from'], to: AlertEvent['to']): AlertEvent => ({
  rule,
  severity: 'warning',
  from,
  to,
  turn,
  value: 0,
  threshold: 0,
});
const fire = (rule: string, turn: number) => event(rule, turn, 'pending', 'firing');
const resolve = (rule: string, turn: number) => event(rule, turn, 'firing', 'resolved');

describe('firing history', () => {
  it('records each firing with its fired and resolved turns, ignoring other transitions', () => {
    const history = createFiringHistory(10);
    history.observe([event('a', 1, 'inactive', 'pending'), fire('a', 3), fire('b', 3)]);
    history.observe([resolve('a', 7), event('c', 7, 'pending', 'inactive')]);
    expect(history.list()).toEqual({
      firings: [
        { rule: 'a', severity: 'warning', fired: 3, resolved: 7 },
        { rule: 'b', severity: 'warning', fired: 3, resolved: null },
      ],
      dropped: 0,
      capacity: 10,
    });
  });

  it('keeps the newest `capacity` firings and counts the others (kept + dropped = all)', () => {
    const history = createFiringHistory(3);
    for (let t = 1; t <= 20; t++) history.observe([fire('a', 2 * t), resolve('a', 2 * t + 1)]);
    const { firings, dropped } = history.list();
    expect(firings.map((f) => f.fired)).toEqual([36, 38, 40]);
    expect(firings.length + dropped).toBe(20);
  });

  it('since=TURN lists the firings that fired or resolved at or after it, or still fire', () => {
    const history = createFiringHistory(10);
    history.observe([fire('a', 1)]);
    history.observe([resolve('a', 5), fire('b', 5)]);
    history.observe([fire('a', 8)]);
    history.observe([resolve('a', 9)]);
    history.observe([fire('c', 2)]);
    const at = (since: number) => history.list(since).firings.map((f) => `${f.rule}@${f.fired}`);
    expect(at(6)).toEqual(['b@5', 'a@8', 'c@2']);
    expect(at(5)).toEqual(['a@1', 'b@5', 'a@8', 'c@2']);
    expect(at(10)).toEqual(['b@5', 'c@2']);
  });

  it('comes back whole from saveState, an open firing still resolvable, and shrinks to a smaller capacity', () => {
    const history = createFiringHistory(10);
    history.observe([fire('a', 1), resolve('a', 2), fire('b', 3), fire('a', 4)]);
    const restored = createFiringHistory(10);
    restored.loadState(structuredClone(history.saveState()));
    restored.observe([resolve('a', 6)]);
    history.observe([resolve('a', 6)]);
    expect(restored.list()).toEqual(history.list());
    const smaller = createFiringHistory(2);
    smaller.loadState(history.saveState());
    expect(smaller.list()).toMatchObject({
      dropped: 1,
      firings: [{ rule: 'b' }, { rule: 'a', fired: 4, resolved: 6 }],
    });
  });
});
