import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MonitoringErrors } from '../errors.js';
import { settleWithin } from '../settle-within.js';
import { makeDirs, moveAside } from './jsonl-files.js';
import { LineBatcher, type JsonlLine } from './line-batcher.js';
import { BackPressure } from './back-pressure.js';
import { RotatingFile } from './rotating-file.js';
import { LOCK_REFRESH_MS, refreshLock, releaseLock, takeLock } from './run-lock.js';
import { messageOf, WriterHealth } from './writer-health.js';

export type { JsonlLine } from './line-batcher.js';

/** The writer's state, for /health and the counters. */
export interface JsonlStats {
  readonly path: string;
  /** Lines handed to the file (queued for it in order), less those a failed write lost. */
  readonly linesWritten: number;
  /** Lines that could not be written (a failing file, a line that could not be made). */
  readonly writeErrors: number;
  /** The last error while the writer is failing; null only once a line has reached the file since. */
  readonly lastError: string | null;
  readonly rotations: number;
  /** Times the file was found deleted or replaced under the writer, and opened again. */
  readonly reopens: number;
  /** Seconds spent making the lines handed as functions and queueing them for the file. */
  readonly busySeconds: number;
  /** Seconds the run waited in `behind()` for the file to catch up (a slow disk). */
  readonly waitSeconds: number;
  /** True while the run waits in `behind()`. */
  readonly holdingBack: boolean;
}

/**
 * How the file's start went: open, failing (counted and retried), or held by another live
 * run; `tookOver` says why a stale lock was taken over.
 */
export type JsonlStart =
  | { readonly state: 'open' | 'failing'; readonly tookOver?: string }
  | { readonly state: 'locked'; readonly pid: number; readonly run?: string };

/** Lines kept waiting for the event loop before they are written anyway. */
const MAX_PENDING = 64;
/**
 * Lines kept while the file is not open yet (a slow start); those past it are dropped and
 * counted. Each keeps its turn's snapshot until it is made.
 */
const MAX_BEFORE_START = 1_024;

/** Appends lines to a file without blocking the caller. */
export interface JsonlWriter {
  /** Settles once the file is open, has failed to open, or is found held by another live writer. */
  readonly started: Promise<JsonlStart>;
  /**
   * Queues one line, or the line `line()` makes. Queued lines are made and handed to the
   * file together at the next pass of the event loop (or once 64 are waiting), in order;
   * making and queueing are timed (see `busySeconds`), and skipped while the writer is
   * failing. Never throws; a line function that throws has its line skipped and counted.
   */
  write(line: JsonlLine): void;
  /**
   * While the file has fallen BEHIND_BYTES behind the lines handed to it (a disk slower than
   * the run), or is not open yet with lines waiting, a promise that settles once it is back
   * under half of that (or open), has failed, or has taken nothing for `closeTimeoutMs` (a
   * hung disk); undefined otherwise. A run waits on it before its next turn rather than have
   * lines dropped (nothing waits on a file that is failing or hung).
   */
  behind(): Promise<void> | undefined;
  stats(): JsonlStats;
  /** Resolves once everything queued so far is on disk (or has failed). */
  flush(): Promise<void>;
  /** Writes what is queued, closes the file and releases it, within `closeTimeoutMs`. */
  close(): Promise<void>;
}

/** How the writer behaves. */
export interface JsonlWriterOptions {
  readonly path: string;
  /** Rotate before the file would grow past this many bytes (0 = never). */
  readonly maxBytes: number;
  /** Rotated files kept: path.1 (newest) to path.N. */
  readonly keep: number;
  /** Append to an existing file (its torn tail cut) instead of moving it aside at start. */
  readonly append?: boolean;
  /** While failing, how often to try opening the file again (ms). */
  readonly retryMs?: number;
  /** How often, at most, the file is checked for having been deleted or replaced (ms). */
  readonly checkEveryMs?: number;
  /**
   * How long a file may take nothing before it is taken for hung (ms): close() gives up its
   * lines, and behind() does not wait for it.
   */
  readonly closeTimeoutMs?: number;
  /** The run writing, named in the lock. */
  readonly runId?: string;
  /** Told each failure (a file that cannot be opened or written, a line that cannot be made). */
  readonly onError?: (message: string) => void;
  /** Told each time the file was found moved away or deleted (a log rotator) and opened again. */
  readonly onReopen?: (message: string) => void;
  /** Told each time `behind()` starts a wait: the file is behind the run, or not open yet. */
  readonly onBehind?: (message: string) => void;
}

