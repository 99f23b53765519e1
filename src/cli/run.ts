import {
  createExporter,
  createSystemSampler,
  type JsonlStats,
  type SystemSampler,
  createFaults,
  settleWithin,
} from '../monitoring/index.js';
import type { TurnLoop } from '../services/index.js';
import type { CliOptions } from './args.js';
import { applyBreakItFlags } from './break-it-flags.js';
import { scheduleCheckpoints } from './checkpoint-file.js';
import { lockCheckpoint } from './checkpoint-lock.js';
import { escapeControls } from './control-characters.js';
import { createOutputFaults } from './output-faults.js';
import { checkRunFiles, runFilesOf } from './output-paths.js';
import {
  announce,
  CLOSE_DEADLINE_MS,
  createEndableWait,
  createLinger,
  lostOutputs,
  heldFiringsDeadline,
  settleFiringsOnStop,
  waitOutHeldFirings,
  startPusher,
} from './run-lifecycle.js';
import { buildLoop } from './run-loop.js';
import { resolveOrigin } from './run-origin.js';
import { openRunLogs, outputErrorCounts, type RunLogs } from './run-outputs.js';
import { startServer } from './run-server.js';
import type { TextOut } from './safe-writer.js';
import { createStatusPrinter } from './status-line.js';

/** Where the run talks to: stdout for status, stderr for notices and logs. */
export interface RunIo {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
}

/** A started run. */
export interface Run {
  readonly loop: TurnLoop;
  /** The address the server listens on, or null with --no-server. */
  readonly url: string | null;
  /** The JSONL writer's figures, or undefined with --no-jsonl. */
  jsonl(): JsonlStats | undefined;
  /** Settles when the run is over: its turns are done, or stop() was called. */
  readonly finished: Promise<void>;
  /** What the run lost once it is over: JSONL or event-log lines, its last checkpoint; one phrase each. */
  lost(): string[];
  /** Stops after the current turn, writes the last snapshot, flushes, closes the server. */
  stop(): Promise<void>;
}

/**
 * The first sample comes after the first turn, in the background: its synchronous part would
 * delay the first turn, and lines before it carry no system figures.
 */
function startSampler(sampler: SystemSampler, stderr: TextOut): void {
  setImmediate(() => {
    void sampler.start().catch((error: unknown) => {
      stderr.write(
        `tradesim: warning: no system figures yet (tried again every 5 s): ${escapeControls((error as Error).message.split('\n')[0] ?? '')}\n`,
      );
    });
  });
}

/** The run's exporter: the loop's figures, and what the run's files, sampler and outputs say. */
function runExporter(
  options: CliOptions,
  loop: TurnLoop,
  sampler: ReturnType<typeof createSystemSampler>,
  logs: RunLogs,
  outputErrors: () => Readonly<Record<string, number>>,
) {
  return createExporter({
    loop,
    seriesBudget: options.maxSeries,
    jsonl: () => logs.writer?.stats(),
    system: () => sampler.latest(),
    outputErrors,
    outputWaits: () => ({
      jsonl: logs.writer?.stats().waitSeconds ?? 0,
      events: logs.eventLog?.stats().waitSeconds ?? 0,
    }),
    alertHoldMs: options.alertHoldSeconds * 1000,
  });
}

/**
 * Starts a run: validates the scenario, builds the three layers, listens, opens the JSONL
 * file, then runs the loop. Everything that can be refused (flags, scenario, port) is
 * checked before any file is written.
 */
