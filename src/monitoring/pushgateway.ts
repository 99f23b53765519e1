import { answerStart, firingsSettled, oneLine } from './pushgateway-text.js';

/**
 * Pushes a run's metrics to a Prometheus Pushgateway by the conventions of batch jobs: the
 * whole exposition replaces the run's group (PUT) every `everyMs` while the run goes on, and
 * once more at its end with the final state and every firing at 0, so a run too short or too
 * fast for a scrape still reaches Prometheus and never pages after it is over. The group is
 * `job/tradesim_batch/run/<run id>`: its own job (never the scrape job's), one group per run.
 */
export interface Pusher {
  /** Pushes now (one push at a time: a push asked for during one follows it). */
  push(): Promise<void>;
  /**
   * Stops the timer, cuts a push under way and makes the last one (or deletes the group):
   * settles within `timeoutMs` whatever the Pushgateway does.
   */
  stop(): Promise<void>;
  /** Pushes made, and pushes that failed (with the last failure). */
  stats(): { readonly pushes: number; readonly failures: number; readonly lastError: string | null };
}

/** The job of every pushed group: a batch run's series are told from a scraped run's (`job="tradesim"`). */
export const PUSH_JOB = 'tradesim_batch';

export interface PusherOptions {
  /** The Pushgateway's base URL, e.g. http://127.0.0.1:9091. */
  readonly url: string;
  /** The group's job (default PUSH_JOB). */
  readonly job?: string;
  readonly runId: string;
  readonly everyMs: number;
  /** The exposition to push (Prometheus text format). */
  readonly render: () => Promise<string>;
  /** Told of each failed push (the run goes on). */
  readonly onError?: (message: string) => void;
  /** Told, besides onError, when the last push (or the delete) fails: no later push replaces it. */
  readonly onLastError?: (message: string) => void;
  /** A push that takes longer than this fails, and stop() settles within it (ms). */
  readonly timeoutMs?: number;
  /** At the end, delete the run's group instead of making the last push (--push-delete). */
  readonly deleteAtEnd?: boolean;
}

/**
 * One grouping label in a group's path: `name/value` when the value is plain, else
 * `name@base64/…` (URL-safe base64, `=` for an empty value), as the Pushgateway's API asks
 * of a value holding a slash, of an empty one, and of `.` or `..`, which a path cannot carry.
 */
function groupSegment(name: string, value: string): string {
  if (/^[\w.~-]+$/.test(value) && value !== '.' && value !== '..') return `${name}/${value}`;
  return `${name}@base64/${value === '' ? '=' : Buffer.from(value, 'utf8').toString('base64url')}`;
}

/** The group's URL: job/<job>/run/<id>, each value as the Pushgateway's API takes it. */
export function groupUrl(base: string, job: string, runId: string): string {
  return `${base.replace(/\/+$/, '')}/metrics/${groupSegment('job', job)}/${groupSegment('run', runId)}`;
}

/** Why a request failed, in one line: the network's code, or a deadline. */
const failureOf = (error: unknown, timeoutMs: number): string => {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return oneLine(e.cause?.code ?? e.cause?.message ?? e.message);
};

/** Settles when `work` does or after `ms`, whichever comes first. */
const within = (work: Promise<unknown>, ms: number): Promise<unknown> =>
  Promise.race([work, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);

/** One request to the group; resolves with why the gateway refused it, or undefined when taken. */
async function request(
  target: string,
  method: 'PUT' | 'DELETE',
  body: string | undefined,
  signal: AbortSignal,
): Promise<string | undefined> {
  const res = await fetch(target, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }, body }),
    signal,
  });
  if (!res.ok) return `HTTP ${res.status}: ${await answerStart(res)}`;
  await res.body?.cancel();
  return undefined;
}

/**
 * The end of the run: its group deleted, or a last push with the firings at 0, within `lastMs`
 * for the render and the request together (half the others' deadline, so the run's end is not
 * held long). Resolves with why it failed, or undefined.
 */
async function lastRequest(
  options: PusherOptions,
  send: (method: 'PUT' | 'DELETE', body: string | undefined, signal: AbortSignal) => Promise<void>,
  lastMs: number,
): Promise<string | undefined> {
  const deadline = AbortSignal.timeout(lastMs);
  try {
    if (options.deleteAtEnd) await send('DELETE', undefined, deadline);
    else await send('PUT', firingsSettled(await options.render()), deadline);
    return undefined;
  } catch (error) {
    return failureOf(error, lastMs);
  }
}

export function createPusher(options: PusherOptions): Pusher {
  const target = groupUrl(options.url, options.job ?? PUSH_JOB, options.runId);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const counts = { pushes: 0, failures: 0, lastError: null as string | null };
  let inFlight: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  // Cuts a periodic push still under way half a deadline after the run stops.
  const cut = new AbortController();

  const fail = (why: string) => {
    counts.failures += 1;
    counts.lastError = `${target}: ${why}`;
    options.onError?.(counts.lastError);
  };

  const send = async (method: 'PUT' | 'DELETE', body: string | undefined, signal: AbortSignal) => {
    const refused = await request(target, method, body, signal);
    if (refused !== undefined) return fail(refused);
    counts.pushes += 1;
    counts.lastError = null;
  };

  const pushOnce = async (): Promise<void> => {
    try {
      await send('PUT', await options.render(), AbortSignal.any([cut.signal, AbortSignal.timeout(timeoutMs)]));
    } catch (error) {
      if (!cut.signal.aborted) fail(failureOf(error, timeoutMs));
    }
  };

  const push = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await pushOnce();
      } while (again && !stopped);
      inFlight = undefined;
    })();
    return inFlight;
  };

  const last = async (): Promise<void> => {
    const failed = await lastRequest(options, send, timeoutMs / 2);
    if (failed !== undefined) fail(failed);
    if (counts.lastError !== null) options.onLastError?.(counts.lastError);
  };

  const timer = setInterval(() => void push(), options.everyMs);
  timer.unref();

  return {
    push,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      // A push under way is let finish within half the deadline before it is cut: a cut
      // request the gateway has already taken could land after the last push and put the
      // firings it carried back into a finished run's group.
      if (inFlight) await within(inFlight, timeoutMs / 2);
      cut.abort();
      await inFlight;
      await last();
    },
    stats: () => ({ ...counts }),
  };
}
