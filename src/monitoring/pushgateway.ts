/**
 * Pushes a run's metrics to a Prometheus Pushgateway, as Prometheus advises for batch jobs:
 * the whole exposition replaces the run's group (PUT), every `everyMs` while the run goes
 * on and once more at its end, so a run too short or too fast for a scrape still reaches
 * Prometheus. The group is `job/<job>/run/<run id>`: one group per run, never mixed.
 */
export interface Pusher {
  /** Pushes now (one push at a time: a push asked for during one follows it). */
  push(): Promise<void>;
  /** Stops the timer and makes the last push; settles when it is done or has failed. */
  stop(): Promise<void>;
  /** Pushes made, and pushes that failed (with the last failure). */
  stats(): { readonly pushes: number; readonly failures: number; readonly lastError: string | null };
}

export interface PusherOptions {
  /** The Pushgateway's base URL, e.g. http://127.0.0.1:9091. */
  readonly url: string;
  readonly job: string;
  readonly runId: string;
  readonly everyMs: number;
  /** The exposition to push (Prometheus text format). */
  readonly render: () => Promise<string>;
  /** Told of each failed push (the run goes on). */
  readonly onError?: (message: string) => void;
  /** A push that takes longer than this fails (ms). */
  readonly timeoutMs?: number;
}

/** The group's URL: each grouping value URL-encoded, as the Pushgateway's API takes it. */
export function groupUrl(base: string, job: string, runId: string): string {
  return `${base.replace(/\/+$/, '')}/metrics/job/${encodeURIComponent(job)}/run/${encodeURIComponent(runId)}`;
}

export function createPusher(options: PusherOptions): Pusher {
  const target = groupUrl(options.url, options.job, options.runId);
  const timeoutMs = options.timeoutMs ?? 5_000;
  let pushes = 0;
  let failures = 0;
  let lastError: string | null = null;
  let inFlight: Promise<void> | undefined;
  let again = false;

  const fail = (why: string) => {
    failures += 1;
    lastError = `${target}: ${why}`;
    options.onError?.(lastError);
  };

  const pushOnce = async (): Promise<void> => {
    try {
      const body = await options.render();
      const res = await fetch(target, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (res.ok) {
        pushes += 1;
        lastError = null;
        return;
      }
      fail(`HTTP ${res.status}: ${(await res.text()).trim().slice(0, 200)}`);
    } catch (error) {
      fail((error as Error).message);
    }
  };

  const push = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await pushOnce();
      } while (again);
      inFlight = undefined;
    })();
    return inFlight;
  };

  const timer = setInterval(() => void push(), options.everyMs);
  timer.unref();

  return {
    push,
    async stop() {
      clearInterval(timer);
      await inFlight;
      await push();
    },
    stats: () => ({ pushes, failures, lastError }),
  };
}
