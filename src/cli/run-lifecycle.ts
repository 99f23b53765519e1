/*
 * What a run says and how it ends: the banner, the Pushgateway pusher, the linger after the
 * last turn, the waits for its last firings to be scraped or pushed, closing with deadlines,
 * and what the run lost.
 */
import { createPusher, type Exporter, isLoopback, type OutputKind } from '../monitoring/index.js';
import type { CliOptions } from './args.js';
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

/** The banner on stderr: scenario, seed, run, and where the run serves and writes. */
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
 * After the last turn of a pushed run: pushes its final state with its firings, then keeps
 * pushing (every --push-every) until the last firing's --alert-hold is over, one still firing
 * counted as resolved at the end, so Prometheus scrapes each from the Pushgateway before the
 * last push takes them away; at most HELD_FIRINGS_MAX_MS. A stop signal ends the wait.
 */
export async function pushHeldFirings(
  pusher: ReturnType<typeof startPusher>,
  exporter: Exporter,
  waiting: ReturnType<typeof createEndableWait>,
  say: ((message: string) => void) | undefined,
): Promise<void> {
  if (!pusher) return;
  await pusher.push();
  const ms = Math.min(exporter.heldForMs(), HELD_FIRINGS_MAX_MS);
  if (ms <= 0) return;
  say?.(`tradesim: pushing the held alert firings for ${Math.ceil(ms / 1000)} s more (--alert-hold)\n`);
  await waiting.wait(ms);
}

/**
 * After the last turn of a run Prometheus scrapes (its /metrics rendered at least once):
 * serves on until the last firing's --alert-hold is over, one still firing counted as
 * resolved at the end, as a pushed run pushes on (pushHeldFirings): without it a short run's
 * last firings were never scraped, or lived in Prometheus too briefly for Alertmanager to
 * notify them. At most HELD_FIRINGS_MAX_MS; a run nothing scrapes ends at once. A stop signal
 * ends the wait.
 */
export async function serveHeldFirings(
  serving: boolean,
  exporter: Exporter,
  waiting: ReturnType<typeof createEndableWait>,
  say: ((message: string) => void) | undefined,
): Promise<void> {
  const ms = serving ? Math.min(exporter.readHeldForMs(), HELD_FIRINGS_MAX_MS) : 0;
  if (ms <= 0) return;
  say?.(`tradesim: serving the held alert firings for ${Math.ceil(ms / 1000)} s more (--alert-hold)\n`);
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