/**
 * Creates an appender for one run's file. One file holds one run: at start an existing file
 * is moved aside (path.1...) unless `append`, and a file held by another live writer is
 * refused (`started` says so). Lines are written asynchronously in whole lines; a crash loses
 * at most the unwritten tail, a torn tail is cut before anything is appended, and a rotated
 * file never passes `maxBytes` (but for a single line longer than that). A failing disk or
 * path is counted and reported, and the writer tries again every `retryMs`; a file deleted,
 * moved or replaced under it is noticed and opened again, the lines that went to a deleted
 * one copied over.
 */
export function createJsonlWriter(options: JsonlWriterOptions): JsonlWriter {
  return new FileWriter(options);
}

/**
 * The JSONL writer over its lock, rotating file and line batcher. Invariants: no line is
 * handed to the file before the start is done (the old file moved aside under the lock);
 * once refused (another live run holds the file), every line is counted as lost.
 */
class FileWriter implements JsonlWriter {
  readonly started: Promise<JsonlStart>;
  private readonly health: WriterHealth;
  private readonly lock: HeldLock;
  private readonly file: RotatingFile;
  private readonly batcher: LineBatcher;
  private readonly pressure: BackPressure;
  private readonly closeTimeoutMs: number;
  // Another run's file is kept as path.1 even with keep 0: a new run never deletes one.
  private moveAsidePending: boolean;
  private closed = false;
  private startDone = false;
  /** Set when another live run holds the file: every line is counted as lost, none written. */
  private refused = false;
  /** Set when the writer closed before its start was done (a hung disk): the file is never opened. */
  private closedBeforeStart = false;

  constructor(private readonly options: JsonlWriterOptions) {
    const { path, keep } = options;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 1_500;
    this.moveAsidePending = options.append !== true;
    this.health = new WriterHealth(options.retryMs ?? 5_000, options.onError, options.onReopen);
    this.lock = holdLock(path, options.runId, (holder) => this.lockLost(holder));
    const checkEveryMs = options.checkEveryMs ?? 250;
    const beforeOpen = () => this.beforeOpen();
    this.file = new RotatingFile({ path, maxBytes: options.maxBytes, keep, checkEveryMs, beforeOpen }, this.health);
    this.batcher = new LineBatcher(this.file, this.health);
    this.pressure = new BackPressure({
      file: this.file,
      batcher: this.batcher,
      health: this.health,
      hungMs: this.closeTimeoutMs,
      closed: () => this.closed,
      started: () => this.startDone,
      onBehind: options.onBehind,
    });
    this.started = openFile(this.lock, this.file, this.health, options);
    // Lines wait for the start, so the old file is moved aside before any is written.
    void this.started.then((start) => this.onStart(start));
  }

  write(line: JsonlLine): void {
    const { health, batcher } = this;
    if (this.refused) {
      health.writeErrors += 1;
      return;
    }
    if (this.closed) return;
    if (health.failing()) {
      health.writeErrors += 1;
      return;
    }
    if (!this.startDone) {
      if (batcher.waiting() < MAX_BEFORE_START) batcher.add(line);
      else health.overflow('the file is not open yet: lines dropped', 1);
      return;
    }
    const waiting = batcher.add(line);
    // Lines are made and written together at the next pass of the event loop: a turn
    // loop running flat out hands over about a millisecond of turns at a time, and making
    // them in one go keeps the line code and the snapshots warm. A loop that never yields
    // still has them written every MAX_PENDING lines.
    if (waiting === 1) setImmediate(() => batcher.drain());
    else if (waiting >= MAX_PENDING) batcher.drain();
  }

  behind(): Promise<void> | undefined {
    return this.pressure.behind();
  }

