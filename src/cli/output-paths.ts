/*
 * The files a run writes are checked before anything is written: never a device, a FIFO or
 * a file TradeSim did not make, and never one path for two of the run's files.
 */
import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliOptions } from './args.js';
import { CHECKPOINT_MAGIC, firstBytes } from './checkpoint-file.js';
import { CliErrors } from './errors.js';

/** The files of one run, by the flag that names them (null when the run has none). */
export interface RunFiles {
  readonly scenarioFile: string | null;
  readonly jsonl: string | null;
  readonly events: string | null;
  readonly checkpoint: string | null;
  /** The checkpoint the run starts from (--resume or --fork), which --checkpoint may overwrite. */
  readonly from: { readonly flag: '--resume' | '--fork'; readonly path: string } | null;
  /** Whether the JSONL file and event log are appended to (else an existing one is moved aside). */
  readonly append: boolean;
  /** Rotated files kept of the JSONL file and event log (--jsonl-keep): NAME.1 to NAME.keep. */
  readonly keep: number;
  /** Bytes past which a log rotates (--jsonl-max-bytes; 0: never). */
  readonly maxBytes: number;
  /** Whether the run resumes (--resume): its logs are appended to only if its own run wrote them. */
  readonly resume: boolean;
}

/** The files of a run, from its options and where it starts (its scenario file, the checkpoint it reads). */
export function runFilesOf(
  options: Pick<
    CliOptions,
    'jsonl' | 'events' | 'checkpoint' | 'jsonlAppend' | 'jsonlKeep' | 'jsonlMaxBytes' | 'resume'
  >,
  origin: Pick<RunFiles, 'scenarioFile' | 'from'>,
): RunFiles {
  return {
    jsonl: options.jsonl,
    events: options.events,
    checkpoint: options.checkpoint,
    scenarioFile: origin.scenarioFile,
    from: origin.from,
    append: options.jsonlAppend,
    keep: options.jsonlKeep,
    maxBytes: options.jsonlMaxBytes,
    resume: options.resume !== null,
  };
}

/** The lock file beside a JSONL file (see the JSONL writer). */
const lockOf = (path: string): string => `${path}.lock`;

