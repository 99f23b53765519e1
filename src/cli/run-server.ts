/* The run's HTTP server: the app built on the loop, listening where the options say. */
import type { FastifyInstance } from 'fastify';
import { type Exporter, type Faults, isLoopback, loadAppBuilder } from '../monitoring/index.js';
import type { TurnLoop } from '../services/index.js';
import type { CliOptions } from './args.js';
import { CliErrors } from './errors.js';
import type { RunLogs } from './run-outputs.js';
import type { TextOut } from './safe-writer.js';

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
      `--host/--port (or TRADESIM_HOST/TRADESIM_PORT): cannot listen on ${host}:${port}: ${(error as Error).message}`,
    );
  }
}

/** Builds the HTTP app on the loop and listens; resolves with the app and its address. */
export async function startServer(
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
