import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LOCK_STALE_MS,
  lockName,
  parseHolder,
  releaseLock,
  staleReason,
  takeLock,
  type LockHolder,
} from '../../../src/monitoring/jsonl/run-lock.js';

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'tradesim-lock-')), 'm.jsonl');

describe('the run lock', () => {
  it('names the run and this process, and is released by it only', async () => {
    const path = tempPath();
    expect(await takeLock(path, 'run-a')).toEqual({ state: 'taken' });
    const holder = parseHolder(readFileSync(lockName(path), 'utf8'))!;
    expect(holder).toMatchObject({ pid: process.pid, run: 'run-a' });
    expect(typeof holder.process).toBe('string');
    // The same process asking again (a second writer of the same file) finds it held.
    expect(await takeLock(path, 'run-b')).toMatchObject({ state: 'held', holder: { pid: process.pid, run: 'run-a' } });
    await releaseLock(path);
    expect(await takeLock(path, 'run-b')).toEqual({ state: 'taken' });
  });

  it('takes over the lock of PID 1 left by a container that restarted, when it is PID 1 again', async () => {
    const path = tempPath();
    // What the killed process wrote: this pid, another process token.
    writeFileSync(lockName(path), `${JSON.stringify({ pid: process.pid, run: 'old', process: 'gone' })}\n`);
    const take = await takeLock(path, 'old');
    expect(take).toMatchObject({ state: 'taken' });
    expect(take.state === 'taken' && take.tookOver).toContain('is this process now');
    // A bare pid (an older TradeSim's lock) naming this process is stale too.
    await releaseLock(path);
    writeFileSync(lockName(path), `${process.pid}\n`);
    expect(await takeLock(path)).toMatchObject({ state: 'taken', tookOver: expect.stringContaining('this process') });
  });

  it('takes over an unreadable lock', async () => {
    const path = tempPath();
    writeFileSync(lockName(path), 'null\n');
    expect(await takeLock(path)).toEqual({ state: 'taken', tookOver: 'the lock was unreadable' });
  });

  it('keeps a fresh lock of another PID namespace, and takes it over once it has not been refreshed', async () => {
    const path = tempPath();
    const other = { pid: 4_000_000, run: 'r', process: 'x', pidNamespace: 'pid:[1]' };
    writeFileSync(lockName(path), JSON.stringify(other));
    expect(await takeLock(path)).toMatchObject({ state: 'held' });
    const old = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    utimesSync(lockName(path), old, old);
    expect(await takeLock(path)).toMatchObject({
      state: 'taken',
      tookOver: expect.stringContaining('has not refreshed'),
    });
  });

  describe('staleReason', () => {
    const me: LockHolder = { pid: process.pid, process: 'me', pidNamespace: 'pid:[9]', boot: 'b1' };
    it.each<[string, LockHolder, number, string | undefined]>([
      ['this process itself', { ...me }, 0, undefined],
      ['this pid, another process (new PID namespace)', { ...me, process: 'other' }, 0, 'is this process now'],
      ['a lock from before a reboot', { ...me, pid: 1, boot: 'b0' }, 0, 'before the machine restarted'],
      ['a pid that is gone', { pid: 2 ** 22 + 1, pidNamespace: 'pid:[9]' }, 0, 'is gone'],
      [
        'a live pid that started at another time',
        { pid: process.ppid, started: 1, pidNamespace: 'pid:[9]' },
        0,
        'another process now',
      ],
      ['a live pid of the same start', { pid: process.ppid, pidNamespace: 'pid:[9]' }, 0, undefined],
      ['another namespace, refreshed', { pid: 7, pidNamespace: 'pid:[3]' }, 1_000, undefined],
      ['another namespace, not refreshed', { pid: 7, pidNamespace: 'pid:[3]' }, LOCK_STALE_MS + 1, 'has not refreshed'],
    ])('%s', (_what, holder, age, expected) => {
      const reason = staleReason(holder, me, age);
      if (expected === undefined) expect(reason).toBeUndefined();
      else expect(reason).toContain(expected);
    });
  });
});
