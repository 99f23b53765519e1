import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import Negotiator from 'negotiator';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions, LogController } from 'fastify';
import { ENTITY_KINDS, ENTITY_PAGE_MAX, figureCatalogue, type TurnLoop, unitOf } from '../../services/index.js';
import { TradeSimError } from '../../simulation/index.js';
import { MonitoringErrors } from '../errors.js';
import type { Exporter } from '../exporter.js';
import type { JsonlStats } from '../jsonl/jsonl-writer.js';
import { UNMATCHED_ROUTE } from '../metrics/catalogue.js';
import { createLiveFeed } from '../live/live-feed.js';
import { type ControlAccess, registerControlRoutes } from './control-routes.js';
import { acceptTokenFromUrl } from './control-token.js';
import { registerEntityRoutes } from './entity-routes.js';
import { checkHealth } from './health.js';
import { registerPageRoutes, sendPage } from './page-routes.js';
import { createLogLimiter } from './log-limiter.js';
import { methodLabel, registerRequestMetrics } from './request-metrics.js';
import { registerShockRoutes } from './shock-routes.js';
import { registerFaultRoutes } from './fault-routes.js';
import { createFaults, type Faults } from './faults.js';

const gzipAsync = promisify(gzip);
const READ = ['GET', 'HEAD'] as const;

/** What the HTTP app serves from. */
export interface AppDeps {
  readonly service: TurnLoop;
  readonly exporter: Exporter;
  readonly jsonl?: () => JsonlStats | undefined;
  readonly startedAtMs: number;
  readonly wallMs?: () => number;
  /** A running loop with no new turn for this long is reported stalled (seconds). */
  readonly stallAfterSeconds: number;
  /** Who may pause, resume, step or pace the run (default: nobody). */
  readonly controls?: ControlAccess;
  /** When set, a control request must also carry this token (--control-token). */
  readonly controlToken?: string | null;
  /** The exporter's faults for exercises (all off when omitted; switched on with the controls). */
  readonly faults?: Faults;
  /** Fastify's logger options (pino); off when omitted. */
  readonly logger?: FastifyServerOptions['logger'];
}

/** Every route, what it answers (the index at GET /api), its methods (the 405 answer's Allow list). */
const ROUTES: readonly { readonly path: string; readonly methods: readonly string[]; readonly description: string }[] =
  [
    { path: '/', methods: READ, description: 'the live page for a browser (Accept: text/html), else this index' },
    { path: '/api', methods: READ, description: 'this index of the endpoints' },
    {
      path: '/metrics',
      methods: READ,
      description: 'Prometheus text, or OpenMetrics when the Accept header prefers it',
    },
    { path: '/health', methods: READ, description: 'is the loop advancing and the JSONL file writable (503 when not)' },
    { path: '/api/stats', methods: READ, description: "every service's figures of the latest turn" },
    { path: '/api/alerts', methods: READ, description: 'the active alerts, the recent transitions and the rules' },
    {
      path: '/api/history',
      methods: READ,
      description: 'a figure over the last turns: ?figure=NAME&window=N (1 to 100000, default 50)',
    },
    {
      path: '/api/figures',
      methods: READ,
      description: 'every figure: its name, its unit, whether it is kept in history',
    },
    ...ENTITY_KINDS.map((kind) => ({
      path: `/api/${kind}`,
      methods: READ,
      description: `a page of the ${kind}: ?sort=FIELD&order=asc|desc&offset=N&limit=1..${ENTITY_PAGE_MAX}`,
    })),
    {
      path: '/api/live',
      methods: READ,
      description: "the live page's charts and data: ?window=recent (last turns) or all (the whole run, downsampled)",
    },
    {
      path: '/api/live/events',
      methods: READ,
      description: 'Server-Sent Events: the latest turn, at most 10 a second',
    },
    { path: '/api/live/update', methods: READ, description: 'the latest turn, as one event (for polling)' },
    {
      path: '/api/control',
      methods: ['POST'],
      description:
        'pause, resume, step or change the interval: {"action":"pause"|"resume"|"step"|"interval","intervalMs":N}',
    },
    {
      path: '/api/shocks',
      methods: ['GET', 'HEAD', 'POST'],
      description: 'market shocks in force; POST {"action":"start","shock":KIND,...} or {"action":"stop","index":N}',
    },
    {
      path: '/api/faults',
      methods: ['GET', 'HEAD', 'POST'],
      description: 'exporter faults on; POST {"action":"start"|"stop","fault":"latency"|"errors"|"stall"|"leak",...}',
    },
  ];
const ROUTE_METHODS: ReadonlyMap<string, readonly string[]> = new Map(ROUTES.map((r) => [r.path, r.methods]));
/** The route path of `url` when it is one of ours, whatever the method. */
const knownPath = (url: string): string | undefined => {
  const path = url.split('?')[0] ?? '';
  return ROUTE_METHODS.has(path) ? path : undefined;
};
/** The largest request body taken (no route takes one). */
const BODY_LIMIT = 64 * 1024;
/** Each kind of client error is logged at most this often. */
const LOG_EVERY_MS = 60_000;