export async function startRun(options: CliOptions, io: RunIo): Promise<Run> {
  const origin = resolveOrigin(options);
  checkRunFiles(runFilesOf(options, origin));
  const { simulation, loop } = buildLoop(origin, options, io.stderr);
  const faults = createFaults(loop, (message) => io.stderr.write(`tradesim: ${message}\n`));
  const outputFaults = createOutputFaults(io.stderr);
  applyBreakItFlags(options, loop, faults);
  const identity = { scenario: origin.scenarioName, scenarioText: origin.scenarioText, seed: origin.seed };
  const checkpoints = scheduleCheckpoints(options, identity, { simulation, loop }, outputFaults);
  const startedAtMs = Date.now();
  const sampler = createSystemSampler();
  const logs: RunLogs = {};
  const outputErrors = () => outputErrorCounts(outputFaults, logs);
  const exporter = runExporter(options, loop, sampler, logs, outputErrors);
  const server = options.server
    ? await startServer(options, { loop, exporter, faults, logs, startedAtMs }, io.stderr)
    : undefined;
  const app = server?.app;
  const url = server?.url ?? null;
  // After a taken port (which writes nothing), before the logs (which move an old file aside).
  const releaseCheckpoint = await lockCheckpoint(options.checkpoint, loop.runId, io.stderr).catch(async (error) => {
    await app?.close();
    throw error;
  });
  const writeLastLine = await openRunLogs(
    {
      options,
      loop,
      simulation,
      sampler,
      faults: outputFaults,
      stderr: io.stderr,
      onRefused: () => Promise.all([logs.writer?.close(), app?.close(), releaseCheckpoint()]),
    },
    logs,
  );
  // Paced runs show every turn; faster ones at most one line a second.
  const status = options.quiet ? undefined : createStatusPrinter(io.stdout, options.intervalMs >= 250 ? 0 : 1_000);
  if (status) loop.subscribe((snapshot) => status.update(snapshot));
  const pusher = startPusher(options, loop.runId, exporter, outputFaults, io.stderr);
  announce(options, origin, loop.runId, url, logs, io.stderr);

  const running = loop.run({
    intervalMs: options.intervalMs,
    // A disk slower than the run holds it back: lines wait for the file rather than be dropped.
    holdBack: () => logs.writer?.behind() ?? logs.eventLog?.behind(),
    ...(options.turns === null ? {} : { turns: options.turns }),
  });
  startSampler(sampler, io.stderr);
  const say = options.quiet ? undefined : (message: string) => io.stderr.write(message);
  const { endFiles, close } = runEnding({ checkpoints, writeLastLine, releaseCheckpoint, status, logs, sampler }, () =>
    closeOutputs(pusher, exporter, app, say),
  );
  const linger = createLinger(app ? options.lingerSeconds : 0);
  const holding = createEndableWait();
  const finished = running
    .then(endFiles)
    .then(async () => {
      await linger.wait();
      // After the linger, which counts toward a resolved firing's hold; one still firing ends then.
      const reach = { pusher, scraped: exporter.scraped() };
      const pushedOnly = Boolean(pusher) && !reach.scraped && !options.pushDelete;
      await waitOutHeldFirings(heldFiringsDeadline(exporter, pushedOnly), reach, holding, say);
    })
    .then(close);
  return {
    loop,
    url,
    jsonl: () => logs.writer?.stats(),
    finished,
    lost: () => lostOutputs(options, outputErrors(), checkpoints.upToDate() ? null : simulation.turn),
    async stop() {
      linger.end();
      holding.end();
      await loop.stop();
      await running;
      await close();
    },
  };
}

/**
 * How a run ends: its files written as soon as its last turn is played (endFiles: a linger or
 * a held push never keeps a finished run's checkpoint or last line waiting, nor loses them to
 * a kill), then everything else closed (close), each once whoever asks first.
 */
function runEnding(
  files: {
    readonly checkpoints: ReturnType<typeof scheduleCheckpoints>;
    readonly writeLastLine: () => void;
    readonly releaseCheckpoint: () => Promise<void>;
    readonly status: ReturnType<typeof createStatusPrinter> | undefined;
    readonly logs: RunLogs;
    readonly sampler: ReturnType<typeof createSystemSampler>;
  },
  closeRest: () => Promise<void>,
): { readonly endFiles: () => Promise<void>; readonly close: () => Promise<void> } {
  const endFiles = once(async () => {
    files.checkpoints.save();
    await files.releaseCheckpoint();
    files.writeLastLine();
    files.status?.finish();
    await Promise.all([files.logs.writer?.close(), files.logs.eventLog?.close()]);
  });
  const close = once(async () => {
    await endFiles();
    files.sampler.stop();
    await closeRest();
  });
  return { endFiles, close };
}

/** `make`'s promise, made at the first call and the same at every later one. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/**
 * Closes the run's outputs but its files (closed at its end already), each with a deadline: a
 * client holding a socket never keeps the process alive. (The file writers bound their own
 * wait: as long as their file takes lines, then CLOSE_DEADLINE_MS of nothing.)
 */
async function closeOutputs(
  pusher: ReturnType<typeof startPusher>,
  exporter: ReturnType<typeof createExporter>,
  app: { close(): Promise<unknown> } | undefined,
  say: ((message: string) => void) | undefined,
): Promise<void> {
  if (app) await settleFiringsOnStop(exporter, say);
  await settleWithin(pusher?.stop() ?? Promise.resolve(), CLOSE_DEADLINE_MS);
  exporter.detach();
  await settleWithin(app?.close() ?? Promise.resolve(), CLOSE_DEADLINE_MS);
}
