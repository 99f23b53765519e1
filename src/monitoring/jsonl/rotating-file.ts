import type { FileHandle } from 'node:fs/promises';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MonitoringErrors } from '../errors.js';
import { inodeOf, makeDirs, moveAside, openForAppend, repairTail } from './jsonl-files.js';
import { messageOf, type WriterHealth } from './writer-health.js';

/**
 * The most one file write takes from the queue: small enough that a slow disk (1 MB/s) lands
 * one within a second, which is how the writer tells it from a hung one.
 */
const MAX_WRITE_BYTES = 1024 * 1024;

/**
 * Lines worth a write of their own. Fewer wait up to GATHER_MS for more to join them: a file
 * write costs the loop about the same whatever its size, and a run flat out hands over a few
 * lines at a time.
 */
const GATHER_BYTES = 256 * 1024;
const GATHER_MS = 20;

/** Bytes queued for a file that does not take them (a stuck disk) before further lines are dropped and counted. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * Bytes queued past which the file is behind (a disk slower than the run): a run that asks
 * (JsonlWriter.behind) waits until it is back under half of this, rather than have lines
 * dropped at MAX_QUEUED_BYTES.
 */
export const BEHIND_BYTES = 4 * 1024 * 1024;

/** One entry of the write queue: bytes of whole lines, or the point where the file rotates. */
type Item = { readonly bytes: Buffer; readonly lines: number } | 'rotate';

/** How the rotating file behaves. */
export interface RotatingFileOptions {
  readonly path: string;
  /** Rotate before the file would grow past this many bytes (0 = never). */
  readonly maxBytes: number;
  /** Rotated files kept: path.1 (newest) to path.N. */
  readonly keep: number;
  /** How often, at most, the file is checked for having been deleted or replaced (ms). */
  readonly checkEveryMs: number;
  /** Called before the file is opened; a throw fails the open (the run's lock not held). */
  readonly beforeOpen?: () => Promise<void>;
}

/**
 * The file side of the JSONL writer: a queue of whole-line chunks and rotation marks,
 * written in order by one pump at a time. Invariants: `plannedBytes` is what the newest
 * planned file (after the last rotation mark) holds once the queue is written, so a rotated file never
 * passes `maxBytes` (but for a single longer line); a file deleted or replaced under the
 * writer is noticed within `checkEveryMs` and opened again, the bytes written to a deleted
 * one since the last check copied to the new one (a moved one keeps them).
 */
export class RotatingFile {
  private handle: FileHandle | undefined;
  private inode: number | undefined;
  /** The file's size as last checked to be linked under `path`, and when. */
  private checkedSize = 0;
  private checkedAt = 0;
  private plannedBytes = 0;
  private readonly queue: Item[] = [];
  private queuedBytes = 0;
  private pumping: Promise<void> | undefined;
  /** Bytes of the last writeAll that reached the file (all of them unless it threw). */
  private bytesDone = 0;
  private closed = false;
  /** Ends the pump's wait for more lines (see GATHER_BYTES), while it waits. */
  private endGathering: (() => void) | undefined;
  /** Callers of idle() waiting: the pump writes what is queued without waiting for more. */
  private hurried = 0;
  /** Lines in the file write under way. */
  private inFlight = 0;
  /** Set when the queue was full, until it is back under half: the writer says it is failing. */
  private overflowing = false;
  /** Set once closing gave up on the file (abandon): its counts are final. */
  private abandoned = false;
  /** When the queue last got shorter (a write landed, the queue was dropped), or got lines when it had none. */
  private tookAt = Date.now();

  constructor(
    private readonly options: RotatingFileOptions,
    private readonly health: WriterHealth,
  ) {}

  /** True when `bytes` more after `pendingBytes` not yet queued would pass `maxBytes`. */
  wouldPassLimit(pendingBytes: number, bytes: number): boolean {
    const { maxBytes } = this.options;
    const planned = this.plannedBytes + pendingBytes;
    return maxBytes > 0 && planned > 0 && planned + bytes > maxBytes;
  }

  /** Queues a rotation: the lines queued after it go to a new file. */
  rotateHere(): void {
    this.queue.push('rotate');
    this.plannedBytes = 0;
    this.runPump();
  }

  /** Queues `bytes` holding `lines` whole lines; drops and counts them when the queue is full. */
  take(bytes: Buffer, lines: number): void {
    if (this.queuedBytes + bytes.length > MAX_QUEUED_BYTES) {
      this.overflowing = true;
      this.health.overflow('the file takes no lines: queue full', lines);
      return;
    }
    // A file with nothing to do is not behind: time without a write counts from here.
    if (this.queuedBytes === 0) this.tookAt = Date.now();
    this.queue.push({ bytes, lines });
    this.queuedBytes += bytes.length;
    this.plannedBytes += bytes.length;
    this.health.linesWritten += lines;
    if (this.queuedBytes >= GATHER_BYTES) this.endGathering?.();
    this.runPump();
  }

