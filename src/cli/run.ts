import type { FastifyInstance } from 'fastify';
import {
  loadAppBuilder,
  createExporter,
  createSystemSampler,
  type Exporter,
  type JsonlStats,
  type SystemSampler,
  isLoopback,
  createPusher,
  createFaults,
  type Faults,
  type OutputKind,
} from '../monitoring/index.js';
import type { TurnLoop } from '../services/index.js';
import type { CliOptions } from './args.js';
import { applyBreakItFlags } from './break-it-flags.js';
import { CliErrors } from './errors.js';
import { createOutputFaults, escapeControls, type OutputFaults } from './output-faults.js';
import { checkRunFiles } from './output-paths.js';
import { buildLoop, resolveOrigin, type RunOrigin } from './run-origin.js';
import { openRunLogs, outputErrorCounts, type RunLogs, scheduleCheckpoints } from './run-outputs.js';
import type { TextOut } from './safe-writer.js';
import { createStatusPrinter } from './status-line.js';

/** Where the run talks to: stdout for status, stderr for notices and logs. */
export interface RunIo {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
}

/** How long closing the server and the file may take before the run ends anyway. */
const CLOSE_DEADLINE_MS = 1_500;

/** Settles when `work` does or after `ms`, whichever comes first. */
function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void work
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        resolve();
      });
  });
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

async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  try {
    await app.listen({ host, port });
    // The address bound, as given (0.0.0.0 stays 0.0.0.0), with the port the system chose.
    const bound = app.server.address();
    const shown = host.includes(':') ? `[${host}]` : host;
    return `http://${shown}:${typeof bound === 'object' && bound ? bound.port : port}`;
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new CliErrors.TRADESIM_ERR_CLI_PORT_IN_USE(host, port);
    throw new CliErrors.TRADESIM_ERR_CLI_FLAG_INVALID(
      `--host/--port: cannot listen on ${host}:${port}: ${(error as Error).message}`,
    );
  }
}

/** Builds the HTTP app on the loop and listens; resolves with the app and its address. */
async function startServer(
  options: CliOptions,
  deps: {
    readonly loop: TurnLoop;
    readonly exporter: Exporter;
    readonly faults: Faults;
    readonly logs: RunLogs;
    readonly startedAtMs: number;
  },
  stderr: TextOut,
): Promise<{ readonly app: FastifyInstance; readonly url: string }> {
  const buildApp = await loadAppBuilder();
  const app = buildApp({
    loop: deps.loop,
    exporter: deps.exporter,
    jsonl: () => deps.logs.writer?.stats(),
    startedAtMs: deps.startedAtMs,
    stallAfterSeconds: Math.max(10, (10 * options.intervalMs) / 1000),
    faults: deps.faults,
    controls: options.allowControl ? 'any' : isLoopback(options.host) ? 'loopback' : 'off',
    controlToken: options.controlToken,
    // Warnings and errors only: Fastify's own info lines (raw JSON) would break the banner.
    logger: { level: 'warn', stream: stderr },
  });
  return { app, url: await listen(app, options.host, options.port) };
}

/**
 * A batch or flat-out run reaches Prometheus through the Pushgateway: every few seconds, and
 * once more at the end. A failing push is a warning at most once a minute; the run goes on.
 */
function startPusher(options: CliOptions, runId: string, exporter: Exporter, faults: OutputFaults) {
  if (options.pushgateway === null) return undefined;
  return createPusher({
    url: options.pushgateway,
    deleteAtEnd: options.pushDelete,
    runId,
    everyMs: options.pushEverySeconds * 1000,
    render: async () => (await exporter.render()).body,
    onError: (message) => faults.report('push', `push failed: ${message}`),
    timeoutMs: CLOSE_DEADLINE_MS,
  });
}

/** The banner on stderr: scenario, seed, run, and where the run serves and writes. */
function announce(
  options: CliOptions,
  origin: RunOrigin,
  runId: string,
  url: string | null,
  logs: RunLogs,
  stderr: TextOut,
): void {
  const { saved } = origin;
  if (!options.quiet) {
    stderr.write(
      `tradesim: scenario ${escapeControls(origin.config.scenario.name)}, seed ${origin.seed}, run ${runId}` +
        `${saved ? `, ${options.resume !== null ? 'resumed' : 'forked'} from turn ${saved.turn}` : ''}` +
        `${url ? `, serving ${url}/metrics` : ''}${logs.writer ? `, writing ${options.jsonl}` : ''}` +
        `${logs.eventLog ? `, events to ${options.events}` : ''}\n`,
    );
  }
  if (url && !isLoopback(options.host)) {
    stderr.write(`tradesim: warning: listening on ${options.host}: the endpoints are reachable from the network\n`);
  }
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

/**
 * After --turns, the final state stays on /metrics and /health ('finished') this long, so
 * Prometheus can scrape a short run; `end()` (a stop signal) ends the wait.
 */
function createLinger(seconds: number) {
  let endWait = () => {};
  let ended = false;
  return {
    wait: (): Promise<void> | undefined =>
      seconds > 0 && !ended
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, seconds * 1000);
            endWait = () => {
              clearTimeout(timer);
              resolve();
            };
          })
        : undefined,
    end() {
      ended = true;
      endWait();
    },
  };
}

