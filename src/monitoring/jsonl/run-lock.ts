/*
 * The lock that keeps one live run per JSONL file: `PATH.lock`, created only if absent,
 * naming the run that holds it (pid, run id, a token of this process, the process's start
 * time, its PID namespace and the machine's boot). A lock whose run is gone is taken over.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync, rmSync } from 'node:fs';
import { link, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';

/** The lock file of a JSONL file. */
export const lockName = (path: string): string => `${path}.lock`;

/** What a lock file says about the run holding it. */
export interface LockHolder {
  readonly pid: number;
  /** The run's id, when the writer was given one. */
  readonly run?: string;
  /** A random token of the process that wrote it: a pid alone is reused (PID 1 after a container restart). */
  readonly process?: string;
  /** The process's start time in clock ticks since boot (/proc/PID/stat), when readable. */
  readonly started?: number;
  readonly pidNamespace?: string;
  readonly boot?: string;
}

/** How taking a lock went: ours (perhaps taken over from a stale holder, said why), or held by a live run. */
export type LockTake =
  { readonly state: 'taken'; readonly tookOver?: string } | { readonly state: 'held'; readonly holder: LockHolder };

/** How often a holder refreshes its lock's time, and how old a lock from another PID namespace may get. */
export const LOCK_REFRESH_MS = 10_000;
export const LOCK_STALE_MS = 60_000;

/** Tells this process from another that got the same pid (in a new PID namespace). */
const PROCESS_TOKEN = randomUUID();

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function readLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
function startTicks(pid: number | 'self'): number | undefined {
  const text = readText(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const ticks = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

/** This process as its lock names it. */
function thisProcess(run: string | undefined): LockHolder {
  const started = startTicks('self');
  const pidNamespace = readLink('/proc/self/ns/pid');
  const boot = readText('/proc/sys/kernel/random/boot_id');
  return {
    pid: process.pid,
    ...(run === undefined ? {} : { run }),
    process: PROCESS_TOKEN,
    ...(started === undefined ? {} : { started }),
    ...(pidNamespace === undefined ? {} : { pidNamespace }),
    ...(boot === undefined ? {} : { boot }),
  };
}

/** A lock file's holder: a JSON line, or a bare pid (older TradeSim); undefined when unreadable. */
export function parseHolder(text: string): LockHolder | undefined {
  if (/^\d+\s*$/.test(text)) return { pid: Number.parseInt(text, 10) };
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    return value !== null && typeof value === 'object' && Number.isSafeInteger(value.pid) && value.pid! > 0
      ? (value as LockHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return codeOf(error) === 'EPERM';
  }
}

/**
 * Why the holder's run is over (the lock is stale), or undefined while it may be live: the
 * machine restarted; its pid is this process's now (a restart in a new PID namespace, as PID
 * 1 in a container); it wrote from another PID namespace and stopped refreshing the lock;
 * its pid is gone, or now another process (started at another time).
 */
export function staleReason(holder: LockHolder, me: LockHolder, lockAgeMs: number): string | undefined {
  const who = `pid ${holder.pid}${holder.run ? `, run ${holder.run}` : ''}`;
  if (holder.boot !== undefined && me.boot !== undefined && holder.boot !== me.boot) {
    return `${who} ran before the machine restarted`;
  }
  if (holder.pid === me.pid) {
    return holder.process === me.process ? undefined : `${who} is this process now (a restart in a new PID namespace)`;
  }
  if (holder.pidNamespace !== undefined && me.pidNamespace !== undefined && holder.pidNamespace !== me.pidNamespace) {
    return lockAgeMs > LOCK_STALE_MS
      ? `${who} in another PID namespace has not refreshed the lock for ${Math.round(lockAgeMs / 1000)} s`
      : undefined;
  }
  if (!isAlive(holder.pid)) return `${who} is gone`;
  const started = startTicks(holder.pid);
  if (holder.started !== undefined && started !== undefined && started !== holder.started) {
    return `${who} is gone (pid ${holder.pid} is another process now)`;
  }
  return undefined;
}

/**
 * Takes the lock of `path` for this process and `run`, created only if absent. A stale lock
 * (see staleReason) or an unreadable one is taken over, and the result says why.
 */
export async function takeLock(path: string, run?: string): Promise<LockTake> {
  const lock = lockName(path);
  const me = thisProcess(run);
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createWhole(lock, `${JSON.stringify(me)}\n`)) {
      return tookOver === undefined ? { state: 'taken' } : { state: 'taken', tookOver };
    }
    const text = await readFile(lock, 'utf8').catch(() => '');
    const age = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    const holder = parseHolder(text);
    const reason = holder === undefined ? 'the lock was unreadable' : staleReason(holder, me, age);
    if (reason === undefined) return { state: 'held', holder: holder! };
    tookOver = reason;
    await rm(lock, { force: true });
  }
  return { state: 'taken', ...(tookOver === undefined ? {} : { tookOver }) };
}

