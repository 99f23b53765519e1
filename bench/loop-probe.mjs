/**
 * How long the event loop was held, for bench:http: the event-loop delay (perf_hooks, 1 ms
 * resolution: what a request arriving at a random moment waits before the loop can read it)
 * and the garbage collector's pauses, over a window. Imported by the bench in-process, or
 * preloaded into a built `tradesim` command (`node --import ./bench/loop-probe.mjs ...`): there
 * SIGUSR2 ends a window and prints its figures as one line on stderr, `loop-probe {json}`.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import process from 'node:process';

/** The line prefix of a preloaded probe's report. */
export const PROBE_PREFIX = 'loop-probe ';

/**
 * Starts watching the loop; `take()` returns the figures since the last take (or the start)
 * in ms, and starts a new window: delay p50, p99 and max, GC pauses' count, longest and sum.
 */
export function createLoopProbe() {
  let delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let gc = { count: 0, max: 0, sum: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.sum += entry.duration;
      gc.max = Math.max(gc.max, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  return {
    take() {
      delay.disable();
      const figures = {
        delayP50: ms(delay.percentile(50)),
        delayP99: ms(delay.percentile(99)),
        delayMax: ms(delay.max),
        gcCount: gc.count,
        gcMax: Math.round(gc.max * 100) / 100,
        gcSum: Math.round(gc.sum * 100) / 100,
      };
      delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      gc = { count: 0, max: 0, sum: 0 };
      return figures;
    },
    stop() {
      delay.disable();
      observer.disconnect();
    },
  };
}

// Preloaded (--import) into a command the bench spawned: report on SIGUSR2.
if (process.env.TRADESIM_LOOP_PROBE === '1') {
  const probe = createLoopProbe();
  process.on('SIGUSR2', () => process.stderr.write(`${PROBE_PREFIX}${JSON.stringify(probe.take())}\n`));
}
