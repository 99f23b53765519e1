/*
 * File operations of the JSONL writer: creating folders, moving files aside, repairing a
 * torn tail and the lock that keeps one live writer per file. All asynchronous, so a slow or
 * stuck file system never blocks the turn loop.
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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

/** The name of rotated file `n` of `path` (1 is the newest). */
export const rotatedName = (path: string, n: number): string => `${path}.${n}`;

/**
 * Moves `path` aside to `path.1`, shifting older ones up and dropping the one past `keep`
 * (with keep 0, `path` is removed). A file that is not there is no error.
 */
export async function moveAside(path: string, keep: number): Promise<void> {
  const ignoreMissing = (error: unknown) => {
    if (codeOf(error) !== 'ENOENT') throw error;
  };
  if (keep === 0) {
    await rm(path).catch(ignoreMissing);
    return;
  }
  await rm(rotatedName(path, keep)).catch(ignoreMissing);
  for (let n = keep - 1; n >= 1; n--) {
    await rename(rotatedName(path, n), rotatedName(path, n + 1)).catch(ignoreMissing);
  }
  await rename(path, rotatedName(path, 1)).catch(ignoreMissing);
}

/** Bytes read back from the end of a file to find its last line break. */
const TAIL_WINDOW = 1024 * 1024;

/**
 * Cuts a torn last line (bytes after the last newline, left by a crash or a full disk) so
 * the next line starts on a line of its own. Returns the file's size after the repair.
 */
export async function repairTail(handle: FileHandle): Promise<number> {
  const { size } = await handle.stat();
  if (size === 0) return 0;
  const length = Math.min(size, TAIL_WINDOW);
  const tail = Buffer.alloc(length);
  await handle.read(tail, 0, length, size - length);
  if (tail[length - 1] === 0x0a) return size;
  const lastBreak = tail.lastIndexOf(0x0a);
  // No line break in the window: the whole window is one torn line.
  const keep = lastBreak < 0 ? size - length : size - length + lastBreak + 1;
  await handle.truncate(keep);
  return keep;
}

/** Is process `pid` alive on this machine? */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

/** The lock file of a JSONL file. */
export const lockName = (path: string): string => `${path}.lock`;

/**
 * Takes the lock of `path` for this process: its pid in `path.lock`, created only if
 * absent. A lock left by a process that is gone is taken over. Returns the pid of another
 * live writer holding it, or undefined once it is ours.
 */
export async function takeLock(path: string): Promise<number | undefined> {
  const lock = lockName(path);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      return undefined;
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return holder;
    // Stale (its writer is gone) or unreadable: remove it and try again.
    await rm(lock, { force: true });
  }
  return undefined;
}

/** Removes the lock of `path` if it is this process's. */
export async function releaseLock(path: string): Promise<void> {
  const lock = lockName(path);
  const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
  if (holder === process.pid) await rm(lock, { force: true });
}

/** Opens `path` for appending and reading back (a+), creating it. */
export const openForAppend = (path: string): Promise<FileHandle> => open(path, 'a+');

/** The inode of `path`, or undefined when nothing is there. */
export async function inodeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).ino;
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
}