/**
 * Creates `path` holding `text`, only if absent: false when it exists. The text is written
 * aside and linked into place, so the lock is never seen empty (another run would take an
 * empty one over) and a full disk leaves none behind. Where the file system has no hard
 * links, the file is created then written.
 */
async function createWhole(path: string, text: string): Promise<boolean> {
  const aside = `${path}.${PROCESS_TOKEN}`;
  try {
    await writeFile(aside, text);
    try {
      await link(aside, path);
      return true;
    } catch (error) {
      if (codeOf(error) === 'EEXIST') return false;
      // No hard link here (a file system without them, a quota on links): created then written.
    }
  } finally {
    await rm(aside, { force: true }).catch(() => undefined);
  }
  try {
    await writeFile(path, text, { flag: 'wx' });
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Refreshes the lock's time, so a run in another PID namespace sees it is live, if it is
 * still this process's; returns the holder it names when another run's lock is there instead
 * (two runs took a stale lock over at once), undefined otherwise (a missing or unreadable
 * lock is left to the next check).
 */
export async function refreshLock(path: string): Promise<LockHolder | undefined> {
  const holder = parseHolder(await readFile(lockName(path), 'utf8').catch(() => ''));
  if (holder !== undefined && !isThisProcess(holder)) return holder;
  const now = new Date();
  await utimes(lockName(path), now, now).catch(() => undefined);
  return undefined;
}

/** True when `holder` names this process. */
const isThisProcess = (holder: LockHolder): boolean =>
  holder.pid === process.pid && (holder.process === undefined || holder.process === PROCESS_TOKEN);

/** Removes the lock of `path` if it is this process's. */
export async function releaseLock(path: string): Promise<void> {
  const lock = lockName(path);
  const holder = parseHolder(await readFile(lock, 'utf8').catch(() => ''));
  if (holder !== undefined && isThisProcess(holder)) await rm(lock, { force: true });
}

/** releaseLock, at once: for a process's 'exit', where nothing asynchronous runs. */
function releaseLockSync(path: string): void {
  const lock = lockName(path);
  const holder = parseHolder(readText(lock) ?? '');
  if (holder !== undefined && isThisProcess(holder)) rmSync(lock, { force: true });
}

/**
 * Keeps a lock this process took (takeLock) until the returned release is called or the
 * process exits, however it exits: its time refreshed every LOCK_REFRESH_MS, so a process in
 * another PID namespace sees it is live.
 */
export function holdLock(path: string): () => void {
  const refresher = setInterval(() => void refreshLock(path), LOCK_REFRESH_MS).unref();
  const release = () => {
    clearInterval(refresher);
    process.off('exit', release);
    try {
      releaseLockSync(path);
    } catch {
      // Left behind (a disk gone): the next taker takes over a lock whose process is gone.
    }
  };
  process.once('exit', release);
  return release;
}