// Query values stay strings (no coercion): `window=0x10` and `window[]=5` are refused, not read.
const HistoryQuery = Type.Object(
  {
    figure: Type.String({ minLength: 1, maxLength: 200 }),
    window: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
  },
  { additionalProperties: false },
);
const HISTORY_WINDOW_MAX = 100_000;

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
    bodyLimit: BODY_LIMIT,
    // Strict query strings: unknown keys and values of the wrong type are a 400, not dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true } },
    // A URL that cannot be decoded (`/%zz`) is a client error, answered and counted.
    frameworkErrors: (error, request, reply) => {
      exporter.recordRequest(methodLabel(request.method), UNMATCHED_ROUTE, 400, 0);
      void sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(error.message));
    },
    // Closing ends every connection, idle or not: a client holding a socket never keeps
    // the process alive past a stop.
    forceCloseConnections: true,
    logController: new LogController({ disableRequestLogging: true }),
  });
  // The one route with a body takes JSON: a cross-site form (text/plain, urlencoded,
  // multipart) is a 415 before any handler runs.
  app.removeContentTypeParser('text/plain');
  registerRequestMetrics(app, exporter, knownPath);

  const logLimited = createLogLimiter(LOG_EVERY_MS);
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (error.validation) {
      const context = (error as { validationContext?: string }).validationContext ?? 'request';
      return sendError(
        reply,
        new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(`${context}${error.message.replace(/^[a-z]+/, '')}`),
      );
    }
    if (error instanceof TradeSimError) return sendError(reply, error);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // A client's mistake (a body too large, of an unknown type, unparseable): its own
      // 4xx, logged below error level and at most once a minute per kind.
      const answer =
        status === 413
          ? new MonitoringErrors.TRADESIM_ERR_HTTP_BODY_TOO_LARGE(BODY_LIMIT)
          : status === 415
            ? new MonitoringErrors.TRADESIM_ERR_HTTP_MEDIA_TYPE_UNSUPPORTED(request.headers['content-type'] ?? '')
            : new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(error.message);
      const held = logLimited(answer.code);
      if (held !== undefined) request.log.info({ code: answer.code, held }, `client error: ${answer.message}`);
      return sendError(reply, answer);
    }
    if (logLimited('internal') !== undefined) request.log.error({ err: error }, 'request failed');
    return sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_INTERNAL('the request could not be served'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const methods = ROUTE_METHODS.get(path);
    if (methods) {
      const e = new MonitoringErrors.TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED(request.method, path, methods);
      return sendError(reply.header('allow', methods.join(', ')), e);
    }
    return sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_NOT_FOUND(request.method, path));
  });

  app.get('/metrics', async (request, reply) => {
    const exposition = await exporter.render(request.headers.accept);
    reply.header('content-type', exposition.contentType).header('vary', 'Accept, Accept-Encoding');
    if (new Negotiator({ headers: request.headers }).encoding(['gzip', 'identity']) === 'gzip') {
      reply.header('content-encoding', 'gzip');
      return reply.send(await gzipAsync(exposition.body));
    }
    return reply.send(exposition.body);
  });

  const health = () =>
    checkHealth({
      latest: service.latest(),
      loopState: service.state,
      runId: service.runId,
      seed: service.seed,
      nowMs: wallMs(),
      startedAtMs: deps.startedAtMs,
      // A run slowed down by the page's interval control is not stalled.
      stallAfterSeconds: Math.max(deps.stallAfterSeconds, (10 * service.intervalMs) / 1000),
      jsonl: deps.jsonl?.(),
    });
  app.get('/health', async (_request, reply) => {
    const { httpStatus, body } = health();
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
    const query = request.query as { figure: string; window?: string };
    const requested = query.window === undefined ? 50 : Number(query.window);
    if (requested < 1 || requested > HISTORY_WINDOW_MAX) {
      throw new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(
        `querystring/window must be an integer from 1 to ${HISTORY_WINDOW_MAX}, got '${query.window}'`,
      );
    }
    latestOr503();
    // At most what the services keep: the answer says how many turns it holds.
    const history = service.history(query.figure, requested);
    return {
      figure: query.figure,
      window: history.values.length,
      requestedWindow: requested,
      turns: Array.from(history.turns),
      values: Array.from(history.values),
      summary: service.summary(query.figure, requested),
    };
  });

  app.get('/api/figures', async () => ({
    figures: [...figureCatalogue().values()].map((f) => ({
      name: f.name,
      unit: unitOf(f.name) ?? '',
      historized: f.historized,
    })),
  }));

  const index = () => ({
    name: 'tradesim',
    runId: service.runId,
    seed: service.seed,
    endpoints: ROUTES.map((r) => ({ path: r.path, methods: r.methods, description: r.description })),
  });
  // A browser gets the page; curl, scripts and tests (Accept: */* or JSON) the index.
  app.get('/', async (request, reply) => {
    reply.header('vary', 'Accept');
    // `/?token=TOKEN` once: the browser keeps the token in a cookie for the page's controls.
    if (deps.controlToken && acceptTokenFromUrl(request, reply, deps.controlToken)) return reply.redirect('/', 303);
    const wanted = new Negotiator({ headers: request.headers }).mediaType(['application/json', 'text/html']);
    return wanted === 'text/html' ? sendPage(reply, feed.view('recent')) : index();
  });
  app.get('/api', async () => index());

  const controls = deps.controls ?? 'off';
  const feed = createLiveFeed({
    service,
    controls: controls !== 'off',
    state: () => {
      const { status } = health().body;
      return status === 'ok' ? 'running' : status;
    },
    wallMs,
  });
  app.addHook('onClose', async () => feed.close());
  // For tests and benchmarks: how many streams the page has open, and what they hold.
  app.decorate('liveFeed', feed);
  registerPageRoutes(app, feed);
  registerEntityRoutes(app, service);
  registerControlRoutes(app, service, controls, () => feed.poke(), deps.controlToken);
  registerShockRoutes(app, service, controls, () => feed.poke(), deps.controlToken);
  registerFaultRoutes(app, deps.faults ?? createFaults(service), controls, deps.controlToken);

  return app;
}