/** What a run lost, one phrase an output; `checkpointTurn` is the turn whose checkpoint is missing. */
function lostOutputs(options: CliOptions, lines: Record<OutputKind, number>, checkpointTurn: number | null): string[] {
  const phrases: string[] = [];
  if (lines.jsonl > 0) phrases.push(`${lines.jsonl} JSONL lines (${options.jsonl})`);
  if (lines.events > 0) phrases.push(`${lines.events} event-log lines (${options.events})`);
  if (checkpointTurn !== null) phrases.push(`the checkpoint of turn ${checkpointTurn} (${options.checkpoint})`);
  return phrases;
}

/**
 * Starts a run: validates the scenario, builds the three layers, listens, opens the JSONL
 * file, then runs the loop. Everything that can be refused (flags, scenario, port) is
 * checked before any file is written.
 */
export async function startRun(options: CliOptions, io: RunIo): Promise<Run> {
  const origin = resolveOrigin(options);
  checkRunFiles({ ...options, scenarioFile: origin.scenarioFile, from: origin.from, append: options.jsonlAppend });
  const { simulation, loop } = buildLoop(origin, options, io.stderr);
  const faults = createFaults(loop, (message) => io.stderr.write(`tradesim: ${message}\n`));
  applyBreakItFlags(options, loop, faults);
  const startedAtMs = Date.now();
  const sampler = createSystemSampler();
  const logs: RunLogs = {};
  const outputFaults = createOutputFaults(io.stderr);
  const outputErrors = () => outputErrorCounts(outputFaults, logs);
  const exporter = createExporter({
    loop,
    seriesBudget: options.maxSeries,
    jsonl: () => logs.writer?.stats(),
    system: () => sampler.latest(),
    outputErrors,
    alertHoldMs: options.alertHoldSeconds * 1000,
  });
  const server = options.server
    ? await startServer(options, { loop, exporter, faults, logs, startedAtMs }, io.stderr)
    : undefined;
  const app = server?.app;
  const url = server?.url ?? null;
  const writeLastLine = await openRunLogs(
    {
      options,
      loop,
      simulation,
      sampler,
      faults: outputFaults,
      stderr: io.stderr,
      onRefused: () => Promise.all([logs.writer?.close(), app?.close()]),
    },
    logs,
  );
  const checkpoints = scheduleCheckpoints(options, origin, { simulation, loop }, outputFaults);
  const pusher = startPusher(options, loop.runId, exporter, outputFaults);
  // Paced runs show every turn; faster ones at most one line a second.
  const status = options.quiet ? undefined : createStatusPrinter(io.stdout, options.intervalMs >= 250 ? 0 : 1_000);
  if (status) loop.subscribe((snapshot) => status.update(snapshot));
  announce(options, origin, loop.runId, url, logs, io.stderr);

  const running = loop.run({
    intervalMs: options.intervalMs,
    ...(options.turns === null ? {} : { turns: options.turns }),
  });
  startSampler(sampler, io.stderr);
  let closing: Promise<void> | undefined;
  const close = async () => {
    checkpoints.save();
    writeLastLine();
    status?.finish();
    sampler.stop();
    // Each close has a deadline: a stuck disk or a client holding a socket never keeps the
    // process alive (the writer bounds its own wait too).
    await withDeadline(Promise.all([logs.writer?.close(), logs.eventLog?.close(), pusher?.stop()]), CLOSE_DEADLINE_MS);
    exporter.detach();
    await withDeadline(app?.close() ?? Promise.resolve(), CLOSE_DEADLINE_MS);
  };
  const linger = createLinger(app ? options.lingerSeconds : 0);
  const finished = running.then(linger.wait).then(() => (closing ??= close()));
  return {
    loop,
    url,
    jsonl: () => logs.writer?.stats(),
    finished,
    lost: () => lostOutputs(options, outputErrors(), checkpoints.upToDate() ? null : simulation.turn),
    async stop() {
      linger.end();
      await loop.stop();
      await running;
      await (closing ??= close());
    },
  };
}