  /** Opens the file (folders first), its torn tail cut; false while failing. */
  async open(): Promise<boolean> {
    if (this.handle) return true;
    if (this.health.failing()) return false;
    try {
      await makeDirs(dirname(this.options.path));
      await this.options.beforeOpen?.();
      const h = await openForAppend(this.options.path);
      const size = await repairTail(h).catch(async (error: unknown) => {
        await h.close();
        throw error;
      });
      this.handle = h;
      this.inode = (await h.stat()).ino;
      this.checkedSize = size;
      this.checkedAt = Date.now();
      // Lines already planned for this file are in the queue; its old bytes count too (when
      // it is the newest planned: a queued rotation plans a later one).
      if (!this.rotationQueued()) this.plannedBytes += size;
      this.health.failedAt = undefined;
      return true;
    } catch (error) {
      this.health.fail(error, 0);
      return false;
    }
  }

  /** Writes the queue now, without waiting for more lines; resolves once it is written (or has failed). */
  async idle(): Promise<void> {
    this.hurried += 1;
    this.endGathering?.();
    try {
      while (this.pumping) await this.pumping;
    } finally {
      this.hurried -= 1;
    }
  }

  /** Writes what is queued, then closes the file; a file that got no line is removed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    const empty = this.handle !== undefined && this.health.linesWritten === 0 && (await this.handle.stat()).size === 0;
    await this.closeHandle();
    if (empty)
      await rm(this.options.path, { force: true }).catch((error: unknown) => {
        throw new MonitoringErrors.TRADESIM_ERR_JSONL_CLOSE([
          `the empty file could not be removed: ${messageOf(error)}`,
        ]);
      });
  }

  /** Bytes queued for the file. */
  queued(): number {
    return this.queuedBytes;
  }

  /** Milliseconds since the queue last got shorter or, when it had none, got lines: how long the file has taken nothing. */
  sinceTook(): number {
    return Date.now() - this.tookAt;
  }

  /** What is left to do: bytes and rotations queued; it falls as the file takes them. */
  backlog(): number {
    return this.queuedBytes + this.queue.length;
  }

  /**
   * Gives up the lines still queued once the file has taken nothing for `waitedMs` while
   * closing: counted as lost and said (a write in progress may still land; its lines are
   * counted as written).
   */
  abandon(waitedMs: number): void {
    const queued = this.queue.reduce((sum, item) => sum + (item === 'rotate' ? 0 : item.lines), 0);
    this.closed = true;
    if (queued + this.inFlight === 0) return;
    this.abandoned = true;
    this.dropQueue();
    // The write under way may never land (a hung disk) before the process ends: its lines
    // count as lost too, and said so; should it land, the count errs on the safe side.
    this.health.lose(this.inFlight);
    const landing = this.inFlight > 0 ? `, ${this.inFlight} of them in a write that may yet land` : '';
    this.health.fail(
      new Error(
        `the file took nothing for ${waitedMs} ms while closing: ${queued + this.inFlight} lines given up${landing}`,
      ),
      0,
    );
  }

  /** Stops taking the queue up again after the current pump (the writer is closed). */
  stop(): void {
    this.closed = true;
    this.endGathering?.();
  }

