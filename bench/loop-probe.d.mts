/** The figures of one window of the loop probe, ms (see loop-probe.mjs). */
export interface LoopFigures {
  readonly delayP50: number;
  readonly delayP99: number;
  readonly delayMax: number;
  readonly gcCount: number;
  readonly gcMax: number;
  readonly gcSum: number;
}

/** The line prefix of a preloaded probe's report. */
export const PROBE_PREFIX: string;

/** Starts watching the loop; `take()` returns the figures since the last take and starts a new window. */
export function createLoopProbe(): { take(): LoopFigures; stop(): void };
