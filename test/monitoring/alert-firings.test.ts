import { describe, expect, it } from 'vitest';
import { createFiringLog } from '../../src/monitoring/alert-firings.js';
import { createExporter } from '../../src/monitoring/index.js';
import type { AlertEvent, AlertState, TurnSnapshot } from '../../src/services/index.js';
import { parseExposition, loopFor } from './fixtures.js';

const event = (rule: string, turn: number, from: AlertState, to: AlertState): AlertEvent => ({
  rule,
  severity: 'critical',
  from,
  to,
  turn,
  value: 0,
  threshold: 0,
});
const snapshotAt = (publishedAtMs: number, transitions: AlertEvent[]) =>
  ({ publishedAtMs, alerts: { active: [], transitions } }) as unknown as TurnSnapshot;

describe('firing log', () => {
  it('exports a firing at 1 while it fires and for the hold after it resolves, then at 0 as long again', () => {
    const log = createFiringLog(1_000, ['a', 'b']);
    log.observe(snapshotAt(0, [event('a', 3, 'pending', 'firing')]));
    expect(log.current(50_000)).toMatchObject([{ rule: 'a', firedTurn: 3, value: 1 }]);
    log.observe(snapshotAt(60_000, [event('a', 4, 'firing', 'resolved')]));
    expect(log.current(60_999)).toMatchObject([{ value: 1 }]);
    expect(log.current(61_000)).toMatchObject([{ firedTurn: 3, value: 0 }]);
    expect(log.current(61_999)).toMatchObject([{ value: 0 }]);
    expect(log.current(62_000)).toEqual([]);
  });

  it('forgets a settled firing only once it has been returned at 0', () => {
    const log = createFiringLog(1_000, ['a']);
    log.observe(snapshotAt(0, [event('a', 3, 'pending', 'firing')]));
    log.observe(snapshotAt(10, [event('a', 4, 'firing', 'resolved')]));
    // No scrape between its resolution and the end of its settling: it is still shown at 0 once.
    expect(log.current(5_000)).toMatchObject([{ firedTurn: 3, value: 0 }]);
    expect(log.current(5_001)).toEqual([]);
  });

  it('with no hold (a backfill), reads 1 at the turns it fires and 0 at the turn it resolves', () => {
    const log = createFiringLog(0, ['a']);
    log.observe(snapshotAt(0, [event('a', 3, 'pending', 'firing')]));
    expect(log.current(0)).toMatchObject([{ value: 1 }]);
    log.observe(snapshotAt(15, [event('a', 4, 'firing', 'resolved')]));
    expect(log.current(15)).toMatchObject([{ value: 0 }]);
    expect(log.current(30)).toEqual([]);
  });

  it("takes a resumed run's open firings, and resolves them by the run's transitions", () => {
    const log = createFiringLog(1_000, ['a']);
    log.resume([{ rule: 'a', severity: 'warning', fired: 54 }], 0);
    expect(log.current(0)).toMatchObject([{ rule: 'a', severity: 'warning', firedTurn: 54, value: 1 }]);
    log.observe(snapshotAt(5_000, [event('a', 104, 'firing', 'resolved')]));
    expect(log.current(5_999)).toMatchObject([{ rule: 'a', firedTurn: 54, value: 1 }]);
    expect(log.current(6_000)).toMatchObject([{ firedTurn: 54, value: 0 }]);
    expect(log.current(7_000)).toEqual([]);
  });

  it('says how long its firings are still exported, held then settling', () => {
    const log = createFiringLog(1_000, ['a', 'b']);
    expect(log.heldForMs(0)).toBe(0);
    log.observe(snapshotAt(0, [event('a', 3, 'pending', 'firing')]));
    log.observe(snapshotAt(100, [event('a', 4, 'firing', 'resolved')]));
    expect(log.heldForMs(400)).toBe(1_700);
    log.observe(snapshotAt(500, [event('b', 5, 'pending', 'firing')]));
    // b still fires, opened 100 ms ago: held until it has been out a whole hold, then settling.
    expect(log.heldForMs(600)).toBe(1_900);
  });

  it('ends the firings still open with the run: a long one settles at once, a new one is held first', () => {
    const log = createFiringLog(1_000, ['a', 'b']);
    log.observe(snapshotAt(0, [event('a', 3, 'pending', 'firing')]));
    log.observe(snapshotAt(9_800, [event('b', 98, 'pending', 'firing')]));
    log.end(10_000, 60_000);
    expect(log.heldForMs(10_000)).toBe(1_800);
    expect(log.current(10_000).map((f) => `${f.rule}=${f.value}`)).toEqual(['a=0', 'b=1']);
    expect(log.current(10_800).map((f) => `${f.rule}=${f.value}`)).toEqual(['a=0', 'b=0']);
    expect(log.current(11_000).map((f) => `${f.rule}=${f.value}`)).toEqual(['b=0']);
    expect(log.current(11_800)).toEqual([]);
    // Nothing is open any more: a later transition of the ended rule opens nothing twice.
    log.observe(snapshotAt(12_000, [event('a', 120, 'firing', 'resolved')]));
    expect(log.current(12_000)).toEqual([]);
  });

  it('cuts the holds at the end so every firing settles at 0 within the time given, at once with none', () => {
    const log = createFiringLog(65_000, ['a', 'b']);
    log.observe(snapshotAt(0, [event('a', 3, 'pending', 'firing')]));
    log.end(0, 60_000);
    // Held no longer than 60 s less time to be scraped at 0 (half of it: the hold is longer).
    expect(log.current(29_999)).toMatchObject([{ value: 1 }]);
    expect(log.current(30_000)).toMatchObject([{ value: 0 }]);
    expect(log.heldForMs(30_000, false)).toBe(0);
    const stopped = createFiringLog(15_000, ['a']);
    stopped.observe(snapshotAt(0, [event('a', 3, 'pending', 'firing')]));
    expect(stopped.heldForMs(100, false)).toBe(14_900);
    stopped.end(100, 0);
    expect(stopped.current(100)).toMatchObject([{ value: 0 }]);
  });

  it('is unsettled until every firing has been served at 0; an answer with no sample serves none', () => {
    const log = createFiringLog(1_000, ['a']);
    expect(log.unsettled()).toBe(false);
    log.observe(snapshotAt(0, [event('a', 3, 'pending', 'firing')]));
    // Open long past its hold: still unsettled.
    expect(log.current(50_000)).toMatchObject([{ value: 1 }]);
    expect(log.unsettled()).toBe(true);
    log.end(50_000, 0);
    expect(log.current(50_000, false)).toMatchObject([{ value: 0 }]);
    expect(log.unsettled()).toBe(true);
    expect(log.current(50_001)).toMatchObject([{ value: 0 }]);
    expect(log.unsettled()).toBe(false);
  });

  it('gives each of many short firings between two scrapes its own entry', () => {
    const log = createFiringLog(1_000, ['a', 'b']);
    for (let turn = 1; turn <= 10; turn += 2) {
      log.observe(snapshotAt(turn, [event('a', turn, 'inactive', 'firing')]));
      log.observe(snapshotAt(turn + 1, [event('a', turn + 1, 'firing', 'resolved')]));
    }
    log.observe(snapshotAt(11, [event('b', 11, 'pending', 'firing')]));
    expect(log.current(12).map((f) => `${f.rule}@${f.firedTurn}`)).toEqual(['a@1', 'a@3', 'a@5', 'a@7', 'a@9', 'b@11']);
  });

  it('holds at most maxHeldPerRule resolved firings of a rule, dropping and counting the oldest', () => {
    const log = createFiringLog(60_000, ['a'], 3);
    for (let turn = 1; turn <= 10; turn += 2) {
      log.observe(snapshotAt(turn, [event('a', turn, 'inactive', 'firing')]));
      log.observe(snapshotAt(turn + 1, [event('a', turn + 1, 'firing', 'resolved')]));
    }
    log.observe(snapshotAt(20, [event('a', 20, 'resolved', 'firing')]));
    expect(log.current(21).map((f) => f.firedTurn)).toEqual([5, 7, 9, 20]);
    expect(log.current(21).map((f) => f.value)).toEqual([1, 1, 1, 1]);
    expect(log.dropped.get('a')).toBe(2);
  });

  it('drops a firing already exported at 0 before one that still reads 1', () => {
    const log = createFiringLog(1_000, ['a'], 2);
    const flap = (turn: number, atMs: number) => {
      log.observe(snapshotAt(atMs, [event('a', turn, 'inactive', 'firing')]));
      log.observe(snapshotAt(atMs, [event('a', turn + 1, 'firing', 'resolved')]));
    };
    flap(1, 0);
    flap(3, 1_500);
    // Turn 1's is settling (exported at 0), turn 3's is held.
    expect(log.current(1_500).map((f) => `${f.firedTurn}=${f.value}`)).toEqual(['1=0', '3=1']);
    flap(5, 1_600);
    expect(log.current(1_600).map((f) => `${f.firedTurn}=${f.value}`)).toEqual(['3=1', '5=1']);
    expect(log.dropped.get('a')).toBe(1);
  });
});

