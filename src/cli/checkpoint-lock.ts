/*
 * One live run per checkpoint file, as per JSONL file: `PATH.lock` names the run writing it.
 * Two runs given one --checkpoint would each overwrite the other's, and a resume would go on
 * from whichever wrote last.
 */
import { dirname } from 'node:path';
import { holdLock, makeDirs, takeLock } from '../monitoring/index.js';
import { escapeControls } from './control-characters.js';
import { CliErrors } from './errors.js';
import type { TextOut } from './safe-writer.js';

/** Gives a checkpoint's lock back (nothing when there is none). */
export type CheckpointRelease = () => Promise<void>;

/**
 * Takes the lock of the checkpoint at `path` for run `runId` (its folder made first), held
 * until released, or the process exits however it exits: a lock another live run holds is a
 * refusal (exit 2), a stale one is taken over with a warning.
 */
export async function lockCheckpoint(path: string | null, runId: string, stderr: TextOut): Promise<CheckpointRelease> {
  const none = async () => undefined;
  if (path === null) return none;
  let lock: Awaited<ReturnType<typeof takeLock>>;
  try {
    await makeDirs(dirname(path));
    lock = await takeLock(path, runId);
  } catch (error) {
    // Where no lock can be made, no checkpoint can be written either: the run says so when it tries.
    stderr.write(`tradesim: warning: checkpoint ${path}: no lock taken: ${(error as Error).message}\n`);
    return none;
  }
  if (lock.state === 'held') {
    const { pid, run } = lock.holder;
    throw new CliErrors.TRADESIM_ERR_CLI_CHECKPOINT_IN_USE(path, `pid ${pid}${run ? `, run ${run}` : ''}`);
  }
  if (lock.tookOver !== undefined) {
    stderr.write(`tradesim: warning: checkpoint ${path}: took over a stale lock (${escapeControls(lock.tookOver)})\n`);
  }
  const release = holdLock(path);
  return async () => release();
}