  stats(): JsonlStats {
    const { health, pressure } = this;
    return {
      path: this.options.path,
      linesWritten: health.linesWritten,
      writeErrors: health.writeErrors,
      lastError: health.lastError,
      rotations: health.rotations,
      reopens: health.reopens,
      busySeconds: health.busySeconds,
      waitSeconds: pressure.waitSeconds,
      holdingBack: pressure.waiting,
    };
  }

  async flush(): Promise<void> {
    if (!this.startDone) await this.untilDeadline(this.started);
    this.batcher.drain();
    await this.untilDeadline(this.file.idle());
  }

  async close(): Promise<void> {
    if (!this.startDone) await this.untilDeadline(this.started);
    if (!this.startDone) {
      // Still not open (a hung disk): its lines are given up (counted: the run's total says
      // them), not handed to a file the start may yet move aside.
      this.closedBeforeStart = true;
      this.health.writeErrors += this.batcher.discard();
    }
    if (!this.refused) this.batcher.drain();
    this.closed = true;
    this.file.stop();
    await closeWhileTaking(this.file, this.lock, this.closeTimeoutMs, this.health);
  }

  private untilDeadline(work: Promise<unknown>): Promise<void> {
    return settleWithin(work, this.closeTimeoutMs, (error) => this.health.fail(error, 0));
  }

  /** Under the lock, and the old file moved aside first (again, if a full disk kept it at start). */
  private async beforeOpen(): Promise<void> {
    // Closed before a slow start got here: nothing is moved aside nor opened.
    if (this.closedBeforeStart) {
      throw new MonitoringErrors.TRADESIM_ERR_JSONL_CLOSE(['the writer closed before its file opened']);
    }
    await this.lock.ensure();
    if (this.moveAsidePending) await moveAside(this.options.path, Math.max(this.options.keep, 1));
    this.moveAsidePending = false;
  }

  private onStart(start: JsonlStart): void {
    this.startDone = true;
    if (start.state === 'locked') {
      this.refused = true;
      this.health.writeErrors += this.batcher.discard();
      // For /health; the caller says it (a start it waited for is refused, a late one a warning).
      this.health.lastError = new MonitoringErrors.TRADESIM_ERR_JSONL_LOCK_HELD(holderOf(start)).message;
      this.file.stop();
    } else if (this.closedBeforeStart) {
      // Closed before it opened (close gave the lines up): the file and lock are let go.
      void closeFileAndLock(this.file, this.lock).catch(() => undefined);
    } else this.batcher.drain();
  }

  /**
   * Another run's lock found in place of this one's (two runs took a stale lock over at
   * once): this writer stops, its lines counted as lost, rather than mix them in.
   */
  private lockLost(holder: string): void {
    this.refused = true;
    this.health.fail(new MonitoringErrors.TRADESIM_ERR_JSONL_LOCK_HELD(holder), 0);
    this.file.stop();
  }
}

/** Closes the file and releases the lock: both are tried whatever the other does (a read-only folder fails both). */
async function closeFileAndLock(file: RotatingFile, lock: HeldLock): Promise<void> {
  const failures: string[] = [];
  await file.close().catch((error: unknown) => failures.push(messageOf(error)));
  await lock.release().catch((error: unknown) => {
    failures.push(`the lock could not be removed: ${messageOf(error)}`);
  });
  if (failures.length > 0) throw new MonitoringErrors.TRADESIM_ERR_JSONL_CLOSE(failures);
}

/**
 * Closes, waiting while the file takes what is queued, however long that is; a file that
 * takes nothing for `timeoutMs` (a hung disk) is given up: the lines still queued are
 * counted as lost and said, and the process may end.
 */
async function closeWhileTaking(file: RotatingFile, lock: HeldLock, timeoutMs: number, health: WriterHealth) {
  let done = false;
  const closing = closeFileAndLock(file, lock).finally(() => {
    done = true;
  });
  for (let backlog = file.backlog(); ;) {
    await settleWithin(closing, timeoutMs, (error) => health.fail(error, 0));
    if (done) return;
    const now = file.backlog();
    if (now >= backlog) {
      file.abandon(timeoutMs);
      return;
    }
    backlog = now;
  }
}

