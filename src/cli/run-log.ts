import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createJsonlWriter, type JsonlStart, type JsonlWriter } from '../monitoring/index.js';
import type { CliOptions } from './args.js';
import { CliErrors } from './errors.js';
import { escapeControls } from './control-characters.js';
import { atMostOncePerMinute, type OutputFaults } from './output-faults.js';
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
    // The event log is the run's record (a replay reads it whole): it is never rotated away.
    maxBytes: kind === 'jsonl' ? options.jsonlMaxBytes : 0,
    keep: options.jsonlKeep,
    append: log.append,
    runId: log.runId,
    onError: (message) => log.faults.report(kind, `${what} ${path}: lines not written: ${message}`, 0),
    // A log rotator moves the file once a day or so, and a slow disk stays slow: each is said
    // once a minute at most.
    onReopen: atMostOncePerMinute(say),
    onBehind: atMostOncePerMinute(say),
  });
  const late = { state: 'late' } as const;
  const start = await Promise.race<JsonlStart | typeof late>([
    writer.started,
    new Promise((resolve) => setTimeout(() => resolve(late), START_WAIT_MS).unref()),
  ]);
  // A start the run did not wait for is said when it comes: its lines go nowhere, or the
  // stale lock it took over is named.
  if (start.state === 'locked') await Promise.all([writer.close(), onRefused()]);
  if (start.state === 'late') void writer.started.then((came) => sayStart(log, came, true));
  else sayStart(log, start, false);
  return writer;
}

/**
 * Says how a log's start went: a lock another live run holds is a refusal (exit 2) when the
 * run waited for it, a warning with every line counted as lost when it came late; a stale lock
 * taken over is a warning.
 */
function sayStart(log: RunLogOptions, start: JsonlStart, late: boolean): void {
  const { path, kind } = log;
  const what = kind === 'jsonl' ? 'JSONL' : 'event log';
  if (start.state === 'locked') {
    const holder = `pid ${start.pid}${start.run ? `, run ${start.run}` : ''}`;
    if (!late)
      throw new CliErrors.TRADESIM_ERR_CLI_JSONL_IN_USE(kind === 'jsonl' ? '--jsonl' : '--events', path, holder);
    log.faults.report(kind, `${what} ${path}: lines not written: another live run holds it (${holder})`, 0);
  } else if (start.tookOver !== undefined) {
    log.stderr.write(
      `tradesim: warning: ${what} ${path}: took over a stale lock (${escapeControls(start.tookOver)})\n`,
    );
  }
}

/** Bytes read back from a log's end at a time. */
const READ_BACK_BYTES = 256 * 1024;

/** Where a log a run wrote ends: the turn of its last whole line, and how many lines of that turn end it. */
export interface LogTail {
  readonly turn: number;
  readonly linesOfTurn: number;
  /**
   * False when the count ran out of files before a line of another turn or the run's first
   * (the turn's first lines rotated away, or a file that could not be read): the log is then
   * taken to hold the whole turn.
   */
  readonly whole: boolean;
  /** The turn of this run's line before the last turn's; none when the last is the run's first (or unknown). */
  readonly previousTurn?: number;
}

/** The fields of a log line a resumed run reads back. */
interface LoggedLine {
  readonly run?: unknown;
  readonly turn?: unknown;
}

/**
 * Where the log at `path` ends, when its last whole line was written by run `runId` (so a
 * resumed run goes on in it); undefined when there is no such line. The lines of the last
 * turn are counted back as far as they go, into the rotated files (`path.1` to `path.keep`)
 * when the newest file holds nothing else. A torn last line is not counted (the writer cuts
 * it when it opens the file).
 */
export function logTailOfRun(path: string, runId: string, keep: number): LogTail | undefined {
  let turn: number | undefined;
  let linesOfTurn = 0;
  for (let n = 0; n <= keep; n++) {
    let lines: Generator<Buffer>;
    try {
      lines = wholeLinesBackward(n === 0 ? path : `${path}.${n}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') break;
      // No older file: the run's first line has been read, and the count is whole.
      if (n === 0) continue;
      return turn === undefined ? undefined : { turn, linesOfTurn, whole: true };
    }
    try {
      for (const bytes of lines) {
        const line = parsed(bytes);
        if (turn === undefined) {
          if (line?.run !== runId || typeof line.turn !== 'number') return undefined;
          turn = line.turn;
        } else if (line?.run !== runId || line.turn !== turn) {
          const previousTurn = line?.run === runId && typeof line.turn === 'number' ? line.turn : undefined;
          return { turn, linesOfTurn, whole: true, ...(previousTurn === undefined ? {} : { previousTurn }) };
        }
        linesOfTurn += 1;
      }
    } catch {
      break;
    }
  }
  return turn === undefined ? undefined : { turn, linesOfTurn, whole: false };
}

/**
 * The whole lines of the regular file at `path`, last first, without their newline, read
 * back a window at a time as they are taken; the bytes after its last newline (a torn line)
 * are skipped. Throws at once for a file that cannot be opened or is not a regular file (a
 * FIFO is opened without blocking, never read), and while reading for a read that fails.
 */
export function wholeLinesBackward(path: string): Generator<Buffer> {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile())
      throw Object.assign(new TypeError(`${path} is not a regular file`), { code: 'EINVAL' });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return linesBackward(fd);
}

function* linesBackward(fd: number): Generator<Buffer> {
  try {
    // `bytes` holds the file from offset `start` to the newline ending the next line to give.
    let start = fstatSync(fd).size;
    let bytes = Buffer.alloc(0);
    let end = -1;
    /** Reads the window before `start` in front of `bytes`; the bytes read (0 at the file's start). */
    const readMore = (): number => {
      const length = Math.min(READ_BACK_BYTES, start);
      if (length === 0) return 0;
      const chunk = Buffer.alloc(length);
      readSync(fd, chunk, 0, length, start - length);
      start -= length;
      bytes = Buffer.concat([chunk, bytes]);
      return length;
    };
    while (end < 0) {
      if (readMore() === 0) return;
      end = bytes.lastIndexOf(0x0a);
    }
    for (;;) {
      // The newline before this line's, reading further back until there is one or the file starts.
      let before = end > 0 ? bytes.lastIndexOf(0x0a, end - 1) : -1;
      while (before < 0) {
        const read = readMore();
        if (read === 0) break;
        end += read;
        before = bytes.lastIndexOf(0x0a, end - 1);
      }
      yield bytes.subarray(before + 1, end);
      if (before < 0) return;
      bytes = bytes.subarray(0, before + 1);
      end = before;
    }
  } finally {
    closeSync(fd);
  }
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
 * the tail's turn as end the log (all of them when its count is not whole); false from then on.
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
    return !tail.whole || ofLastTurn <= tail.linesOfTurn;
  };
}
