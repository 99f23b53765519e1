import { describe, expect, it } from 'vitest';
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
    expect(body.reason).toContain('15 s');
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
