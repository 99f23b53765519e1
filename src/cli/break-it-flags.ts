import { readFileSync, statSync } from 'node:fs';
import type { Faults } from '../monitoring/index.js';
import type { LiveShockRecord, TurnLoop } from '../services/index.js';
import { TradeSimError } from '../simulation/index.js';
import { readCheckpoint } from './checkpoint-file.js';
import { CliErrors } from './errors.js';
import type { FlagSpec } from './flag-spec.js';

/** The largest event log read for a replay. */
const MAX_EVENT_LOG_BYTES = 512 * 1024 * 1024;

/** The shock request of a `--shock` spec (`at=+N` is read by the services, from the start turn). */
function shockOf(spec: FlagSpec): Record<string, unknown> {
  const { type, ...rest } = spec;
  return { shock: type, ...rest };
}

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
function readRecords(path: string): readonly LiveShockRecord[] {
  const head = (() => {
    try {
      if (statSync(path).size > MAX_EVENT_LOG_BYTES) return 'too large';
      return readFileSync(path).subarray(0, 19).toString('latin1');
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
  if (head === 'TRADESIM-CHECKPOINT') return readCheckpoint(path).loop.liveShocks ?? [];
  return recordsFromEventLog(readFileSync(path, 'utf8'));
}

/**
 * Applies `--replay-shocks`, `--shock` and `--fault` to a run about to start: each refusal
 * is one line naming the flag (exit 2), before any file is written.
 */
export function applyBreakItFlags(
  options: {
    readonly shocks: readonly FlagSpec[];
    readonly faults: readonly FlagSpec[];
    readonly replayShocks: string | null;
  },
  loop: TurnLoop,
  faults: Faults,
): void {
  const named = <T>(flag: string, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (error instanceof TradeSimError)
        throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(`${flag}: ${error.message}`);
      throw error;
    }
  };
  if (options.replayShocks !== null) {
    const records = readRecords(options.replayShocks);
    named('--replay-shocks', () => loop.shocks.replay(records));
  }
  for (const spec of options.shocks) named('--shock', () => loop.shocks.start(shockOf(spec)));
  for (const spec of options.faults) {
    const { type, ...rest } = spec;
    named('--fault', () => faults.start({ fault: type, ...rest } as Parameters<Faults['start']>[0]));
  }
}
