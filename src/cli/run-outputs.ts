/*
 * The logs a run writes as it goes: the JSONL snapshot file and the event log, each
 * subscribed to the turn loop.
 */
import {
  createSnapshotLine,
  type JsonlWriter,
  linesLeaveOut,
  type OutputKind,
  type SystemSampler,
  writeEventLines,
} from '../monitoring/index.js';
import type { TurnLoop } from '../services/index.js';
import type { Simulation } from '../simulation/index.js';
import type { CliOptions } from './args.js';
import type { OutputFaults } from './output-faults.js';
import { lastLineIsOfRun, openRunLog } from './run-log.js';
import type { TextOut } from './safe-writer.js';

/** A run's JSONL file and event log, each set as soon as it is open (/health reads them). */
export interface RunLogs {
  writer?: JsonlWriter | undefined;
  eventLog?: JsonlWriter | undefined;
}

/** What the run's files need from the run. */
export interface RunOutputDeps {
  readonly options: CliOptions;
  readonly loop: TurnLoop;
  readonly simulation: Simulation;
  readonly sampler: SystemSampler;
  readonly faults: OutputFaults;
  readonly stderr: TextOut;
  /** Closes what the run opened, when a log is refused. */
  readonly onRefused: () => Promise<unknown>;
}

/** The lines each output lost so far, by output. */
export function outputErrorCounts(faults: OutputFaults, logs: RunLogs): Record<OutputKind, number> {
  return {
    ...faults.counts(),
    jsonl: logs.writer?.stats().writeErrors ?? 0,
    events: logs.eventLog?.stats().writeErrors ?? 0,
  };
}

/**
 * Opens the JSONL file and event log and subscribes them to the loop: a snapshot line every
 * --jsonl-every turns, the event lines of every turn. A file another live run writes is
 * refused before the run starts; a failing one is not. A resumed run appends only to a log
 * its own run wrote last: another run's is moved aside. Returns the writer of the last
 * turn's line, for when --jsonl-every skipped it.
 */
export async function openRunLogs(deps: RunOutputDeps, logs: RunLogs): Promise<() => void> {
  const { options, loop } = deps;
  const open = (path: string, kind: 'jsonl' | 'events') =>
    openRunLog(
      {
        path,
        kind,
        options,
        append: options.jsonlAppend && (options.resume === null || lastLineIsOfRun(path, loop.runId)),
        runId: loop.runId,
        faults: deps.faults,
        stderr: deps.stderr,
      },
      deps.onRefused,
    );
  const writer = options.jsonl !== null ? await open(options.jsonl, 'jsonl') : undefined;
  logs.writer = writer;
  const eventLog = options.events !== null ? await open(options.events, 'events') : undefined;
  logs.eventLog = eventLog;
  if (eventLog) {
    loop.subscribe((snapshot, report) => {
      // A copy of each line: the writer makes its chunk later, and the bytes are a reused buffer.
      writeEventLines(snapshot, report, deps.simulation.world, loop.shocks, (line) =>
        eventLog.write(new Uint8Array(line)),
      );
    });
  }
  let lastWrittenTurn = 0;
  const ordersWaiting = Array.from(deps.simulation.world.ordersWaiting).reduce((sum, n) => sum + n, 0);
  const lineBytes = createSnapshotLine(linesLeaveOut(loop.config.scenario, ordersWaiting));
  const writeLine = (turn: number) => {
    const latest = loop.latest();
    if (!writer || !latest || latest.turn !== turn) return;
    writer.write(() => lineBytes(latest, deps.sampler.latest()));
    lastWrittenTurn = turn;
  };
  loop.subscribe((snapshot) => {
    if (snapshot.turn % options.jsonlEvery === 0) writeLine(snapshot.turn);
  });
  return () => {
    const latest = loop.latest();
    if (latest && latest.turn !== lastWrittenTurn) writeLine(latest.turn);
  };
}
