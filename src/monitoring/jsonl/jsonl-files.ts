/*
 * File operations of the JSONL writer: creating folders, moving files aside, repairing a
 * torn tail. All asynchronous, so a slow or stuck file system never blocks the turn loop
 * (but for makeDirsSync, a checkpoint's).
 */
import { mkdirSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MonitoringErrors } from '../errors.js';

/** The error code of a failed file operation, if it has one. */
const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/**
 * Creates `dir` and its missing parents, one level at a time. Node's recursive mkdir loops
 * forever where a parent exists but refuses children (a path under /proc); this fails.
 */
export async function makeDirs(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return;
    const parent = dirname(dir);
    if (codeOf(error) !== 'ENOENT' || parent === dir) throw error;
    await makeDirs(parent);
    try {
      await mkdir(dir);
    } catch (again) {
      if (codeOf(again) !== 'EEXIST') throw again;
    }
  }
}

/** makeDirs in one call that blocks, for a file written whole between two turns (a checkpoint). */
export function makeDirsSync(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return;
    const parent = dirname(dir);
    if (codeOf(error) !== 'ENOENT' || parent === dir) throw error;
    makeDirsSync(parent);
    try {
      mkdirSync(dir);
    } catch (again) {
      if (codeOf(again) !== 'EEXIST') throw again;
    }
  }
}

/** The name of rotated file `n` of `path` (1 is the newest). */
export const rotatedName = (path: string, n: number): string => `${path}.${n}`;

/**
 * Moves `path` aside to `path.1`, shifting older ones up and dropping the one past `keep`
 * (with keep 0, `path` is removed). A file that is not there is no error. Only the rotated
 * files that exist are moved (they are found by counting up from `path.1`), so a large
 * `keep` costs nothing until that many files are kept.
 */
export async function moveAside(path: string, keep: number): Promise<void> {
  const ignoreMissing = (error: unknown) => {
    if (codeOf(error) !== 'ENOENT') throw error;
  };
  if (keep === 0) {
    await rm(path).catch(ignoreMissing);
    return;
  }
  let top = 0;
  while (top < keep && (await exists(rotatedName(path, top + 1)))) top += 1;
  if (top === keep) {
    await rm(rotatedName(path, keep)).catch(ignoreMissing);
    top -= 1;
  }
  for (let n = top; n >= 1; n--) {
    await rename(rotatedName(path, n), rotatedName(path, n + 1)).catch(ignoreMissing);
  }
  await rename(path, rotatedName(path, 1)).catch(ignoreMissing);
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Bytes read back from the end of a file to find its last line break. */
const TAIL_WINDOW = 1024 * 1024;

/**
 * Cuts a torn last line (bytes after the last newline, left by a crash or a full disk) so
 * the next line starts on a line of its own, however long the torn line: the file is read
 * back a window at a time until a line break (or its start) is found. Returns the file's
 * size after the repair.
 */
export async function repairTail(handle: FileHandle): Promise<number> {
  const { size } = await handle.stat();
  if (size === 0) return 0;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return size;
  const window = Buffer.alloc(Math.min(size, TAIL_WINDOW));
  let end = size;
  let keep = 0;
  while (end > 0) {
    const length = Math.min(end, window.length);
    await handle.read(window, 0, length, end - length);
    const lastBreak = window.subarray(0, length).lastIndexOf(0x0a);
    if (lastBreak >= 0) {
      keep = end - length + lastBreak + 1;
      break;
    }
    end -= length;
  }
  await handle.truncate(keep);
  return keep;
}

/** Opens `path` for appending and reading back (a+), creating it; anything but a regular file is refused. */
export async function openForAppend(path: string): Promise<FileHandle> {
  // A FIFO or a device put at the path under a running writer is refused, as at start: a
  // write into a FIFO no one reads would never end, and the run could never exit.
  const handle = await open(path, 'a+');
  const regular = await handle.stat().then(
    (s) => s.isFile(),
    () => false,
  );
  if (regular) return handle;
  await handle.close().catch(() => undefined);
  throw new MonitoringErrors.TRADESIM_ERR_JSONL_NOT_REGULAR(path);
}

/** The inode of `path`, or undefined when nothing is there. */
export async function inodeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).ino;
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}
