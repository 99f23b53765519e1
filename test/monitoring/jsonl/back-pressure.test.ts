import { describe, expect, it } from 'vitest';
import { BackPressure } from '../../../src/monitoring/jsonl/back-pressure.js';
import type { LineBatcher } from '../../../src/monitoring/jsonl/line-batcher.js';
import type { RotatingFile } from '../../../src/monitoring/jsonl/rotating-file.js';
import { WriterHealth } from '../../../src/monitoring/jsonl/writer-health.js';

const MiB = 2 ** 20;

/** A writer's state as BackPressure reads it, set by the test. */
function fake(state: { queued: number; sinceTook: number; waiting: number; started: boolean; closed: boolean }) {
  const said: string[] = [];
  const pressure = new BackPressure({
    file: { queued: () => state.queued, sinceTook: () => state.sinceTook } as unknown as RotatingFile,
    batcher: { waiting: () => state.waiting } as unknown as LineBatcher,
    health: new WriterHealth(5_000),
    hungMs: 100,
    closed: () => state.closed,
    started: () => state.started,
    onBehind: (message) => said.push(message),
  });
  return { pressure, said };
}

describe('BackPressure', () => {
  it('waits from 4 MiB behind until the file is back under 2 MiB, and says so', async () => {
    const state = { queued: 4 * MiB - 1, sinceTook: 0, waiting: 0, started: true, closed: false };
    const { pressure, said } = fake(state);
    expect(pressure.behind()).toBeUndefined();
    state.queued = 5 * MiB;
    const waiting = pressure.behind();
    expect(waiting).toBeInstanceOf(Promise);
    expect(said).toEqual(['the file is 5 MiB behind the run (a slow disk): the run waits for it']);
    expect(pressure.waiting).toBe(true);
    let done = false;
    void waiting!.then(() => (done = true));
    state.queued = 3 * MiB;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    state.queued = 2 * MiB;
    await waiting;
    expect(pressure.waiting).toBe(false);
    expect(pressure.waitSeconds).toBeGreaterThan(0.015);
  });

  it('does not wait for a file that took nothing for its hung limit, and ends a wait when it turns hung or closes', async () => {
    const state = { queued: 8 * MiB, sinceTook: 100, waiting: 0, started: true, closed: false };
    const { pressure } = fake(state);
    expect(pressure.behind()).toBeUndefined();
    state.sinceTook = 0;
    const hung = pressure.behind()!;
    state.sinceTook = 150;
    await hung;
    state.sinceTook = 0;
    const closing = pressure.behind()!;
    state.closed = true;
    await closing;
    expect(pressure.behind()).toBeUndefined();
  });

  it('waits for a file not open yet once lines pile up, and gives that up for good after the hung limit', async () => {
    const state = { queued: 0, sinceTook: 0, waiting: 63, started: false, closed: false };
    const { pressure, said } = fake(state);
    expect(pressure.behind()).toBeUndefined();
    state.waiting = 64;
    const started = performance.now();
    await pressure.behind();
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(said).toEqual(['the file is not open yet: the run waits for it']);
    expect(pressure.behind()).toBeUndefined();
  });
});
