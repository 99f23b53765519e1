/** The message of a thrown value. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The JSONL writer's counters, shared by its line batcher and its rotating file.
 * Invariant: a line handed to the file counts in `linesWritten` until it is lost, when it
 * moves to `writeErrors`; while `failing()`, nothing is tried again.
 */
export class WriterHealth {
  linesWritten = 0;
  writeErrors = 0;
  /** The last error while failing; null once a line has reached the file since. */
  lastError: string | null = null;
  rotations = 0;
  reopens = 0;
  busySeconds = 0;
  /** Set when the file failed; nothing is tried again before retryMs has passed. */
  failedAt: number | undefined;

  constructor(
    readonly retryMs: number,
    private readonly onError?: (message: string) => void,
    private readonly onReopen?: (message: string) => void,
  ) {}

  /** Records a file found moved away or deleted under the writer and opened again at its path. */
  reopened(message: string): void {
    this.reopens += 1;
    this.onReopen?.(message);
  }

  /** Records a failure that lost `lostLines` lines not yet handed to the file. */
  fail(error: unknown, lostLines: number): void {
    this.writeErrors += lostLines;
    this.lastError = messageOf(error);
    this.failedAt = Date.now();
    this.onError?.(this.lastError);
  }

  /**
   * Lines dropped because the file is behind (its queue full): counted and told, the writer
   * failing until a line reaches the file, but the file itself not failed: it goes on taking
   * its queue, and opening the next file after a rotation is not held back.
   */
  overflow(message: string, lostLines: number): void {
    this.writeErrors += lostLines;
    if (this.lastError === message) return;
    this.lastError = message;
    this.onError?.(message);
  }

  /** Lines handed to the file that it never got: counted as errors, no longer as written. */
  lose(lines: number): void {
    this.writeErrors += lines;
    this.linesWritten -= lines;
  }

  /** A line that could not be made: counted and told, without stopping the writer. */
  badLine(error: unknown): void {
    this.writeErrors += 1;
    this.lastError = `a line could not be made: ${messageOf(error)}`;
    this.onError?.(this.lastError);
  }

  /** True within retryMs of the last failure. */
  failing(): boolean {
    return this.failedAt !== undefined && Date.now() - this.failedAt < this.retryMs;
  }
}