describe('exported firings', () => {
  it('serves one tradesim_alert_firing series per firing of a crisis run', async () => {
    const loop = loopFor('crisis', 7, 0);
    const exporter = createExporter({ loop, seriesBudget: 10, alertHoldMs: 3_600_000 });
    const fired: string[] = [];
    loop.subscribe((s) => {
      for (const e of s.alerts.transitions) if (e.to === 'firing') fired.push(`${e.rule}@${e.turn}`);
    });
    for (let i = 0; i < 1_500; i++) loop.runTurn();
    expect(fired.length).toBeGreaterThan(3);

    const series = parseExposition((await exporter.render()).body).filter((s) => s.name === 'tradesim_alert_firing');
    expect(series.map((s) => `${s.labels.rule}@${s.labels.fired_turn}`).sort()).toEqual([...fired].sort());
    expect(series.every((s) => s.value === 1 && ['critical', 'warning'].includes(s.labels.severity!))).toBe(true);
    exporter.detach();
  });

  it('serves every firing at 0 once the run has ended them and their hold is over, then none', async () => {
    const loop = loopFor('crisis', 7, 0);
    const exporter = createExporter({ loop, seriesBudget: 10, alertHoldMs: 20 });
    for (let i = 0; i < 1_000; i++) loop.runTurn();
    const values = async () =>
      parseExposition((await exporter.render()).body)
        .filter((s) => s.name === 'tradesim_alert_firing')
        .map((s) => s.value);
    exporter.endFirings(60_000);
    await new Promise((resolve) => setTimeout(resolve, 25));
    const settled = await values();
    expect(settled.length).toBeGreaterThan(0);
    expect(settled.every((v) => v === 0)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await values()).toEqual([]);
    exporter.detach();
  });
});
