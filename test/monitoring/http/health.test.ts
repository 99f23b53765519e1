import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHealthText } from '../../../src/monitoring/http/health.js';
import { checkHealth, type HealthInput } from '../../../src/monitoring/index.js';
import type { TurnSnapshot } from '../../../src/services/index.js';

const snapshot = (turn: number, publishedAtMs: number) => ({ turn, publishedAtMs }) as TurnSnapshot;
const base: HealthInput = {
  latest: snapshot(7, 10_000),
  loopState: 'running',
  runId: 'r',
  seed: 1,
  nowMs: 11_000,
  startedAtMs: 0,
  stallAfterSeconds: 10,
  jsonl: {
    path: 'x.jsonl',
    linesWritten: 7,
    writeErrors: 0,
    lastError: null,
    rotations: 0,
    reopens: 0,
    waitSeconds: 0,
    holdingBack: false,
    busySeconds: 0,
  },
};

describe('checkHealth', () => {
  it('is ok while the loop advances', () => {
    const { httpStatus, body } = checkHealth(base);
    expect(httpStatus).toBe(200);
    expect(body).toEqual({
      status: 'ok',
      reason: null,
      turn: 7,
      runId: 'r',
      seed: 1,
      uptimeSeconds: 11,
      lastTurnAgeSeconds: 1,
      jsonl: { path: 'x.jsonl', linesWritten: 7, lastError: null },
    });
  });

  it('is 503 stalled when a running loop has published nothing for too long', () => {
    const { httpStatus, body } = checkHealth({ ...base, nowMs: 25_000 });
    expect(httpStatus).toBe(503);
    expect(body.status).toBe('stalled');
    expect(body.reason).toBe('no turn for 15 s (limit 10 s)');
  });

  it('says a stall is the run waiting for its JSONL file, when it is', () => {
    const jsonl = { ...base.jsonl!, holdingBack: true };
    const { httpStatus, body } = checkHealth({ ...base, nowMs: 25_000, jsonl });
    expect(httpStatus).toBe(503);
    expect(body.reason).toBe('no turn for 15 s (limit 10 s): the run waits for its JSONL file (a slow disk)');
  });

  it('is 200 while paused on purpose or after finishing its turns, however long ago', () => {
    expect(checkHealth({ ...base, nowMs: 99_000, loopState: 'paused' })).toMatchObject({
      httpStatus: 200,
      body: { status: 'paused' },
    });
    expect(checkHealth({ ...base, nowMs: 99_000, loopState: 'idle' })).toMatchObject({
      httpStatus: 200,
      body: { status: 'finished' },
    });
  });

  it('is 503 failing when the JSONL writer fails, naming the error', () => {
    const jsonl = { ...base.jsonl!, writeErrors: 3, lastError: 'EACCES: permission denied' };
    const { httpStatus, body } = checkHealth({ ...base, jsonl });
    expect(httpStatus).toBe(503);
    expect(body).toMatchObject({ status: 'failing', jsonl: { lastError: 'EACCES: permission denied' } });
  });

  it('is starting before the first turn, then stalled if none comes', () => {
    expect(checkHealth({ ...base, latest: undefined, nowMs: 2_000 }).body.status).toBe('starting');
    expect(checkHealth({ ...base, latest: undefined, nowMs: 20_000 }).httpStatus).toBe(503);
  });
});

describe('createHealthText', () => {
  const stats = (linesWritten: number, lastError: string | null, path = 'x.jsonl') => ({
    ...base.jsonl!,
    path,
    linesWritten,
    lastError,
  });
  const answer = (input: HealthInput) => {
    const { httpStatus, body } = checkHealth(input);
    return { httpStatus, text: JSON.stringify(body) };
  };

  it('writes the bytes JSON.stringify writes of the body, whatever changed since the last call', () => {
    const text = createHealthText();
    const first = snapshot(7, 10_000);
    const inputs: HealthInput[] = [
      base,
      // The same turn a millisecond later, then the next turn, with more lines written.
      { ...base, latest: first, nowMs: 11_001 },
      { ...base, latest: snapshot(8, 11_002), nowMs: 11_003, jsonl: stats(8, null) },
      { ...base, latest: first, nowMs: 11_004, jsonl: undefined },
      { ...base, latest: first, nowMs: 11_004, jsonl: stats(8, null, 'other "path".jsonl') },
      { ...base, nowMs: 25_000 },
      { ...base, jsonl: stats(8, 'EACCES: "x"\n\u2028') },
      { ...base, latest: undefined, nowMs: 2_000, jsonl: undefined },
      { ...base, loopState: 'paused', nowMs: 99_999 },
      { ...base, loopState: 'idle' },
      { ...base, loopState: 'stopped', runId: 'r2', seed: 2 ** 40 },
      { ...base, nowMs: 10_000.5 },
    ];
    for (const input of inputs) expect(text(input)).toEqual(answer(input));
  });

  it('agrees with checkHealth over any sequence of probes', () => {
    const snapshots = [snapshot(1, 1_000), snapshot(2, 1_500), snapshot(3, 4_000)];
    const probe = fc.record({
      latest: fc.constantFrom(undefined, ...snapshots),
      loopState: fc.constantFrom('idle', 'running', 'paused', 'stopped' as const),
      nowMs: fc.integer({ min: 0, max: 40_000 }),
      lines: fc.integer({ min: -1, max: 3 }),
      lastError: fc.constantFrom(null, 'EIO', 'disk "full"'),
    });
    fc.assert(
      fc.property(fc.array(probe, { maxLength: 30 }), (probes) => {
        const text = createHealthText();
        for (const p of probes) {
          const input: HealthInput = {
            ...base,
            latest: p.latest,
            loopState: p.loopState,
            nowMs: p.nowMs,
            jsonl: p.lines < 0 ? undefined : stats(p.lines, p.lastError),
          };
          expect(text(input)).toEqual(answer(input));
        }
      }),
    );
  });
});
