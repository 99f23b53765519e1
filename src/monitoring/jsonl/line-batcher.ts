import type { RotatingFile } from './rotating-file.js';
import type { WriterHealth } from './writer-health.js';

/**
 * A line for the writer, ending with a newline: its text, its UTF-8 bytes, or a function
 * making either when the line is written (bytes it returns are copied at once, so they may
 * be a view of a buffer the function reuses).
 */
export type JsonlLine = string | Uint8Array | (() => string | Uint8Array);

/** The most bytes of lines handed to the file at once. */
const HAND_BYTES = 1024 * 1024;

/**
 * The caller side of the JSONL writer: lines wait here until `drain()` makes them into one
 * chunk of bytes and hands it to the file, cut where the file rotates. Invariant: lines
 * reach the file in the order they were added; making and handing them is timed into
 * `busySeconds`.
 */
export class LineBatcher {
  /** Lines added and not yet made and queued, oldest first. */
  private pending: JsonlLine[] = [];
  /** The chunk being made: the bytes of lines handed to the file together. */
  private chunk = Buffer.allocUnsafe(64 * 1024);
  private chunkLength = 0;
  private chunkLines = 0;

  constructor(
    private readonly file: RotatingFile,
    private readonly health: WriterHealth,
  ) {}

  /** Lines added and not yet made. */
  waiting(): number {
    return this.pending.length;
  }

  /** Forgets the lines waiting, unmade; returns how many there were. */
  discard(): number {
    const count = this.pending.length;
    this.pending = [];
    return count;
  }

  /** Adds a line; returns how many are waiting. */
  add(line: JsonlLine): number {
    this.pending.push(line);
    return this.pending.length;
  }

  /** Makes the pending lines and queues them for the file, cut where the file rotates. */
  drain(): void {
    if (this.pending.length === 0) return;
    const started = performance.now();
    const lines = this.pending;
    this.pending = [];
    if (this.health.failing()) {
      this.health.writeErrors += lines.length;
      this.health.busySeconds += (performance.now() - started) / 1000;
      return;
    }
    for (const line of lines) {
      const bytes = this.madeBytes(line);
      if (!bytes) continue;
      if (this.file.wouldPassLimit(this.chunkLength, bytes.length)) {
        this.hand();
        this.file.rotateHere();
      }
      this.append(bytes);
      // Handed in parts: a file with no room for all (its queue full) drops only what is past it.
      if (this.chunkLength >= HAND_BYTES) this.hand();
    }
    this.hand();
    this.health.busySeconds += (performance.now() - started) / 1000;
  }

  /** Queues the chunk for the file. */
  private hand(): void {
    if (this.chunkLines === 0) return;
    // A copy: the chunk is reused for the next lines.
    this.file.take(Buffer.from(this.chunk.subarray(0, this.chunkLength)), this.chunkLines);
    this.chunkLength = 0;
    this.chunkLines = 0;
  }

  private append(bytes: Uint8Array): void {
    if (this.chunkLength + bytes.length > this.chunk.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.chunk.length * 2, this.chunkLength + bytes.length));
      this.chunk.copy(grown, 0, 0, this.chunkLength);
      this.chunk = grown;
    }
    this.chunk.set(bytes, this.chunkLength);
    this.chunkLength += bytes.length;
    this.chunkLines += 1;
  }

  /** The bytes of one line, or undefined when its function threw: counted and skipped. */
  private madeBytes(line: JsonlLine): Uint8Array | undefined {
    try {
      const made = typeof line === 'function' ? line() : line;
      return typeof made === 'string' ? Buffer.from(made, 'utf8') : made;
    } catch (error) {
      this.health.badLine(error);
      return undefined;
    }
  }
}
