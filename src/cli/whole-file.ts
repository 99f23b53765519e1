import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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
