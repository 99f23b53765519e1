import { defineLazyFigures } from '../figures/lazy-figures.js';
import type { ServiceDefinition } from '../figure-service.js';
import type { StatsCache } from '../history/stats-cache.js';

/** What the performance service reads of the turn loop: its statistics cache and error count. */
export interface LoopCounters {
  readonly cache: StatsCache;
  subscriberErrors(): number;
}

/** Performance figures for one turn; durations in seconds. */
export interface PerformanceFigures {
  readonly turnSeconds: number;
  readonly phaseSeconds: {
    readonly prices: number;
    readonly purchases: number;
    readonly market: number;
    readonly events: number;
    /** The figure services of the previous turn. */
    readonly services: number;
  };
  /** Wall-clock time at the end of the turn (the loop's clock), seconds. */
  readonly clockSeconds: number;
  readonly attempts: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  /** Hits / lookups; absent (NaN) before any lookup. */
  readonly cacheHitRatio: number;
  readonly subscriberErrors: number;
  /** Rates over the statistics window (computed on read). */
  readonly window: PerformanceWindow;
}

/**
 * Rates over the window, pauses and pacing included: what a watcher sees; absent (NaN) while
 * the window holds no time (one turn).
 */
export interface PerformanceWindow {
  readonly turnsPerSecond: number;
  readonly transactionsPerSecond: number;
  readonly turnSecondsMean: number;
  readonly turnSecondsP95: number;
}

const makePerformanceFigures = defineLazyFigures(['window']);

/** The performance service: turn and phase durations, throughput, cache efficiency. */
export function performanceService(rateWindow: number, loop: LoopCounters): ServiceDefinition<PerformanceFigures> {
  const { cache } = loop;
  return {
    name: 'performance',
    compute({ report, timings, clockSeconds }, _earlier, window) {
      const rates = (): PerformanceWindow => {
        const clock = window.series('clockSeconds', rateWindow);
        const attempts = window.series('attempts', rateWindow);
        const elapsed = clock.length < 2 ? 0 : clock[clock.length - 1]! - clock[0]!;
        let laterAttempts = 0;
        for (let i = 1; i < attempts.length; i++) laterAttempts += attempts[i]!;
        const turns = window.summary('turnSeconds', rateWindow);
        return {
          turnsPerSecond: elapsed > 0 ? (clock.length - 1) / elapsed : Number.NaN,
          transactionsPerSecond: elapsed > 0 ? laterAttempts / elapsed : Number.NaN,
          turnSecondsMean: turns.mean,
          turnSecondsP95: turns.p95,
        };
      };
      return makePerformanceFigures(
        {
          turnSeconds: timings.prices + timings.purchases + timings.market + timings.events,
          phaseSeconds: { ...timings },
          clockSeconds,
          attempts: report.aggregates.attempts,
          cacheHits: cache.hits,
          cacheMisses: cache.misses,
          cacheHitRatio: cache.hitRatio(),
          subscriberErrors: loop.subscriberErrors(),
        },
        { window: rates },
      );
    },
  };
}