  private runPump(): void {
    if (this.pumping) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.queue.length > 0 && !this.closed) this.runPump();
    });
  }

  /** Writes the queue in order, one file write per run of lines between rotations. */
  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.queue[0] === 'rotate') {
        this.queue.shift();
        await this.rotateNow();
        continue;
      }
      if (!(await this.open())) {
        this.dropQueue();
        return;
      }
      try {
        await this.checkLinked();
      } catch (error) {
        // The check failed (a disk gone): the write below will say what is wrong.
        this.health.lastError = messageOf(error);
      }
      if (!this.handle) continue;
      await this.gather();
      if (!(await this.writeBatch())) return;
    }
  }

  /**
   * Waits up to GATHER_MS for more lines when fewer than GATHER_BYTES are queued, none of
   * them before a rotation, the file still taking lines and no one waiting in `idle()`: ended
   * early by enough lines, `idle()` or `stop()`.
   */
  private async gather(): Promise<void> {
    if (this.closed || this.hurried > 0 || this.queuedBytes >= GATHER_BYTES || this.queue.includes('rotate')) return;
    await new Promise<void>((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        this.endGathering = undefined;
        resolve();
      };
      const timer = setTimeout(end, GATHER_MS);
      this.endGathering = end;
    });
  }

  /** Takes the lines up to the next rotation (at most MAX_WRITE_BYTES) and writes them. */
  private async writeBatch(): Promise<boolean> {
    const parts: Buffer[] = [];
    let lines = 0;
    let size = 0;
    for (let item = this.queue[0]; item !== undefined && item !== 'rotate'; item = this.queue[0]) {
      if (parts.length > 0 && size + item.bytes.length > MAX_WRITE_BYTES) break;
      this.queue.shift();
      parts.push(item.bytes);
      lines += item.lines;
      size += item.bytes.length;
    }
    this.queuedBytes -= size;
    const batch = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    this.inFlight = lines;
    try {
      await this.writeAll(batch);
      this.tookAt = Date.now();
      // A line reached the file: the writer is healthy again, unless it was given up or its
      // queue, once full, is not yet back under half (lines may still be dropped).
      if (this.overflowing && this.queuedBytes <= MAX_QUEUED_BYTES / 2) this.overflowing = false;
      if (!this.abandoned && !this.overflowing) this.health.lastError = null;
      return true;
    } catch (error) {
      // Given up at close: its lines are counted as lost already.
      if (this.abandoned) return false;
      // Part of the batch may be on disk: its whole lines stay, the torn one is cut now (so a
      // run that ends here leaves whole lines), or else when the file is reopened; the rest
      // is lost.
      let whole = 0;
      for (let at = batch.indexOf(0x0a); at >= 0 && at < this.bytesDone; at = batch.indexOf(0x0a, at + 1)) whole += 1;
      this.health.fail(error, 0);
      this.health.lose(lines - whole);
      if (this.handle) await repairTail(this.handle).catch(() => undefined);
      await this.closeHandle();
      this.dropQueue();
      return false;
    } finally {
      this.inFlight = 0;
    }
  }

  /**
   * Checks, at most every checkEveryMs, that the open file is still the one at `path`. If not,
   * a new file is opened at `path`; when the old one was deleted (no name left), the bytes
   * written to it since the last check are read back and written to the new one first.
   */
  private async checkLinked(): Promise<void> {
    if (!this.handle || Date.now() - this.checkedAt < this.options.checkEveryMs) return;
    this.checkedAt = Date.now();
    // A path that cannot be looked at (a file where its folder was: ENOTDIR) says nothing of
    // the file; its own link count does: deleted, its lines since the last check are at risk.
    let here: number | undefined;
    let unknown = false;
    try {
      here = await inodeOf(this.options.path);
    } catch {
      unknown = true;
    }
    const { size, nlink } = await this.handle.stat();
    if (here === this.inode || (unknown && nlink > 0)) {
      // Only a file seen at its path is checked: lines since then are copied if it turns out deleted.
      if (!unknown) this.checkedSize = size;
      return;
    }
    // Moved or renamed (a log rotator's `mv`), the old file keeps every line under its new name:
    // nothing to copy. Deleted (no name left), the lines since the last check would be lost.
    const lost = Buffer.alloc(nlink > 0 ? 0 : size - this.checkedSize);
    if (lost.length > 0) await this.handle.read(lost, 0, lost.length, this.checkedSize);
    await this.closeHandle();
    if (!this.rotationQueued()) this.plannedBytes += lost.length - size;
    const lines = lost.toString('utf8').split('\n').length - 1;
    if (!(await this.open())) {
      this.health.reopens += 1;
      this.health.fail(this.health.lastError ?? 'cannot reopen', 0);
      this.health.lose(lines);
      return;
    }
    if (lost.length > 0) await this.writeAll(lost);
    const copied = lines > 0 ? `, with the ${lines} lines written to it since it was last seen` : '';
    this.health.reopened(`the file was ${nlink > 0 ? 'moved away' : 'deleted'}: a new one opened at its path${copied}`);
  }

  private async writeAll(bytes: Buffer): Promise<void> {
    this.bytesDone = 0;
    while (this.bytesDone < bytes.length) {
      const { bytesWritten } = await this.handle!.write(bytes, this.bytesDone, bytes.length - this.bytesDone);
      this.bytesDone += bytesWritten;
    }
  }

  private async rotateNow(): Promise<void> {
    await this.closeHandle();
    try {
      await moveAside(this.options.path, this.options.keep);
      this.health.rotations += 1;
    } catch (error) {
      this.health.fail(new Error(`rotation failed: ${messageOf(error)}`), 0);
    }
    // With more rotations queued, the newest planned file is a later one: its plan stands.
    if (!this.rotationQueued()) this.plannedBytes = this.bytesBeforeNextRotation();
  }

  /** True when the queue holds a rotation: the lines taken now go to a file after it. */
  private rotationQueued(): boolean {
    return this.queue.includes('rotate');
  }

  /** Bytes queued before the next rotation mark: what the next file will hold. */
  private bytesBeforeNextRotation(): number {
    let total = 0;
    for (const item of this.queue) {
      if (item === 'rotate') break;
      total += item.bytes.length;
    }
    return total;
  }

  private dropQueue(): void {
    for (const item of this.queue.splice(0)) if (item !== 'rotate') this.health.lose(item.lines);
    this.queuedBytes = 0;
    // What was planned for files is gone with them: the next file holds only what it has.
    this.plannedBytes = 0;
    this.tookAt = Date.now();
  }

  private async closeHandle(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close().catch(() => undefined);
  }
}
