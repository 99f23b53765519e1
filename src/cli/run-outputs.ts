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
import { alreadyLogged, type LogTail, logTailOfRun, openRunLog } from './run-log.js';
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

/**
 * The tail of a log a resumed run goes on in, said on stderr when the log holds turns past
 * the checkpoint (the run that saved it went on before it stopped): those lines are not
 * written twice. A JSONL file that ends a cycle of lines or more before the checkpoint's turn
 * lost the lines between (they never reached the disk before its run stopped, or failed to):
 * said too, since the resumed run cannot write them. An event log has lines only on turns with events, so its
 * tail tells nothing of a loss.
 */
function sayTail(deps: RunOutputDeps, path: string, kind: 'jsonl' | 'events', tail: LogTail | undefined) {
  const from = deps.simulation.turn;
  if (tail === undefined) return tail;
  const what = kind === 'jsonl' ? 'JSONL' : 'event log';
  if (tail.turn > from) {
    deps.stderr.write(
      `tradesim: ${what} ${path} holds turns ${from + 1}-${tail.turn} of this run already (written after the ` +
        `checkpoint of turn ${from}): the resumed run does not write them again\n`,
    );
  } else if (kind === 'jsonl' && from - tail.turn >= linesCycle(tail, deps.options.jsonlEvery)) {
    deps.stderr.write(
      `tradesim: JSONL ${path} ends at turn ${tail.turn} of this run, before the checkpoint of turn ${from}: ` +
        `its lines after turn ${tail.turn}, up to the checkpoint's, are not in it and stay missing\n`,
    );
  }
  return tail;
}

/**
 * Turns between two lines of the run that wrote a log, which may have had another
 * --jsonl-every than this one: the larger of this run's and the gap between the log's last two
 * turns; with one line of the run, its turn (a run's first line is at its first cycle's end).
 */
function linesCycle(tail: LogTail, jsonlEvery: number): number {
  return Math.max(jsonlEvery, tail.turn - (tail.previousTurn ?? 0));
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
 * its own run wrote last (another run's is moved aside), and skips the lines it holds
 * already. Returns the writer of the last turn's line, for when --jsonl-every skipped it.
 */
export async function openRunLogs(deps: RunOutputDeps, logs: RunLogs): Promise<() => void> {
  const { options, loop } = deps;
  const open = async (path: string, kind: 'jsonl' | 'events') => {
    const tail = options.resume === null ? undefined : logTailOfRun(path, loop.runId, options.jsonlKeep);
    const append = options.jsonlAppend && (options.resume === null || tail !== undefined);
    const writer = await openRunLog(
      { path, kind, options, append, runId: loop.runId, faults: deps.faults, stderr: deps.stderr },
      deps.onRefused,
    );
    return { writer, logged: alreadyLogged(append ? sayTail(deps, path, kind, tail) : undefined) };
  };
  const jsonl = options.jsonl !== null ? await open(options.jsonl, 'jsonl') : undefined;
  const writer = jsonl?.writer;
  logs.writer = writer;
  const events = options.events !== null ? await open(options.events, 'events') : undefined;
  logs.eventLog = events?.writer;
  if (events) {
    loop.subscribe((snapshot, report) => {
      // A copy of each line: the writer makes its chunk later, and the bytes are a reused buffer.
      writeEventLines(snapshot, report, deps.simulation.world, loop.shocks, (line) => {
        if (!events.logged(report.turn)) events.writer.write(new Uint8Array(line));
      });
    });
  }
  let lastWrittenTurn = 0;
  const ordersWaiting = Array.from(deps.simulation.world.ordersWaiting).reduce((sum, n) => sum + n, 0);
  const lineBytes = createSnapshotLine(linesLeaveOut(loop.config.scenario, ordersWaiting));
  const writeLine = (turn: number) => {
    const latest = loop.latest();
    if (!writer || !latest || latest.turn !== turn) return;
    // A line the file holds already counts as written: the last turn's is not asked for again.
    if (!jsonl.logged(turn)) writer.write(() => lineBytes(latest, deps.sampler.latest()));
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