/** The first bytes of every line TradeSim writes to a JSONL file or event log. */
const TRADESIM_LINE = /^\{"v":\d+,"run":"/;

const statOf = (path: string): Stats | undefined => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

/**
 * Why a checkpoint cannot be written in `dir`: a file where a folder on its way should be. A
 * folder missing is made at the first checkpoint (as the JSONL file's is when it opens).
 */
function folderProblem(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const info = statOf(at);
    if (info) return info.isDirectory() ? undefined : `${at} is not a folder`;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * Why the run must not write `path` as a file of this kind, or undefined when it may. A
 * symbolic link is refused whatever it points to: moving a log aside or writing a checkpoint
 * whole renames the link itself, and a link to another run's file hides that run's lock.
 */
function kindProblem(path: string, kind: 'jsonl' | 'checkpoint'): string | undefined {
  if (isSymbolicLink(path)) return `it is a symbolic link (to ${readlinkSync(path)}): name the file itself`;
  const info = statOf(path);
  if (!info) return kind === 'checkpoint' ? folderProblem(dirname(path)) : undefined;
  if (info.isFIFO()) return 'it is a FIFO';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'it is a device';
  if (info.isSocket()) return 'it is a socket';
  // A folder named as a JSONL file is a failing file (counted, retried), as a path it cannot create.
  if (info.isDirectory()) return kind === 'checkpoint' ? 'it is a folder' : undefined;
  if (!info.isFile() || info.size === 0) return undefined;
  let head: string;
  try {
    head = firstBytes(path, 64);
  } catch {
    // Unreadable: the write will fail too, and say why.
    return undefined;
  }
  if (kind === 'checkpoint') {
    return head.startsWith(`${CHECKPOINT_MAGIC} `) ? undefined : 'it exists and is not a TradeSim checkpoint';
  }
  return TRADESIM_LINE.test(head) ? undefined : 'it exists and holds no TradeSim lines';
}

const isSymbolicLink = (path: string): boolean => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

/**
 * Why moving a log aside would touch a file TradeSim did not make: the rotated files NAME.1,
 * NAME.2 ... that exist from the first on (those moveAside renames, the last one kept deleted)
 * must be TradeSim's lines, or empty.
 */
function rotatedProblem(path: string, keep: number): string | undefined {
  for (let n = 1; n <= Math.max(keep, 1); n++) {
    const rotated = `${path}.${n}`;
    if (!isSymbolicLink(rotated) && !statOf(rotated)) return undefined;
    if (isSymbolicLink(rotated) || kindProblem(rotated, 'jsonl') || !statOf(rotated)?.isFile()) {
      return `${rotated} is not a file of TradeSim's, and moving the log aside would move or delete it`;
    }
  }
  return undefined;
}

/**
 * Whether the run may move a log aside, renaming NAME.1 on: at start unless it appends (a
 * resumed run moves another run's log aside), and at each rotation unless it never rotates or
 * keeps no rotated file (then a rotation only deletes the log).
 */
const movesAside = (files: RunFiles): boolean =>
  !files.append || files.resume || (files.maxBytes > 0 && files.keep > 0);

/**
 * Refuses a file of the run named as the JSONL file or event log is once rotated (NAME.1,
 * NAME.2, ...): rotation would move it away, or delete it past --jsonl-keep.
 */
function rotatedNamesOrRefuse(
  named: readonly { what: string; flag: string; path: string }[],
  refuse: (flag: string, path: string, reason: string) => never,
): void {
  for (const log of named.filter((n) => n.what === 'the JSONL file' || n.what === 'the event log')) {
    const base = resolve(log.path);
    for (const other of named) {
      const full = resolve(other.path);
      if (full.startsWith(`${base}.`) && /^\d+$/.test(full.slice(base.length + 1)))
        refuse(
          other.flag,
          other.path,
          `it is one of ${log.what}'s rotated names (${log.flag}): rotation would move it`,
        );
    }
  }
}

/**
 * Refuses, with TRADESIM_ERR_CLI_OUTPUT_REFUSED, an output path that is a device, a FIFO, a
 * symbolic link, a file not made by TradeSim (a checkpoint without the checkpoint header, a
 * JSONL file whose first line is not TradeSim's, or one of its rotated files, NAME.1 on, that
 * is not), a JSONL file to append to that has other names (hard
 * links, whose lock this run cannot see), or the same file (by path or by device and inode, so a
 * link counts) as another file of the run: the scenario, the JSONL file, the event log, the
 * checkpoint, the checkpoint read, or a lock beside one of them (a temporary file is named by
 * its process: no path given can be it).
 */
export function checkRunFiles(files: RunFiles): void {
  const refuse = (flag: string, path: string, reason: string): never => {
    throw new CliErrors.TRADESIM_ERR_CLI_OUTPUT_REFUSED(flag, path, reason);
  };
  const outputs: [flag: string, path: string | null, kind: 'jsonl' | 'checkpoint'][] = [
    ['--jsonl', files.jsonl, 'jsonl'],
    ['--events', files.events, 'jsonl'],
    ['--checkpoint', files.checkpoint, 'checkpoint'],
  ];
  // Every file the run reads or writes, with what it is; no two may be one file.
  const named: { what: string; flag: string; path: string }[] = [];
  const add = (flag: string, what: string, path: string | null) => {
    if (path !== null) named.push({ flag, what, path });
  };
  add('--scenario', 'the scenario file', files.scenarioFile);
  add(files.from?.flag ?? '', 'the checkpoint read', files.from?.path ?? null);
  add('--jsonl', 'the JSONL file', files.jsonl);
  add('--jsonl', "the JSONL file's lock", files.jsonl === null ? null : lockOf(files.jsonl));
  add('--events', 'the event log', files.events);
  add('--events', "the event log's lock", files.events === null ? null : lockOf(files.events));
  add('--checkpoint', 'the checkpoint', files.checkpoint);
  add('--checkpoint', "the checkpoint's lock", files.checkpoint === null ? null : lockOf(files.checkpoint));
  const identity = named.map(({ path }) => {
    const info = statOf(path);
    return { full: resolve(path), inode: info ? `${info.dev}:${info.ino}` : undefined };
  });
  for (let i = 0; i < named.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = identity[i]!;
      const b = identity[j]!;
      if (a.full !== b.full && (a.inode === undefined || a.inode !== b.inode)) continue;
      const [earlier, later] = [named[j]!, named[i]!];
      // Overwriting the checkpoint a run resumes from is how a run goes on saving itself.
      if (earlier.what === 'the checkpoint read' && later.what === 'the checkpoint') continue;
      if (earlier.flag === later.flag) continue;
      refuse(later.flag, later.path, `it is also ${earlier.what} (${earlier.flag})`);
    }
  }
  rotatedNamesOrRefuse(named, refuse);
  for (const [flag, path, kind] of outputs) {
    if (path === null) continue;
    const problem =
      kindProblem(path, kind) ?? (kind === 'jsonl' && movesAside(files) ? rotatedProblem(path, files.keep) : undefined);
    if (problem) refuse(flag, path, problem);
    // A file with another name may be another run's live file: its lock is under that name.
    const links = statOf(path)?.nlink ?? 1;
    if (kind === 'jsonl' && files.append && links > 1) {
      refuse(flag, path, `it has ${links} names (hard links); a run appends only to a file with one name`);
    }
  }
}
