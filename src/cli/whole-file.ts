import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { CliErrors } from './errors.js';

/**
 * The temporary file a whole-file write goes through, beside its target, named by the writing
 * process: a user's own `NAME.tmp`, or another process writing the same folder (two sweeps),
 * is never written over.
 */
export const tempNameOf = (path: string): string => `${path}.tmp-${process.pid}`;

/** Writes every byte of `bytes` to `fd`, or throws: a short write (a full disk) is retried until it errors. */
function writeAll(fd: number, path: string, bytes: Uint8Array): void {
  let at = 0;
  while (at < bytes.length) {
    const written = writeSync(fd, bytes, at, bytes.length - at);
    if (written <= 0)
      throw new CliErrors.TRADESIM_ERR_CLI_FILE_NOT_WRITTEN(path, `${at} of ${bytes.length} bytes taken`);
    at += written;
  }
}

/**
 * Writes a file whole or not at all: the parts go to `tmp` (`PATH.tmp` unless given: a writer
 * that others may share a folder with names its own), every byte counted, flushed to the disk,
 * then renamed over PATH (and the folder flushed, so the rename survives a power cut). On any
 * failure the temporary file is removed and PATH keeps what it held; the error is thrown.
 * Returns the bytes written.
 */
export function writeWholeFile(path: string, parts: readonly Uint8Array[], tmp = tempNameOf(path)): number {
  let total = 0;
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const part of parts) {
        writeAll(fd, tmp, part);
        total += part.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some file systems refuse to flush a folder; the file itself is whole either way.
  }
  return total;
}

/**
 * The bytes of the regular file at `path`, read whole through one open file, or `refuse`
 * called with the problem in words (and nothing read past it): the file cannot be opened or
 * read (the system's message), it is not a regular file (a FIFO or a device: a whole read
 * would block or never end; opened without blocking, never read), it is larger than
 * `maxBytes`, or `head` refuses its first `head.bytes` bytes (another kind of file, unread).
 * One open file, not a look at the path and then a read of it: a path swapped for a FIFO in
 * between cannot block the read.
 */
export function readWholeFile(
  path: string,
  maxBytes: number,
  refuse: (problem: string) => never,
  head?: { readonly bytes: number; readonly problem: (first: string) => string | undefined },
): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return refuse(systemMessage(error));
  }
  // The problem found, refused once the file is closed: a refusal thrown in here is not taken
  // for a failed read (and refused again).
  let problem: string;
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) problem = 'not a regular file';
    else if (info.size > maxBytes) problem = `larger than ${maxBytes} bytes`;
    else {
      const first = head && Buffer.alloc(head.bytes);
      const refused =
        head && head.problem(first!.subarray(0, readSync(fd, first!, 0, head.bytes, 0)).toString('latin1'));
      if (refused === undefined) return readFileSync(fd);
      problem = refused;
    }
  } catch (error) {
    problem = systemMessage(error);
  } finally {
    closeSync(fd);
  }
  return refuse(problem);
}

/** A system error's message without its code in front (`ENOENT: no such file ...` -> `no such file ...`). */
const systemMessage = (error: unknown): string =>
  ((error as Error).message.split('\n')[0] ?? 'cannot read').replace(/^[A-Z]+: /, '');
