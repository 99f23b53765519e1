import { defineLazyFigures } from '../lazy-figures.js';
import type { ServiceDefinition } from '../metrics-service.js';

/** Live counters the turn loop owns and the performance service reports. */
export interface LoopCounters {
  readonly subscriberErrors: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly cacheHitRatio: number;
}

/** Performance figures for one turn; durations in seconds. */
export interface PerformanceFigures {
  readonly turnSeconds: number;
  readonly phaseSeconds: {
    readonly prices: number;
    readonly purchases: number;
    readonly events: number;
    /** The metrics services of the previous turn. */
    readonly services: number;
  };
  /** Wall-clock time at the end of the turn (the loop's clock), seconds. */
  readonly clockSeconds: number;
  readonly attempts: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly cacheHitRatio: number;
  readonly subscriberErrors: number;
  /** Rates over the statistics window (computed on read). */
  readonly window: PerformanceWindow;
}

/** Rates over the window, pauses and pacing included: what a watcher sees. */
export interface PerformanceWindow {
  readonly turnsPerSecond: number;
  readonly transactionsPerSecond: number;
  readonly turnSecondsMean: number;
  readonly turnSecondsP95: number;
}

const makePerformanceFigures = defineLazyFigures(['window']);

/** The performance service: turn and phase durations, throughput, cache efficiency. */
export function performanceService(
  rateWindow: number,
  counters: () => LoopCounters,
): ServiceDefinition<PerformanceFigures> {
  return {
    name: 'performance',
    compute({ report, timings, clockSeconds }, _earlier, window) {
      const c = counters();
      const rates = (): PerformanceWindow => {
        const clock = window.series('clockSeconds', rateWindow);
        const attempts = window.series('attempts', rateWindow);
        const elapsed = clock.length < 2 ? 0 : clock[clock.length - 1]! - clock[0]!;
        let laterAttempts = 0;
        for (let i = 1; i < attempts.length; i++) laterAttempts += attempts[i]!;
        const turns = window.summary('turnSeconds', rateWindow);
        return {
          turnsPerSecond: elapsed > 0 ? (clock.length - 1) / elapsed : 0,
          transactionsPerSecond: elapsed > 0 ? laterAttempts / elapsed : 0,
          turnSecondsMean: turns.mean,
          turnSecondsP95: turns.p95,
        };
      };
      return makePerformanceFigures({
        turnSeconds: timings.prices + timings.purchases + timings.events,
        phaseSeconds: { ...timings },
        clockSeconds,
        attempts: report.aggregates.attempts,
        cacheHits: c.cacheHits,
        cacheMisses: c.cacheMisses,
        cacheHitRatio: c.cacheHitRatio,
        subscriberErrors: c.subscriberErrors,
      }, { window: rates });
    },
  };
}
