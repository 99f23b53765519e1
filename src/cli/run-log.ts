import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createJsonlWriter, type JsonlStart, type JsonlWriter } from '../monitoring/index.js';
import type { CliOptions } from './args.js';
import { CliErrors } from './errors.js';
import { atMostOncePerMinute, escapeControls, type OutputFaults } from './output-faults.js';
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
  const say = (message: string) => log.stderr.write(`tradesim: ${what} ${escapeControls(path)}: ${message}\n`);
  const writer = createJsonlWriter({
    path,
    maxBytes: options.jsonlMaxBytes,
    keep: options.jsonlKeep,
    append: log.append,
    runId: log.runId,
    onError: (message) => log.faults.report(kind, `${what} ${path}: lines not written: ${message}`, 0),
    // A log rotator moves the file once a day or so, and a slow disk stays slow: each is said
    // once a minute at most.
    onReopen: atMostOncePerMinute(say),
    onBehind: atMostOncePerMinute(say),
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

/** Bytes read back from a log's end to find its last whole lines. */
const LAST_LINE_WINDOW = 256 * 1024;

/** Where a log a run wrote ends: the turn of its last whole line, and how many lines of that turn end it. */
export interface LogTail {
  readonly turn: number;
  readonly linesOfTurn: number;
}

/**
 * Where the log at `path` ends, when its last whole line was written by run `runId` (so a
 * resumed run goes on in it); undefined when there is no such file or line. A torn last
 * line is not counted (the writer cuts it when it opens the file).
 */
export function logTailOfRun(path: string, runId: string): LogTail | undefined {
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
    // The window starts at the file's start, or part way into a line that is not whole.
    const fromStart = length === size;
    let end = tail.lastIndexOf(0x0a);
    const last = end < 0 ? undefined : lineAt(tail, end, fromStart);
    if (last?.run !== runId || typeof last.turn !== 'number') return undefined;
    let linesOfTurn = 0;
    // Lines of the same turn before it, as far as the window holds whole ones.
    for (let line: LoggedLine | undefined = last; line?.run === runId && line.turn === last.turn;) {
      linesOfTurn += 1;
      end = tail.lastIndexOf(0x0a, end - 1);
      line = end < 0 ? undefined : lineAt(tail, end, fromStart);
    }
    return { turn: last.turn, linesOfTurn };
  } catch {
    return undefined;
  }
}

/** The line of `tail` ending at its newline `end`, parsed; undefined when no whole line ends there. */
/** The fields of a log line a resumed run reads back. */
interface LoggedLine {
  readonly run?: unknown;
  readonly turn?: unknown;
}

function lineAt(tail: Buffer, end: number, fromStart: boolean): LoggedLine | undefined {
  const before = tail.lastIndexOf(0x0a, end - 1);
  if (before < 0 && !fromStart) return undefined;
  return parsed(tail.subarray(before + 1, end));
}

function parsed(bytes: Buffer): LoggedLine | undefined {
  try {
    return JSON.parse(bytes.toString('utf8')) as LoggedLine;
  } catch {
    return undefined;
  }
}

/**
 * Which of a resumed run's lines its log holds already: a run that went on past the checkpoint
 * it resumes from wrote those turns, and the resumed run plays them again with the same
 * business fields. True for the lines of turns before the tail's, and for as many lines of
 * the tail's turn as end the log; false from then on.
 */
export function alreadyLogged(tail: LogTail | undefined): (turn: number) => boolean {
  if (tail === undefined) return () => false;
  let ofLastTurn = 0;
  let past = false;
  return (turn) => {
    if (past || turn > tail.turn) {
      past = true;
      return false;
    }
    if (turn < tail.turn) return true;
    ofLastTurn += 1;
    return ofLastTurn <= tail.linesOfTurn;
  };
}
