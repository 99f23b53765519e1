import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions, LogController } from 'fastify';
import type { TurnLoop } from '../../services/index.js';
import { TradeSimError } from '../../simulation/index.js';
import { MonitoringErrors } from '../errors.js';
import type { Exporter } from '../exporter.js';
import type { JsonlStats } from '../jsonl/jsonl-writer.js';
import { UNMATCHED_ROUTE } from '../metrics/catalogue.js';
import { checkHealth } from './health.js';

const gzipAsync = promisify(gzip);

/** What the HTTP app serves from. */
export interface AppDeps {
  readonly service: TurnLoop;
  readonly exporter: Exporter;
  readonly jsonl?: () => JsonlStats | undefined;
  readonly startedAtMs: number;
  readonly wallMs?: () => number;
  /** A running loop with no new turn for this long is reported stalled (seconds). */
  readonly stallAfterSeconds: number;
  /** Fastify's logger options (pino); off when omitted. */
  readonly logger?: FastifyServerOptions['logger'];
}

/** The routes served, for 405 answers (any other method on a known path). */
const ROUTES = ['/metrics', '/health', '/api/stats', '/api/alerts', '/api/history'] as const;
const ALLOWED = ['GET', 'HEAD'] as const;

const HistoryQuery = Type.Object(
  {
    figure: Type.String({ minLength: 1, maxLength: 200 }),
    window: Type.Integer({ minimum: 1, maximum: 100_000, default: 50 }),
  },
  { additionalProperties: false },
);

/** The JSON body of every error answer. */
const errorBody = (status: number, code: string, message: string) => ({
  error: STATUS_CODES[status] ?? 'Error',
  code,
  message,
});

/** The answer to a catalogued error: its status (from the catalogue) and JSON body. */
const sendError = (reply: FastifyReply, error: TradeSimError) =>
  reply.code(error.statusCode).send(errorBody(error.statusCode, error.code, error.message));

/** Builds the Fastify app (no listen: tests use inject(), the CLI listens). */
export function buildApp(deps: AppDeps): FastifyInstance {
  const { service, exporter } = deps;
  const wallMs = deps.wallMs ?? Date.now;
  // Scrapes every few seconds would drown the log: requests are measured, not logged.
  const app = Fastify({
    logger: deps.logger ?? false,
    // Closing ends every connection, idle or not: a client holding a socket never keeps
    // the process alive past a stop.
    forceCloseConnections: true,
    logController: new LogController({ disableRequestLogging: true }),
  });
  const started = new WeakMap<object, bigint>();

  // RED metrics for every request, with the route template as label; unknown paths fold
  // into one label so scanners cannot blow up cardinality.
  app.addHook('onRequest', async (request) => {
    started.set(request, process.hrtime.bigint());
    exporter.trackInFlight(1);
  });
  app.addHook('onResponse', async (request, reply) => {
    exporter.trackInFlight(-1);
    const start = started.get(request);
    const seconds = start === undefined ? 0 : Number(process.hrtime.bigint() - start) / 1e9;
    const route =
      reply.statusCode === 404 || reply.statusCode === 405
        ? UNMATCHED_ROUTE
        : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    exporter.recordRequest(request.method, route, reply.statusCode, seconds);
  });

  app.setErrorHandler((error: Error, request, reply) => {
    if ((error as { validation?: unknown }).validation) {
      const message = `${(error as { validationContext?: string }).validationContext ?? 'request'}${error.message.replace(/^[a-z]+/, '')}`;
      return sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(message));
    }
    if (error instanceof TradeSimError) return sendError(reply, error);
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_INTERNAL(error.message));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if ((ROUTES as readonly string[]).includes(path)) {
      const e = new MonitoringErrors.TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED(request.method, path, ALLOWED);
      return sendError(reply.header('allow', ALLOWED.join(', ')), e);
    }
    return sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_NOT_FOUND(request.method, path));
  });

  app.get('/metrics', async (request, reply) => {
    const exposition = await exporter.render(request.headers.accept);
    reply.header('content-type', exposition.contentType).header('vary', 'Accept, Accept-Encoding');
    if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
      reply.header('content-encoding', 'gzip');
      return reply.send(await gzipAsync(exposition.body));
    }
    return reply.send(exposition.body);
  });

  app.get('/health', async (_request, reply) => {
    const { httpStatus, body } = checkHealth({
      latest: service.latest(),
      loopState: service.state,
      runId: service.runId,
      seed: service.seed,
      nowMs: wallMs(),
      startedAtMs: deps.startedAtMs,
      stallAfterSeconds: deps.stallAfterSeconds,
      jsonl: deps.jsonl?.(),
    });
    return reply.code(httpStatus).send(body);
  });

  const latestOr503 = () => {
    const latest = service.latest();
    if (!latest) throw new MonitoringErrors.TRADESIM_ERR_HTTP_NO_TURN_YET();
    return latest;
  };

  app.get('/api/stats', async (_request, reply) => {
    return reply.send(latestOr503());
  });

  app.get('/api/alerts', async () => {
    const latest = service.latest();
    return {
      turn: latest?.turn ?? 0,
      active: latest?.alerts.active ?? [],
      recent: service.recentAlertEvents(),
      rules: service.alertRules,
    };
  });

  app.get('/api/history', { schema: { querystring: HistoryQuery } }, async (request) => {
    const { figure, window } = request.query as { figure: string; window: number };
    latestOr503();
    const history = service.history(figure, window);
    return {
      figure,
      window,
      turns: Array.from(history.turns),
      values: Array.from(history.values),
      summary: service.summary(figure, window),
    };
  });

  return app;
}