/** A lock's holder as said: `pid N, run R`. */
const holderOf = (holder: { readonly pid: number; readonly run?: string | undefined }): string =>
  `pid ${holder.pid}${holder.run ? `, run ${holder.run}` : ''}`;

/** The run's lock on its file, refreshed while held. */
interface HeldLock {
  readonly taken: Promise<
    | { readonly state: 'held'; readonly pid: number; readonly run?: string }
    | { readonly state: 'taken'; readonly tookOver?: string }
  >;
  /**
   * Resolves once the lock is this run's, taking it again if the first try failed (a full
   * disk at start); throws while another live run holds it. The file is opened only then.
   */
  ensure(): Promise<void>;
  release(): Promise<void>;
}

/** Takes the lock on `path` (folders first); a lock held by another live run is not taken. */
function holdLock(path: string, runId: string | undefined, onLost: (holder: string) => void): HeldLock {
  let refresher: NodeJS.Timeout | undefined;
  let locked = false;
  const hold = () => {
    locked = true;
    // A run in another PID namespace cannot see this pid: the lock's time says it is live.
    refresher = setInterval(() => {
      void refreshLock(path).then((other) => {
        if (other === undefined) return;
        clearInterval(refresher);
        locked = false;
        onLost(holderOf(other));
      });
    }, LOCK_REFRESH_MS).unref();
  };
  const taken = (async () => {
    await makeDirs(dirname(path));
    const lock = await takeLock(path, runId);
    if (lock.state === 'held')
      return { state: 'held' as const, pid: lock.holder.pid, ...(lock.holder.run ? { run: lock.holder.run } : {}) };
    hold();
    return { state: 'taken' as const, ...(lock.tookOver === undefined ? {} : { tookOver: lock.tookOver }) };
  })();
  return {
    taken,
    async ensure() {
      const first = await taken.catch(() => undefined);
      if (locked) return;
      // Held by another live run at start: the writer is refused for good, never retried.
      if (first?.state === 'held') throw new MonitoringErrors.TRADESIM_ERR_JSONL_LOCK_HELD(holderOf(first));
      const lock = await takeLock(path, runId);
      if (lock.state === 'held') throw new MonitoringErrors.TRADESIM_ERR_JSONL_LOCK_HELD(holderOf(lock.holder));
      hold();
    },
    async release() {
      clearInterval(refresher);
      if (locked) await releaseLock(path);
    },
  };
}

/**
 * The writer's start: the lock, then the old file moved aside (unless appending) and the
 * new one opened.
 */
async function openFile(
  lock: HeldLock,
  file: RotatingFile,
  health: WriterHealth,
  options: JsonlWriterOptions,
): Promise<JsonlStart> {
  const { path } = options;
  try {
    const taken = await lock.taken;
    if (taken.state === 'held') return { state: 'locked', pid: taken.pid, ...(taken.run ? { run: taken.run } : {}) };
    const note = taken.tookOver === undefined ? {} : { tookOver: taken.tookOver };
    const kind = await stat(path).catch(() => undefined);
    if (kind && !kind.isFile()) {
      health.fail(new MonitoringErrors.TRADESIM_ERR_JSONL_NOT_REGULAR(path), 0);
      return { state: 'failing', ...note };
    }
    return { state: (await file.open()) ? 'open' : 'failing', ...note };
  } catch (error) {
    health.fail(error, 0);
    return { state: 'failing' };
  }
}

/** Lines read back from a JSONL file. */
export interface ReadLines<T> {
  readonly lines: readonly T[];
  /** True when the file ended with an incomplete line (a crash mid-write), which was skipped. */
  readonly tornTail: boolean;
}

/** Parses JSONL text, skipping a torn last line; a bad line elsewhere is an error. */
export function parseJsonl<T = unknown>(text: string): ReadLines<T> {
  const parts = text.split('\n');
  const tail = parts.pop() ?? '';
  const lines = parts.filter((l) => l.length > 0).map((l) => JSON.parse(l) as T);
  return { lines, tornTail: tail.length > 0 };
}
