/*
 * What a run says and how it ends: the banner, the Pushgateway pusher, the linger after the
 * last turn, closing with deadlines, and what the run lost.
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
export function startPusher(options: CliOptions, runId: string, exporter: Exporter, faults: OutputFaults) {
  if (options.pushgateway === null) return undefined;
  return createPusher({
    url: options.pushgateway,
    deleteAtEnd: options.pushDelete,
    runId,
    everyMs: options.pushEverySeconds * 1000,
    render: async () => (await exporter.render()).body,
    onError: (message) => faults.report('push', `push failed: ${message}`),
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
  let endWait = () => {};
  let ended = false;
  return {
    wait: (): Promise<void> | undefined =>
      seconds > 0 && !ended
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, seconds * 1000);
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
