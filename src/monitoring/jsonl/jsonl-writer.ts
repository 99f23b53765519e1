import { existsSync, renameSync, rmSync } from 'node:fs';
import sonicBoom from 'sonic-boom';

// A CommonJS module: its class is a property of the default export.
const { SonicBoom } = sonicBoom;
type Stream = InstanceType<typeof SonicBoom>;

/** The writer's state, for /health and the counters. */
export interface JsonlStats {
  readonly path: string;
  readonly linesWritten: number;
  readonly writeErrors: number;
  /** The last error while the writer is failing; null once writes succeed again. */
  readonly lastError: string | null;
  readonly rotations: number;
  /** Seconds spent making the lines handed as functions and queueing them for the file. */
  readonly busySeconds: number;
}

/** The most one file write takes from the queue. */
const MAX_WRITE_BYTES = 4 * 1024 * 1024;

/** Lines kept waiting for the event loop before they are written anyway. */
const MAX_PENDING = 64;

/**
 * A line for the writer, ending with a newline: its text, its UTF-8 bytes, or a function
 * making either when the line is written (bytes it returns are copied at once, so they may
 * be a view of a buffer the function reuses).
 */
export type JsonlLine = string | Uint8Array | (() => string | Uint8Array);

/** Appends lines to a file without blocking the caller. */
export interface JsonlWriter {
  /**
   * Queues one line, or the line `line()` makes. Queued lines
   * are made and handed to the file together at the next pass of the event loop (or once
   * 64 are waiting), in order; making and queueing are timed (see `busySeconds`), and
   * skipped while the writer is failing. Never throws for a failing file; a line function
   * that throws has its line skipped and counted as a write error.
   */
  write(line: JsonlLine): void;
  stats(): JsonlStats;
  /** Resolves once everything queued so far is on disk (or has failed). */
  flush(): Promise<void>;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** How the writer behaves. */
export interface JsonlWriterOptions {
  readonly path: string;
  /** Rotate when the file would grow past this many bytes (0 = never). */
  readonly maxBytes: number;
  /** Rotated files kept: path.1 (newest) to path.N. */
  readonly keep: number;
  /** While failing, how often to try opening the file again. */
  readonly retryMs?: number;
}

/**
 * Creates a buffered appender on sonic-boom (the writer under pino): lines are batched (up to
 * 8 KiB, at least every second) and written asynchronously in whole lines, so a crash loses
 * at most that unwritten tail and never corrupts earlier lines. An unwritable path or a full disk is counted and reported, and the
 * caller goes on; the writer tries to reopen the file every `retryMs`.
 */
export function createJsonlWriter(options: JsonlWriterOptions): JsonlWriter {
  const { path, maxBytes, keep } = options;
  const retryMs = options.retryMs ?? 5_000;
  let linesWritten = 0;
  let writeErrors = 0;
  let lastError: string | null = null;
  let rotations = 0;
  let busySeconds = 0;
  let bytesInFile = 0;
  let failedAt = 0;
  // Set by the stream's error event: the stream is dead until reopened.
  let failed = false;
  // True once the current stream has opened its file (rotation waits for it).
  let ready = false;
  // Streams being closed after a rotation, finishing their last writes.
  const retiring = new Set<Promise<void>>();
  let stream = open();

  function open(): Stream {
    ready = false;
    // Lines are batched up to 8 KiB and written at least every second: a write per line cost
    // more than the line. (With a minLength, flush(cb) also waits until the data is written.)
    // Each file write takes everything queued, up to MAX_WRITE_BYTES: with sonic-boom's
    // default of 16 KiB a write, one write per event-loop pass fell behind a flat-out loop
    // and the backlog grew the heap without bound.
    // Buffers, not strings: lines arrive as bytes (see json-bytes.ts), and handed a string,
    // sonic-boom would measure its UTF-8 length and then encode it again to write it.
    const s = new SonicBoom({
      dest: path,
      mkdir: true,
      append: true,
      sync: false,
      minLength: 8_192,
      maxWrite: MAX_WRITE_BYTES,
      periodicFlush: 1_000,
      contentMode: 'buffer',
    });
    s.on('ready', () => {
      if (s === stream) ready = true;
    });
    s.on('error', (error: Error) => {
      // The stream is unusable after an error: count it, keep the reason, reopen later.
      writeErrors += 1;
      lastError = error.message;
      failedAt = Date.now();
      if (s === stream) failed = true;
    });
    s.on('write', () => {
      // A successful write after a failure: the file is writable again.
      if (s === stream) lastError = null;
    });
    return s;
  }

  const end = (s: Stream) =>
    new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.once('error', () => resolve());
      s.end();
    });

  const rotatedName = (n: number): string => `${path}.${n}`;

  /**
   * Moves the current file aside and starts a new one. The old stream keeps its file
   * descriptor, so what it still has queued lands in the moved file: no line is lost or
   * reordered, and the current file always exists.
   */
  function rotate(): void {
    try {
      if (keep > 0) {
        if (existsSync(rotatedName(keep))) rmSync(rotatedName(keep));
        for (let n = keep - 1; n >= 1; n--) {
          if (existsSync(rotatedName(n))) renameSync(rotatedName(n), rotatedName(n + 1));
        }
        renameSync(path, rotatedName(1));
      } else {
        rmSync(path);
      }
    } catch (error) {
      writeErrors += 1;
      lastError = `rotation failed: ${(error as Error).message}`;
      return;
    }
    const old = stream;
    stream = open();
    const closing = end(old).finally(() => retiring.delete(closing));
    retiring.add(closing);
    rotations += 1;
    bytesInFile = 0;
  }

  /** Lines handed to write() and not yet made and queued, oldest first. */
  let pending: JsonlLine[] = [];
  /** The chunk being made: the bytes of lines handed to the file together. */
  let chunk = Buffer.allocUnsafe(64 * 1024);
  let chunkLength = 0;
  let chunkLines = 0;

  /** Hands the chunk to the stream. */
  function hand(): void {
    if (chunkLines === 0) return;
    try {
      // A copy: the stream keeps what it is handed until it is written.
      const bytes = Buffer.from(chunk.subarray(0, chunkLength));
      // Typed for strings only; in buffer mode it takes (and wants) buffers.
      (stream.write as unknown as (data: Buffer) => boolean)(bytes);
      linesWritten += chunkLines;
      bytesInFile += bytes.length;
    } catch (error) {
      writeErrors += chunkLines;
      lastError = (error as Error).message;
      failedAt = Date.now();
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

  /**
   * The bytes of one line, or undefined when its function threw: that line is counted as a
   * write error and skipped. Lines are made from setImmediate, where an uncaught error would
   * end the process, and the lines around it are sound.
   */
  function madeBytes(line: JsonlLine): Uint8Array | undefined {
    try {
      const made = typeof line === 'function' ? line() : line;
      return typeof made === 'string' ? Buffer.from(made, 'utf8') : made;
    } catch (error) {
      writeErrors += 1;
      lastError = `a line could not be made: ${error instanceof Error ? error.message : String(error)}`;
      return undefined;
    }
  }

  /** Makes the pending lines and hands them to the stream, one chunk per file. */
  function drain(): void {
    if (pending.length === 0) return;
    const started = performance.now();
    const lines = pending;
    pending = [];
    if (failed) {
      if (Date.now() - failedAt < retryMs) {
        writeErrors += lines.length;
        busySeconds += (performance.now() - started) / 1000;
        return;
      }
      failed = false;
      stream = open();
    }
    for (const line of lines) {
      const bytes = madeBytes(line);
      if (!bytes) continue;
      if (
        maxBytes > 0 &&
        ready &&
        bytesInFile + chunkLength > 0 &&
        bytesInFile + chunkLength + bytes.length > maxBytes
      ) {
        hand();
        rotate();
      }
      append(bytes);
    }
    hand();
    busySeconds += (performance.now() - started) / 1000;
  }

  return {
    write(line) {
      if (failed && Date.now() - failedAt < retryMs) {
        writeErrors += 1;
        return;
      }
      pending.push(line);
      // Lines are made and written together at the next pass of the event loop: a turn
      // loop running flat out hands over about a millisecond of turns at a time, and making
      // them in one go keeps the line code and the snapshots warm. A loop that never yields
      // still has them written every MAX_PENDING lines.
      if (pending.length === 1) setImmediate(drain);
      else if (pending.length >= MAX_PENDING) drain();
    },
    stats: () => ({ path, linesWritten, writeErrors, lastError, rotations, busySeconds }),
    flush: () =>
      new Promise<void>((resolve) => {
        drain();
        if (failed) return resolve();
        const s = stream;
        const flushStream = () => {
          try {
            s.flush(() => resolve());
          } catch {
            resolve();
          }
        };
        if (ready) return flushStream();
        // In buffer mode, sonic-boom fails on a flush asked for while the file is still
        // opening with nothing queued. Flush once it is open, after its own first write
        // has started (flushing inside the 'ready' event would write that data twice); a
        // file that cannot be opened has nothing to flush.
        const onReady = () => {
          s.off('error', onError);
          setImmediate(flushStream);
        };
        const onError = () => {
          s.off('ready', onReady);
          resolve();
        };
        s.once('ready', onReady);
        s.once('error', onError);
      }),
    async close() {
      drain();
      if (!failed) await end(stream);
      await Promise.all(retiring);
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
