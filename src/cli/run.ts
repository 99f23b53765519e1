import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  buildApp,
  createExporter,
  createJsonlWriter,
  createSystemSampler,
  type JsonlStats,
  type JsonlWriter,
  snapshotLineBytes,
  type SystemSampler,
} from '../monitoring/index.js';
import { createTurnLoop, loadRunConfig, type RunConfig, type TurnLoop } from '../services/index.js';
import { createSimulation } from '../simulation/index.js';
import type { CliOptions } from './args.js';
import { CliErrors } from './errors.js';
import { readScenarioSource } from './scenario-file.js';
import { createStatusPrinter } from './status-line.js';

/** Where the run talks to: stdout for status, stderr for notices and logs. */
export interface RunIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
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
    return await app.listen({ host, port });
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
  const source = readScenarioSource(options.scenario);
  const config = withSeriesBudget(loadRunConfig(source.text), options.maxSeries);
  const seed = options.seed ?? randomInt(0, 2 ** 32);
  const simulation = createSimulation(config.scenario, seed);
  const service = createTurnLoop({
    simulation,
    config,
    onSubscriberError: (error) => io.stderr.write(`tradesim: subscriber error: ${(error as Error).message}\n`),
  });
  const startedAtMs = Date.now();
  const sampler: SystemSampler = createSystemSampler();
  let writer: JsonlWriter | undefined;
  const exporter = createExporter({
    service,
    seriesBudget: options.maxSeries,
    jsonl: () => writer?.stats(),
    system: () => sampler.latest(),
  });

  let app: FastifyInstance | undefined;
  let url: string | null = null;
  if (options.server) {
    app = buildApp({
      service,
      exporter,
      jsonl: () => writer?.stats(),
      startedAtMs,
      stallAfterSeconds: Math.max(10, (10 * options.intervalMs) / 1000),
      logger: { level: options.quiet ? 'warn' : 'info', stream: io.stderr },
    });
    url = await listen(app, options.host, options.port);
  }

  if (options.jsonl !== null) {
    writer = createJsonlWriter({ path: options.jsonl, maxBytes: options.jsonlMaxBytes, keep: options.jsonlKeep });
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

  // Paced runs show every turn; faster ones at most one line a second.
  const status = options.quiet ? undefined : createStatusPrinter(io.stdout, options.intervalMs >= 250 ? 0 : 1_000);
  if (status) service.subscribe((snapshot) => status.update(snapshot));

  await sampler.start();
  io.stderr.write(
    `tradesim: scenario ${config.scenario.name}, seed ${seed}, run ${service.runId}` +
      `${url ? `, serving ${url}/metrics` : ''}${writer ? `, writing ${options.jsonl}` : ''}\n`,
  );

  const loop = service.run({
    intervalMs: options.intervalMs,
    ...(options.turns === null ? {} : { turns: options.turns }),
  });
  let closing: Promise<void> | undefined;
  const close = async () => {
    // The last turn's line, when --jsonl-every skipped it.
    const latest = service.latest();
    if (latest && latest.turn !== lastWrittenTurn) writeLine(latest.turn);
    status?.finish();
    sampler.stop();
    await writer?.close();
    exporter.detach();
    await app?.close();
  };
  const finished = loop.then(() => (closing ??= close()));
  return {
    service,
    url,
    jsonl: () => writer?.stats(),
    finished,
    async stop() {
      await service.stop();
      await loop;
      await (closing ??= close());
    },
  };
}
