import type { FileHandle } from 'node:fs/promises';
import { rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { inodeOf, makeDirs, moveAside, openForAppend, repairTail } from './jsonl-files.js';
import { LOCK_REFRESH_MS, refreshLock, releaseLock, takeLock } from './run-lock.js';

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
}

/**
 * How the file's start went: open, failing (counted and retried), or held by another live
 * run; `tookOver` says why a stale lock was taken over.
 */
export type JsonlStart =
  | { readonly state: 'open' | 'failing'; readonly tookOver?: string }
  | { readonly state: 'locked'; readonly pid: number; readonly run?: string };

/** The most one file write takes from the queue. */
const MAX_WRITE_BYTES = 4 * 1024 * 1024;

/** Lines kept waiting for the event loop before they are written anyway. */
const MAX_PENDING = 64;

/** Bytes queued for a file that does not take them (a stuck disk) before further lines are dropped and counted. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * A line for the writer, ending with a newline: its text, its UTF-8 bytes, or a function
 * making either when the line is written (bytes it returns are copied at once, so they may
 * be a view of a buffer the function reuses).
 */
export type JsonlLine = string | Uint8Array | (() => string | Uint8Array);

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
  /** How long close() waits for queued writes (ms). */
  readonly closeTimeoutMs?: number;
  /** The run writing, named in the lock. */
  readonly runId?: string;
  /** Told each failure (a file that cannot be opened or written, a line that cannot be made). */
  readonly onError?: (message: string) => void;
}

/** One entry of the write queue: bytes of whole lines, or the point where the file rotates. */
type Item = { readonly bytes: Buffer; readonly lines: number } | 'rotate';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Creates an appender for one run's file. One file holds one run: at start an existing file
 * is moved aside (path.1...) unless `append`, and a file held by another live writer is
 * refused (`started` says so). Lines are written asynchronously in whole lines; a crash loses
 * at most the unwritten tail, a torn tail is cut before anything is appended, and a rotated
 * file never passes `maxBytes` (but for a single line longer than that). A failing disk or
 * path is counted and reported, and the writer tries again every `retryMs`; a file deleted
 * or replaced under it is noticed and opened again, the lines that went to the old one
 * copied over.
 */
