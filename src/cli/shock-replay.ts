/* The live shocks a run replays (--replay-shocks): from an event log or a checkpoint. */
import { type LiveShockRecord, liveShockRecordProblem, liveShocksProblem } from '../services/index.js';
import { CHECKPOINT_MAGIC, readCheckpoint } from './checkpoint-file.js';
import { CliErrors } from './errors.js';
import { readWholeFile } from './whole-file.js';

/** The largest event log read for a replay. */
const MAX_EVENT_LOG_BYTES = 512 * 1024 * 1024;

const refuse = (why: string): never => {
  throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(`--replay-shocks: ${why}`);
};

/** A live start or early stop of a shock event, or undefined for any other event. */
function recordOf(e: Record<string, unknown>): LiveShockRecord | undefined {
  const index = e.timelineIndex as number;
  const turn = e.turn as number;
  if (e.phase === 'start' && e.source === 'live') {
    const { type, at, turns, severity, percent, continent, productType } = e;
    const shock = { at, shock: type, turns, severity, percent, continent, productType };
    for (const key of ['continent', 'productType'] as const) if (shock[key] === undefined) delete shock[key];
    return { turn, action: 'start', index, shock: shock as NonNullable<LiveShockRecord['shock']> };
  }
  if (e.phase === 'end' && e.stopped === true) return { turn, action: 'stop', index };
  return undefined;
}

/**
 * The live shocks an event log records: its starts with `source: "live"` and its early stops.
 * A line that records one this run could not take (a shock the timeline's schema refuses, a
 * place past its bound: a hand-edited log) is refused, named by its number, as is a text
 * that holds text but no event (another file given by mistake). A torn last line is left out.
 */
export function recordsFromEventLog(text: string, name = 'the event log'): LiveShockRecord[] {
  // Another file given by mistake is said as such, before its first line is read as a damaged one.
  if (text.trim() !== '' && !/"kind"\s*:\s*"/.test(text)) refuse(`${name}: not a TradeSim event log or checkpoint`);
  const records: LiveShockRecord[] = [];
  const lines = text.split('\n');
  let run: string | undefined;
  lines.forEach((line, i) => {
    // Every line is read: a damaged one (cut before its kind) may have been a shock.
    if (line.trim() === '') return;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      // A torn last line (no newline after it) is left out; a damaged line before it would
      // leave a place the replay fills with a shock that never starts: another market.
      if (i === lines.length - 1) return;
      refuse(`${name}: line ${i + 1}: not valid JSON`);
    }
    if ((e as { kind?: unknown } | null)?.kind !== 'shock') return;
    // One run's shocks: a log appended to by several runs mixes their places.
    const named = (e as { run?: unknown } | null)?.run;
    const lineRun = typeof named === 'string' ? named : undefined;
    if (run !== undefined && lineRun !== undefined && lineRun !== run) {
      refuse(
        `${name}: line ${i + 1}: a shock of run ${String(lineRun)}, after run ${String(run)}'s: give one run's log`,
      );
    }
    run ??= lineRun;
    const record = e !== null && typeof e === 'object' ? recordOf(e as Record<string, unknown>) : undefined;
    if (!record) return;
    const problem = liveShockRecordProblem(record);
    if (problem) refuse(`${name}: line ${i + 1}: not a live shock this run can replay (${problem})`);
    records.push(record);
  });
  return records;
}

/** What readWholeFile's first look says of a checkpoint: read by the checkpoint's own reader, not here too. */
const A_CHECKPOINT = 'a checkpoint';

/** The live record of a checkpoint or an event log (a checkpoint starts with its magic line). */
export function readReplayRecords(path: string): readonly LiveShockRecord[] {
  const head = {
    bytes: CHECKPOINT_MAGIC.length,
    problem: (first: string) => (first === CHECKPOINT_MAGIC ? A_CHECKPOINT : undefined),
  };
  let checkpointFound = false;
  try {
    const bytes = readWholeFile(
      path,
      MAX_EVENT_LOG_BYTES,
      (problem) => {
        checkpointFound = problem === A_CHECKPOINT;
        return refuse(`cannot read ${path}: ${problem}`);
      },
      head,
    );
    return recordsFromEventLog(bytes.toString('utf8'), path);
  } catch (error) {
    if (!checkpointFound) throw error;
  }
  const checkpoint = readCheckpoint(path);
  const problem = liveShocksProblem(checkpoint.loop.liveShocks);
  if (problem) refuse(`${path}: ${problem}`);
  return checkpoint.loop.liveShocks ?? [];
}
