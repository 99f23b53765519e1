/**
 * Lets each kind of log line through at most once per `everyMs`: a client repeating a bad
 * request must not flood the log. Returns how many of that kind were held back since the
 * last one let through, or undefined when this one is held back too.
 */
export function createLogLimiter(
  everyMs: number,
  nowMs: () => number = Date.now,
): (kind: string) => number | undefined {
  const last = new Map<string, { at: number; held: number }>();
  return (kind) => {
    const now = nowMs();
    const entry = last.get(kind);
    if (entry && now - entry.at < everyMs) {
      entry.held += 1;
      return undefined;
    }
    last.set(kind, { at: now, held: 0 });
    return entry?.held ?? 0;
  };
}
