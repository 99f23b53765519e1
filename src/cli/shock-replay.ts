/* The live shocks a run replays (--replay-shocks): from an event log or a checkpoint. */
import { readFileSync, statSync } from 'node:fs';
import type { LiveShockRecord } from '../services/index.js';
import { CHECKPOINT_MAGIC, readCheckpoint } from './checkpoint-file.js';
import { CliErrors } from './errors.js';

/** The largest event log read for a replay. */
const MAX_EVENT_LOG_BYTES = 512 * 1024 * 1024;

/** The live shocks an event log records: its starts with `source: "live"` and its early stops. */
export function recordsFromEventLog(text: string): LiveShockRecord[] {
  const records: LiveShockRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('"kind":"shock"')) continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a torn last line
    }
    const index = e.timelineIndex as number;
    const turn = e.turn as number;
    if (e.phase === 'start' && e.source === 'live') {
      const { type, at, turns, severity, percent, continent, productType } = e;
      const shock = { at, shock: type, turns, severity, percent, continent, productType };
      for (const key of ['continent', 'productType'] as const) if (shock[key] === undefined) delete shock[key];
      records.push({ turn, action: 'start', index, shock: shock as NonNullable<LiveShockRecord['shock']> });
    } else if (e.phase === 'end' && e.stopped === true) {
      records.push({ turn, action: 'stop', index });
    }
  }
  return records;
}

/** The live record of a checkpoint or an event log (a checkpoint starts with its magic line). */
export function readReplayRecords(path: string): readonly LiveShockRecord[] {
  const head = (() => {
    try {
      if (statSync(path).size > MAX_EVENT_LOG_BYTES) return 'too large';
      return readFileSync(path).subarray(0, CHECKPOINT_MAGIC.length).toString('latin1');
    } catch (error) {
      throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
        `--replay-shocks: cannot read ${path}: ${(error as Error).message}`,
      );
    }
  })();
  if (head === 'too large') {
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      `--replay-shocks: ${path} is larger than ${MAX_EVENT_LOG_BYTES} bytes`,
    );
  }
  if (head !== CHECKPOINT_MAGIC) return recordsFromEventLog(readFileSync(path, 'utf8'));
  return readCheckpoint(path).loop.liveShocks ?? [];
}