export function createJsonlWriter(options: JsonlWriterOptions): JsonlWriter {
  const { path, maxBytes, keep } = options;
  const retryMs = options.retryMs ?? 5_000;
  const checkEveryMs = options.checkEveryMs ?? 250;
  const closeTimeoutMs = options.closeTimeoutMs ?? 1_500;
  let linesWritten = 0;
  let writeErrors = 0;
  let lastError: string | null = null;
  let rotations = 0;
  let reopens = 0;
  let busySeconds = 0;
  /** Set when the file failed; nothing is tried again before retryMs has passed. */
  let failedAt: number | undefined;
  let closed = false;

  let handle: FileHandle | undefined;
  /** The file's size as last checked to be linked under `path`, and when. */
  let checkedSize = 0;
  let checkedAt = 0;
  let inode: number | undefined;
  /** Bytes the current file holds or will hold once the queue is written (for rotation). */
  let plannedBytes = 0;
  const queue: Item[] = [];
  let queuedBytes = 0;
  let pumping: Promise<void> | undefined;

  const fail = (error: unknown, lostLines: number): void => {
    writeErrors += lostLines;
    lastError = messageOf(error);
    failedAt = Date.now();
    options.onError?.(lastError);
  };

  /** Lines handed to the file that it never got: counted as errors, no longer as written. */
  const lose = (lines: number): void => {
    writeErrors += lines;
    linesWritten -= lines;
  };

  const dropQueue = (): void => {
    for (const item of queue.splice(0)) if (item !== 'rotate') lose(item.lines);
    queuedBytes = 0;
  };

  const closeHandle = async (): Promise<void> => {
    const h = handle;
    handle = undefined;
    await h?.close().catch(() => undefined);
  };

  /** Opens the file (folders first), its torn tail cut; false while failing. */
  async function ensureOpen(): Promise<boolean> {
    if (handle) return true;
    if (failedAt !== undefined && Date.now() - failedAt < retryMs) return false;
    try {
      await makeDirs(dirname(path));
      const h = await openForAppend(path);
      const size = await repairTail(h).catch(async (error: unknown) => {
        await h.close();
        throw error;
      });
      handle = h;
      inode = (await h.stat()).ino;
      checkedSize = size;
      checkedAt = Date.now();
      // Lines already planned for this file are in the queue; its old bytes count too.
      plannedBytes += size;
      failedAt = undefined;
      return true;
    } catch (error) {
      fail(error, 0);
      return false;
    }
  }

  /**
   * Checks, at most every checkEveryMs, that the open file is still the one at `path`. If it
   * was deleted or replaced, the bytes written to it since the last check are read back and
   * written first to a new file at `path`.
   */
  async function checkLinked(): Promise<void> {
    if (!handle || Date.now() - checkedAt < checkEveryMs) return;
    checkedAt = Date.now();
    const here = await inodeOf(path).catch(() => inode);
    const size = (await handle.stat()).size;
    if (here === inode) {
      checkedSize = size;
      return;
    }
    const lost = Buffer.alloc(size - checkedSize);
    if (lost.length > 0) await handle.read(lost, 0, lost.length, checkedSize);
    await closeHandle();
    reopens += 1;
    plannedBytes += lost.length - size;
    if (!(await ensureOpen())) {
      const lines = lost.toString('utf8').split('\n').length - 1;
      fail(lastError ?? 'cannot reopen', 0);
      lose(lines);
      return;
    }
    if (lost.length > 0) await writeAll(lost);
  }

  /** Bytes of the last writeAll that reached the file (all of them unless it threw). */
  let bytesDone = 0;
  async function writeAll(bytes: Buffer): Promise<void> {
    bytesDone = 0;
    while (bytesDone < bytes.length) {
      const { bytesWritten } = await handle!.write(bytes, bytesDone, bytes.length - bytesDone);
      bytesDone += bytesWritten;
    }
  }

  async function rotateNow(): Promise<void> {
    await closeHandle();
    try {
      await moveAside(path, keep);
      rotations += 1;
    } catch (error) {
      fail(new Error(`rotation failed: ${messageOf(error)}`), 0);
    }
    plannedBytes = bytesBeforeNextRotation();
  }

  /** Bytes queued before the next rotation mark: what the next file will hold. */
  function bytesBeforeNextRotation(): number {
    let total = 0;
    for (const item of queue) {
      if (item === 'rotate') break;
      total += item.bytes.length;
    }
    return total;
  }

  /** Writes the queue in order, one file write per run of lines between rotations. */
  async function pump(): Promise<void> {
    const head = (): Item | undefined => queue[0];
    while (queue.length > 0) {
      if (head() === 'rotate') {
        queue.shift();
        await rotateNow();
        continue;
      }
      if (!(await ensureOpen())) {
        dropQueue();
        return;
      }
      try {
        await checkLinked();
      } catch (error) {
        // The check failed (a disk gone): the write below will say what is wrong.
        lastError = messageOf(error);
      }
      if (!handle) continue;
      const parts: Buffer[] = [];
      let lines = 0;
      let size = 0;
      for (let item = head(); item !== undefined && item !== 'rotate'; item = head()) {
        if (parts.length > 0 && size + item.bytes.length > MAX_WRITE_BYTES) break;
        queue.shift();
        parts.push(item.bytes);
        lines += item.lines;
        size += item.bytes.length;
      }
      queuedBytes -= size;
      const batch = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
      try {
        await writeAll(batch);
        // A line reached the file: the writer is healthy again.
        lastError = null;
      } catch (error) {
        // Part of the batch may be on disk: its whole lines stay, the torn one is cut when the
        // file is reopened; the rest is lost.
        let whole = 0;
        for (let at = batch.indexOf(0x0a); at >= 0 && at < bytesDone; at = batch.indexOf(0x0a, at + 1)) whole += 1;
        fail(error, 0);
        lose(lines - whole);
        await closeHandle();
        dropQueue();
        plannedBytes = 0;
        return;
      }
    }
  }

  const runPump = (): void => {
    if (pumping) return;
    pumping = pump().finally(() => {
      pumping = undefined;
      if (queue.length > 0 && !closed) runPump();
    });
  };

  /** Lines handed to write() and not yet made and queued, oldest first. */
  let pending: JsonlLine[] = [];
  /** The chunk being made: the bytes of lines handed to the file together. */
  let chunk = Buffer.allocUnsafe(64 * 1024);
  let chunkLength = 0;
  let chunkLines = 0;

  /** Queues the chunk for the file. */
  function hand(): void {
    if (chunkLines === 0) return;
    // A copy: the chunk is reused for the next lines.
    const bytes = Buffer.from(chunk.subarray(0, chunkLength));
    if (queuedBytes + bytes.length > MAX_QUEUED_BYTES) {
      fail(new Error('the file takes no lines: queue full'), chunkLines);
    } else {
      queue.push({ bytes, lines: chunkLines });
      queuedBytes += bytes.length;
      plannedBytes += bytes.length;
      linesWritten += chunkLines;
      runPump();
    }
    chunkLength = 0;
    chunkLines = 0;
  }

  function append(bytes: Uint8Array): void {
    if (chunkLength + bytes.length > chunk.length) {
      const grown = Buffer.allocUnsafe(Math.max(chunk.length * 2, chunkLength + bytes.length));
      chunk.copy(grown, 0, 0, chunkLength);
      chunk = grown;
    }
    chunk.set(bytes, chunkLength);
    chunkLength += bytes.length;
    chunkLines += 1;
  }

  /** The bytes of one line, or undefined when its function threw: counted and skipped. */
  function madeBytes(line: JsonlLine): Uint8Array | undefined {
    try {
      const made = typeof line === 'function' ? line() : line;
      return typeof made === 'string' ? Buffer.from(made, 'utf8') : made;
    } catch (error) {
      writeErrors += 1;
      lastError = `a line could not be made: ${messageOf(error)}`;
      options.onError?.(lastError);
      return undefined;
    }
  }

  const failing = (): boolean => failedAt !== undefined && Date.now() - failedAt < retryMs;

  /** Makes the pending lines and queues them, cut where the file rotates. */
  function drain(): void {
    if (pending.length === 0) return;
    const started = performance.now();
    const lines = pending;
    pending = [];
    if (failing()) {
      writeErrors += lines.length;
      busySeconds += (performance.now() - started) / 1000;
      return;
    }
    for (const line of lines) {
      const bytes = madeBytes(line);
      if (!bytes) continue;
      if (maxBytes > 0 && plannedBytes + chunkLength > 0 && plannedBytes + chunkLength + bytes.length > maxBytes) {
        hand();
        queue.push('rotate');
        plannedBytes = 0;
        runPump();
      }
      append(bytes);
    }
    hand();
    busySeconds += (performance.now() - started) / 1000;
  }

  const idle = async (): Promise<void> => {
    while (pumping) await pumping;
  };

  const withDeadline = (work: Promise<unknown>): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, closeTimeoutMs);
      void work.finally(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  let locked = false;
  let refresher: NodeJS.Timeout | undefined;
  const started: Promise<JsonlStart> = (async (): Promise<JsonlStart> => {
    try {
      await makeDirs(dirname(path));
      const lock = await takeLock(path, options.runId);
      if (lock.state === 'held') {
        closed = true;
        return { state: 'locked', pid: lock.holder.pid, ...(lock.holder.run ? { run: lock.holder.run } : {}) };
      }
      locked = true;
      // A run in another PID namespace cannot see this pid: the lock's time says it is live.
      refresher = setInterval(() => void refreshLock(path), LOCK_REFRESH_MS).unref();
      const note = lock.tookOver === undefined ? {} : { tookOver: lock.tookOver };
      const kind = await stat(path).catch(() => undefined);
      if (kind && !kind.isFile()) {
        fail(new Error(`${path} is not a regular file`), 0);
        return { state: 'failing', ...note };
      }
      // Another run's file is kept as path.1 even with keep 0: a new run never deletes one.
      if (!options.append) await moveAside(path, Math.max(keep, 1)).catch((error: unknown) => fail(error, 0));
      return { state: (await ensureOpen()) ? 'open' : 'failing', ...note };
    } catch (error) {
      fail(error, 0);
      return { state: 'failing' };
    }
  })();
  // Lines wait for the start, so the old file is moved aside before any is written.
  let startDone = false;
  void started.then(() => {
    startDone = true;
    if (!closed) drain();
  });

  return {
    started,
    write(line) {
      if (closed) return;
      if (failing()) {
        writeErrors += 1;
        return;
      }
      pending.push(line);
      if (!startDone) return;
      // Lines are made and written together at the next pass of the event loop: a turn
      // loop running flat out hands over about a millisecond of turns at a time, and making
      // them in one go keeps the line code and the snapshots warm. A loop that never yields
      // still has them written every MAX_PENDING lines.
      if (pending.length === 1) setImmediate(drain);
      else if (pending.length >= MAX_PENDING) drain();
    },
    stats: () => ({ path, linesWritten, writeErrors, lastError, rotations, reopens, busySeconds }),
    flush: async () => {
      if (!startDone) await withDeadline(started);
      drain();
      await withDeadline(idle());
    },
    async close() {
      if (!startDone) await withDeadline(started);
      drain();
      closed = true;
      await withDeadline(
        (async () => {
          await idle();
          // A run stopped before its first line leaves no empty file behind.
          const empty = handle !== undefined && linesWritten === 0 && (await handle.stat()).size === 0;
          await closeHandle();
          if (empty) await rm(path, { force: true });
          clearInterval(refresher);
          if (locked) await releaseLock(path);
        })(),
      );
    },
  };
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
