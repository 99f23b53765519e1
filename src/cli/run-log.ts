import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createJsonlWriter, type JsonlStart, type JsonlWriter } from '../monitoring/index.js';
import type { CliOptions } from './args.js';
import { CliErrors } from './errors.js';
import { escapeControls, type OutputFaults } from './output-faults.js';
import type { TextOut } from './safe-writer.js';

/** How long a run waits for its log to open before it goes on with a failing one. */
const START_WAIT_MS = 2_000;

/** What opening a run's log needs. */
export interface RunLogOptions {
  readonly path: string;
  readonly kind: 'jsonl' | 'events';
  readonly options: Pick<CliOptions, 'jsonlMaxBytes' | 'jsonlKeep'>;
  /** Append to an existing file (its torn tail cut) rather than move it aside. */
  readonly append: boolean;
  readonly runId: string;
  readonly faults: OutputFaults;
  readonly stderr: TextOut;
}

/**
 * Opens the JSONL file or event log of a run. A file another live run holds is refused
 * (TRADESIM_ERR_CLI_JSONL_IN_USE, after `onRefused` has closed what the run opened); a
 * failing one is not (its failures are said and counted while the simulation goes on); a
 * stale lock taken over is a warning.
 */
export async function openRunLog(log: RunLogOptions, onRefused: () => Promise<unknown>): Promise<JsonlWriter> {
  const { path, kind, options } = log;
  const what = kind === 'jsonl' ? 'JSONL' : 'event log';
  const writer = createJsonlWriter({
    path,
    maxBytes: options.jsonlMaxBytes,
    keep: options.jsonlKeep,
    append: log.append,
    runId: log.runId,
    onError: (message) => log.faults.report(kind, `${what} ${path}: lines not written: ${message}`, 0),
  });
  const start = await Promise.race<JsonlStart>([
    writer.started,
    new Promise((resolve) => setTimeout(() => resolve({ state: 'failing' }), START_WAIT_MS).unref()),
  ]);
  if (start.state === 'locked') {
    await Promise.all([writer.close(), onRefused()]);
    throw new CliErrors.TRADESIM_ERR_CLI_JSONL_IN_USE(
      kind === 'jsonl' ? '--jsonl' : '--events',
      path,
      `pid ${start.pid}${start.run ? `, run ${start.run}` : ''}`,
    );
  }
  if (start.tookOver !== undefined) {
    log.stderr.write(
      `tradesim: warning: ${what} ${path}: took over a stale lock (${escapeControls(start.tookOver)})\n`,
    );
  }
  return writer;
}

/** Bytes read back from a log's end to find its last whole line. */
const LAST_LINE_WINDOW = 256 * 1024;

/**
 * Whether the last whole line of the log at `path` was written by run `runId` (so a resumed
 * run goes on in it); false when there is no such file or line.
 */
export function lastLineIsOfRun(path: string, runId: string): boolean {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, LAST_LINE_WINDOW);
    const fd = openSync(path, 'r');
    const tail = Buffer.alloc(length);
    try {
      readSync(fd, tail, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const end = tail.lastIndexOf(0x0a);
    if (end < 0) return false;
    const start = tail.lastIndexOf(0x0a, end - 1) + 1;
    return (JSON.parse(tail.subarray(start, end).toString('utf8')) as { run?: unknown }).run === runId;
  } catch {
    return false;
  }
}
