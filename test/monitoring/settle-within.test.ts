import { describe, expect, it, vi } from 'vitest';
import { settleWithin } from '../../src/monitoring/settle-within.js';

describe('settleWithin', () => {
  it('settles with the work, or at the deadline when the work hangs', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      void settleWithin(Promise.resolve(), 1_000).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(0);
      expect(done).toBe(true);
      let hung = false;
      void settleWithin(new Promise(() => {}), 1_000).then(() => (hung = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(hung).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(hung).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tells a failure of the work to onError, and settles all the same', async () => {
    const errors: unknown[] = [];
    const failure = new Error('disk gone');
    await settleWithin(Promise.reject(failure), 1_000, (error) => errors.push(error));
    expect(errors).toEqual([failure]);
    await expect(settleWithin(Promise.reject(failure), 1_000)).resolves.toBeUndefined();
  });
});
