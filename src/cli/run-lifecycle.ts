/*
 * What a run says and how it ends: the banner, the Pushgateway pusher, the linger after the
 * last turn, the waits for its last firings to be scraped or pushed, closing with deadlines,
 * and what the run lost.
 */
import { createPusher, type Exporter, isLoopback, type OutputKind } from '../monitoring/index.js';
import type { CliOptions } from './args.js';
import { sayCheckpointReplaced } from './checkpoint-file.js';
import { escapeControls } from './control-characters.js';
import type { OutputFaults } from './output-faults.js';
import type { RunOrigin } from './run-origin.js';
import type { RunLogs } from './run-outputs.js';
import type { TextOut } from './safe-writer.js';

/** How long closing the server and the file may take before the run ends anyway. */
export const CLOSE_DEADLINE_MS = 1_500;

/**
 * A batch or flat-out run reaches Prometheus through the Pushgateway: every few seconds, and
 * once more at the end. A failing push is a warning at most once a minute; the run goes on.
 */
export function startPusher(
  options: CliOptions,
  runId: string,
  exporter: Exporter,
  faults: OutputFaults,
  stderr: TextOut,
) {
  if (options.pushgateway === null) return undefined;
  return createPusher({
    url: options.pushgateway,
    deleteAtEnd: options.pushDelete,
    runId,
    everyMs: options.pushEverySeconds * 1000,
    render: async () => (await exporter.render()).body,
    onError: (message) => faults.report('push', `push failed: ${message}`),
    // Said whatever was said within the minute: the run's final state did not reach the gateway.
    onLastError: (message) =>
      stderr.write(
        `tradesim: warning: the last push failed, the run's final state is not on the Pushgateway: ${escapeControls(message)}\n`,
      ),
    timeoutMs: CLOSE_DEADLINE_MS,
  });
}

/** The banner on stderr: scenario, seed, run, and where the run serves and writes (and what its checkpoint replaces). */
export function announce(
  options: CliOptions,
  origin: RunOrigin,
  runId: string,
  url: string | null,
  logs: RunLogs,
  stderr: TextOut,
): void {
  const { saved } = origin;
  let text = '';
  if (!options.quiet) {
    text +=
      `tradesim: scenario ${escapeControls(origin.config.scenario.name)}, seed ${origin.seed}, run ${runId}` +
      `${saved ? `, ${options.resume !== null ? 'resumed' : 'forked'} from turn ${saved.turn}` : ''}` +
      `${url ? `, serving ${url}/metrics` : ''}${logs.writer ? `, writing ${options.jsonl}` : ''}` +
      `${logs.eventLog ? `, events to ${options.events}` : ''}\n`;
  }
  if (url && !isLoopback(options.host)) {
    text += `tradesim: warning: listening on ${options.host}: the endpoints are reachable from the network\n`;
  }
  // One write: a reader that sees the banner sees its warning with it.
  if (text !== '') stderr.write(text);
  // Said once nothing can refuse the run any more, before its first save.
  sayCheckpointReplaced(options.checkpoint, runId, stderr);
}

/**
 * After --turns, the final state stays on /metrics and /health ('finished') this long, so
 * Prometheus can scrape a short run; `end()` (a stop signal) ends the wait.
 */
export function createLinger(seconds: number) {
  const waiting = createEndableWait();
  return { wait: () => waiting.wait(seconds * 1000), end: () => waiting.end() };
}

/** A wait that end() ends at once, and every later one before it starts (a stop signal). */
export function createEndableWait() {
  let endWait = () => {};
  let ended = false;
  return {
    /** True once end() was called: every wait is over. */
    get ended() {
      return ended;
    },
    wait: (ms: number): Promise<void> | undefined =>
      ms > 0 && !ended
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            endWait = () => {
              clearTimeout(timer);
              resolve();
            };
          })
        : undefined,
    end() {
      ended = true;
      endWait();
    },
  };
}

