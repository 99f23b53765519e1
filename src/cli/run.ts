import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import {
  loadAppBuilder,
  createExporter,
  eventLines,
  createSystemSampler,
  type JsonlStats,
  type JsonlWriter,
  snapshotLineBytes,
  type SystemSampler,
  isLoopback,
  createPusher,
  createFaults,
  type OutputKind,
} from '../monitoring/index.js';
import {
  createTurnLoop,
  liveShocksProblem,
  loadRunConfig,
  type RunConfig,
  scenarioWithLiveShocks,
  type TurnLoop,
} from '../services/index.js';
import { createRng, createSimulation, restoreSimulation, TradeSimError } from '../simulation/index.js';
import type { CliOptions } from './args.js';
import { applyBreakItFlags } from './break-it-flags.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint-file.js';
import { CliErrors } from './errors.js';
import { createOutputFaults, escapeControls } from './output-faults.js';
import { checkRunFiles } from './output-paths.js';
import { lastLineIsOfRun, openRunLog } from './run-log.js';
import type { TextOut } from './safe-writer.js';
import { readScenarioSource } from './scenario-file.js';
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
  readonly service: TurnLoop;
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

/** Raises the services' top lists to the metric series budget, so folding has data. */
function withSeriesBudget(config: RunConfig, maxSeries: number): RunConfig {
  return Object.freeze({
    ...config,
    services: Object.freeze({
      ...config.services,
      topCompanies: Math.max(config.services.topCompanies, maxSeries),
      topProducts: Math.max(config.services.topProducts, maxSeries),
    }),
  });
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

/**
 * Starts a run: validates the scenario, builds the three layers, listens, opens the JSONL
 * file, then runs the loop. Everything that can be refused (flags, scenario, port) is
 * checked before any file is written.
 */
export async function startRun(options: CliOptions, io: RunIo): Promise<Run> {
  // A resumed run goes on with the checkpoint's scenario, seed and random stream; a fork takes
  // its state with a new seed and, if --scenario is given, another scenario on that world.
  const saved =
    options.resume !== null
      ? readCheckpoint(options.resume)
      : options.fork !== null
        ? readCheckpoint(options.fork)
        : undefined;
  const ownScenario = !saved || (options.fork !== null && options.scenarioGiven);
  const scenarioName = ownScenario ? options.scenario : saved.scenario;
  const source = ownScenario ? readScenarioSource(options.scenario) : undefined;
  const scenarioText = source ? source.text : saved!.scenarioText;
  const config = withSeriesBudget(loadRunConfig(scenarioText), options.maxSeries);
  checkRunFiles({
    scenarioFile: source?.path ?? null,
    jsonl: options.jsonl,
    events: options.events,
    checkpoint: options.checkpoint,
    from:
      options.resume !== null
        ? { flag: '--resume', path: options.resume }
        : options.fork !== null
          ? { flag: '--fork', path: options.fork }
          : null,
    append: options.jsonlAppend,
  });
  // A fork without --seed keeps the saved stream (only its scenario differs).
  const newStream = options.fork !== null && options.seed !== null;
  const seed = saved && !newStream ? saved.seed : (options.seed ?? randomInt(0, 2 ** 32));
  // A checkpoint's payload is checked as it is restored; whatever else a crafted one breaks
  // is refused in one line, never a stack trace.
  const fromPath = options.resume ?? options.fork;
  const restoring = <T>(make: () => T): T => {
    try {
      return make();
    } catch (error) {
      if (error instanceof TradeSimError || fromPath === null) throw error;
      throw new CliErrors.TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE(fromPath, `corrupt (${(error as Error).message})`);
    }
  };
  const liveShocks = saved ? liveShocksProblem(saved.loop.liveShocks, saved.turn) : undefined;
  if (liveShocks !== undefined)
    throw new CliErrors.TRADESIM_ERR_CLI_CHECKPOINT_UNREADABLE(fromPath!, `corrupt (${liveShocks})`);
  const simulation = restoring(() =>
    saved
      ? restoreSimulation(
          ownScenario ? config.scenario : scenarioWithLiveShocks(config.scenario, saved.loop.liveShocks),
          seed,
          saved.simulation,
          newStream ? createRng(seed) : undefined,
          ownScenario ? loadRunConfig(saved.scenarioText).scenario : undefined,
        )
      : createSimulation(config.scenario, seed),
  );
  const service = restoring(() =>
    createTurnLoop({
      simulation,
      config,
      ...(saved ? { restore: saved.loop } : {}),
      ...(options.resume !== null ? { runId: saved!.runId } : {}),
      onSubscriberError: (error) => io.stderr.write(`tradesim: subscriber error: ${(error as Error).message}\n`),
    }),
  );
  const faults = createFaults(service, (message) => io.stderr.write(`tradesim: ${message}\n`));
  applyBreakItFlags(options, service, faults);
  const startedAtMs = Date.now();
  const sampler: SystemSampler = createSystemSampler();
  let writer: JsonlWriter | undefined;
  let eventLog: JsonlWriter | undefined;
  const outputFaults = createOutputFaults(io.stderr);
  const outputErrors = (): Record<OutputKind, number> => ({
    ...outputFaults.counts(),
    jsonl: writer?.stats().writeErrors ?? 0,
    events: eventLog?.stats().writeErrors ?? 0,
  });
  const exporter = createExporter({
    service,
    seriesBudget: options.maxSeries,
    jsonl: () => writer?.stats(),
    system: () => sampler.latest(),
    outputErrors,
    alertHoldMs: options.alertHoldSeconds * 1000,
  });

  let app: FastifyInstance | undefined;
  let url: string | null = null;
  if (options.server) {
    const buildApp = await loadAppBuilder();
    app = buildApp({
      service,
      exporter,
      jsonl: () => writer?.stats(),
      startedAtMs,
      stallAfterSeconds: Math.max(10, (10 * options.intervalMs) / 1000),
      faults,
      controls: options.allowControl ? 'any' : isLoopback(options.host) ? 'loopback' : 'off',
      controlToken: options.controlToken,
      // Warnings and errors only: Fastify's own info lines (raw JSON) would break the banner.
      logger: { level: 'warn', stream: io.stderr },
    });
    url = await listen(app, options.host, options.port);
  }

  // A file another live run writes is refused before the run starts; a failing one is not.
  // A resumed run appends only to a log its own run wrote last: another run's is moved aside.
  const appendTo = (path: string) =>
    options.jsonlAppend && (options.resume === null || lastLineIsOfRun(path, service.runId));
  const open = (path: string, kind: 'jsonl' | 'events') =>
    openRunLog(
      { path, kind, options, append: appendTo(path), runId: service.runId, faults: outputFaults, stderr: io.stderr },
      () => Promise.all([writer?.close(), app?.close()]),
    );
  if (options.jsonl !== null) writer = await open(options.jsonl, 'jsonl');
  if (options.events !== null) eventLog = await open(options.events, 'events');
  const log = eventLog;
  if (log) {
    service.subscribe((snapshot, report) => {
      for (const line of eventLines(snapshot, report, simulation.world, service.shocks)) log.write(line);
    });
  }
  let lastWrittenTurn = 0;
  const writeLine = (turn: number) => {
    const latest = service.latest();
    if (!writer || !latest || latest.turn !== turn) return;
    writer.write(() => snapshotLineBytes(latest, sampler.latest()));
    lastWrittenTurn = turn;
  };
  service.subscribe((snapshot) => {
    if (snapshot.turn % options.jsonlEvery === 0) writeLine(snapshot.turn);
  });

  // Checkpoints: every --checkpoint-every turns, between two turns (a subscriber runs after
  // the turn is published and before the next one), and at the end. A failing write keeps the
  // previous checkpoint and is a warning at most once a minute; the run goes on.
  let lastCheckpointTurn = -1;
  const saveCheckpoint = () => {
    if (options.checkpoint === null || simulation.turn === lastCheckpointTurn) return;
    try {
      writeCheckpoint(options.checkpoint, {
        scenario: scenarioName,
        scenarioText,
        seed,
        runId: service.runId,
        turn: simulation.turn,
        simulation: simulation.state(),
        loop: service.checkpoint(),
      });
      lastCheckpointTurn = simulation.turn;
    } catch (error) {
      outputFaults.report(
        'checkpoint',
        `checkpoint not written to ${options.checkpoint}${existsSync(options.checkpoint) ? ' (the previous one is kept)' : ''}: ${(error as Error).message}`,
      );
    }
  };
  if (options.checkpoint !== null && options.checkpointEvery > 0) {
    service.subscribe((snapshot) => {
      if (snapshot.turn % options.checkpointEvery === 0) saveCheckpoint();
    });
  }

  // A batch or flat-out run reaches Prometheus through the Pushgateway: every few seconds,
  // and once more at the end. A failing push is a warning at most once a minute; the run goes on.
  const pusher =
    options.pushgateway === null
      ? undefined
      : createPusher({
          url: options.pushgateway,
          deleteAtEnd: options.pushDelete,
          runId: service.runId,
          everyMs: options.pushEverySeconds * 1000,
          render: async () => (await exporter.render()).body,
          onError: (message) => outputFaults.report('push', `push failed: ${message}`),
          timeoutMs: CLOSE_DEADLINE_MS,
        });

  // Paced runs show every turn; faster ones at most one line a second.
  const status = options.quiet ? undefined : createStatusPrinter(io.stdout, options.intervalMs >= 250 ? 0 : 1_000);
  if (status) service.subscribe((snapshot) => status.update(snapshot));

  if (!options.quiet) {
    io.stderr.write(
      `tradesim: scenario ${escapeControls(config.scenario.name)}, seed ${seed}, run ${service.runId}` +
        `${saved ? `, ${options.resume !== null ? 'resumed' : 'forked'} from turn ${saved.turn}` : ''}` +
        `${url ? `, serving ${url}/metrics` : ''}${writer ? `, writing ${options.jsonl}` : ''}` +
        `${eventLog ? `, events to ${options.events}` : ''}\n`,
    );
  }
  if (url && !isLoopback(options.host)) {
    io.stderr.write(`tradesim: warning: listening on ${options.host}: the endpoints are reachable from the network\n`);
  }

  const loop = service.run({
    intervalMs: options.intervalMs,
    ...(options.turns === null ? {} : { turns: options.turns }),
  });
  // The first sample comes after the first turn, in the background: its synchronous part
  // would delay the first turn, and lines before it carry no system figures.
  setImmediate(() => {
    void sampler.start().catch((error: unknown) => {
      io.stderr.write(
        `tradesim: warning: no system figures yet (tried again every 5 s): ${escapeControls((error as Error).message.split('\n')[0] ?? '')}\n`,
      );
    });
  });
  let closing: Promise<void> | undefined;
  const close = async () => {
    saveCheckpoint();
    // The last turn's line, when --jsonl-every skipped it.
    const latest = service.latest();
    if (latest && latest.turn !== lastWrittenTurn) writeLine(latest.turn);
    status?.finish();
    sampler.stop();
    // Each close has a deadline: a stuck disk or a client holding a socket never keeps the
    // process alive (the writer bounds its own wait too).
    await withDeadline(Promise.all([writer?.close(), log?.close(), pusher?.stop()]), CLOSE_DEADLINE_MS);
    exporter.detach();
    await withDeadline(app?.close() ?? Promise.resolve(), CLOSE_DEADLINE_MS);
  };
  // After --turns, the final state stays on /metrics and /health ('finished') this long, so
  // Prometheus can scrape a short run; a stop signal ends the wait.
  let endLinger = () => {};
  let stopping = false;
  const linger = () =>
    options.lingerSeconds > 0 && app && !stopping
      ? new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.lingerSeconds * 1000);
          endLinger = () => {
            clearTimeout(timer);
            resolve();
          };
        })
      : undefined;
  const finished = loop.then(linger).then(() => (closing ??= close()));
  return {
    service,
    url,
    jsonl: () => writer?.stats(),
    finished,
    lost() {
      const phrases: string[] = [];
      const lines = outputErrors();
      if (lines.jsonl > 0) phrases.push(`${lines.jsonl} JSONL lines (${options.jsonl})`);
      if (lines.events > 0) phrases.push(`${lines.events} event-log lines (${options.events})`);
      if (options.checkpoint !== null && lastCheckpointTurn !== simulation.turn) {
        phrases.push(`the checkpoint of turn ${simulation.turn} (${options.checkpoint})`);
      }
      return phrases;
    },
    async stop() {
      stopping = true;
      endLinger();
      await service.stop();
      await loop;
      await (closing ??= close());
    },
  };
}
