/**
 * Settles when `work` does or after `ms`, whichever comes first; a failure of `work` is told
 * to `onError` (or dropped), never left unhandled. For closing what may hang (a stuck disk,
 * a client holding a socket) without keeping the process alive.
 */
export function settleWithin(work: Promise<unknown>, ms: number, onError?: (error: unknown) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void work
      .catch((error: unknown) => onError?.(error))
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
}