/** The longest a finished run, scraped or pushed, waits out its firings' hold (a long --alert-hold). */
const HELD_FIRINGS_MAX_MS = 60_000;

/**
 * Ends the run's firings (one still firing is resolved: nothing evaluates it any more) and
 * says when the last stops being exported: held at 1 for --alert-hold, then settled at 0 for
 * as long again, all within HELD_FIRINGS_MAX_MS. A run only pushed (its group kept) waits for
 * the holds alone: its last push carries every firing at 0, and the Pushgateway keeps it.
 */
export function heldFiringsDeadline(exporter: Exporter, pushedOnly: boolean): number {
  exporter.endFirings(HELD_FIRINGS_MAX_MS);
  return Date.now() + Math.min(exporter.heldForMs(!pushedOnly), HELD_FIRINGS_MAX_MS);
}

/** The longest a stopped run waits for a scrape to carry its firings at 0. */
const STOP_SETTLE_MAX_MS = 10_000;

/**
 * A run stopped by a signal while some firing has not been scraped at 0 (open, held, or
 * settling unseen): every one is set to 0 at once, and a run scraped at a pace (two scrapes
 * seen) serves on until its next scrape has carried them, at most one and a half of its
 * intervals (10 s), so Prometheus resolves their alerts now rather than its rules' lookback
 * after. A run scraped once, or not at all, ends at once. Nothing to do after a run's end that
 * waited out its firings.
 */
export async function settleFiringsOnStop(exporter: Exporter, say: ((message: string) => void) | undefined) {
  const intervalMs = exporter.scrapeIntervalMs();
  if (intervalMs === undefined || !exporter.firingsUnsettled()) return;
  exporter.endFirings(0);
  const ms = Math.min(1.5 * intervalMs, STOP_SETTLE_MAX_MS);
  say?.(`tradesim: serving the alert firings at 0 until the next scrape (${Math.ceil(ms / 1000)} s at most)\n`);
  await exporter.nextScrape(ms);
}

/**
 * After the last turn (and a linger), the firings still held reach Prometheus: a pushed run
 * pushes its final state with its firings and keeps pushing (every --push-every), a run
 * Prometheus scrapes (its /metrics answered at least once) serves on, until `deadlineMs`.
 * Without it a short run's last firings never reached Prometheus, or lived there too briefly
 * for Alertmanager to notify them. A run nothing scrapes or pushes ends at once, and a stop
 * signal ends the wait (the push is made, nothing said).
 */
export async function waitOutHeldFirings(
  deadlineMs: number,
  reach: { readonly pusher: ReturnType<typeof startPusher>; readonly scraped: boolean },
  waiting: ReturnType<typeof createEndableWait>,
  say: ((message: string) => void) | undefined,
): Promise<void> {
  if (reach.pusher) await reach.pusher.push();
  const ms = deadlineMs - Date.now();
  if ((!reach.pusher && !reach.scraped) || ms <= 0 || waiting.ended) return;
  const how = reach.pusher ? 'pushing' : 'serving';
  say?.(`tradesim: ${how} the held alert firings for ${Math.ceil(ms / 1000)} s more (--alert-hold)\n`);
  await waiting.wait(ms);
}

/** What a run lost, one phrase an output; `checkpointTurn` is the turn whose checkpoint is missing. */
export function lostOutputs(
  options: CliOptions,
  lines: Record<OutputKind, number>,
  checkpointTurn: number | null,
): string[] {
  const phrases: string[] = [];
  if (lines.jsonl > 0) phrases.push(`${lines.jsonl} JSONL lines (${options.jsonl})`);
  if (lines.events > 0) phrases.push(`${lines.events} event-log lines (${options.events})`);
  if (checkpointTurn !== null) phrases.push(`the checkpoint of turn ${checkpointTurn} (${options.checkpoint})`);
  return phrases;
}
