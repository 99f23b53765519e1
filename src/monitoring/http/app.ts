import { Type } from '@sinclair/typebox';
import Negotiator from 'negotiator';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { TurnLoop } from '../../services/index.js';
import { MonitoringErrors } from '../errors.js';
import type { Exporter } from '../exporter.js';
import type { JsonlStats } from '../jsonl/jsonl-writer.js';
import { UNMATCHED_ROUTE } from '../metrics/metric-labels.js';
import { createLiveFeed } from '../live/live-feed.js';
import { type ControlAccess, registerControlRoutes } from './control-routes.js';
import { acceptTokenFromUrl } from './control-token.js';
import { registerEntityRoutes } from './entity-routes.js';
import {
  answerClientError,
  answerNodeRequests,
  BODY_LIMIT,
  parseJsonBody,
  refuseHostless,
  registerErrorAnswers,
  sendError,
} from './error-answers.js';
import { checkHealth, createHealthText, type HealthInput } from './health.js';
import { registerPageRoutes, sendPage } from './page-routes.js';
import { type CountSocketAnswer, methodLabel, registerRequestMetrics } from './request-metrics.js';
import { registerReadRoutes } from './read-routes.js';
import { apiIndex, knownPath } from './route-index.js';
import { registerShockRoutes } from './shock-routes.js';
import { registerFaultRoutes } from './fault-routes.js';
import { lazyValidators } from './lazy-validators.js';
import { createFaults, type Faults } from './faults.js';

/** The query of a route that reads none: no key at all. */
const NO_QUERY = Type.Object({}, { additionalProperties: false });

/** What the HTTP app serves from. */
export interface AppDeps {
  readonly loop: TurnLoop;
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
  /** How long a client may take to send a whole request, headers and body (ms; default 60 s, as Node's for headers). */
  readonly requestTimeoutMs?: number;
}

/** How long a client may take to send a whole request by default, ms: Node's own bound on headers. */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The Fastify instance with the rules every request meets before a route: JSON bodies by our
 * parser (a form is a 415), strict queries, malformed requests answered and counted.
 */
function createServer(
  exporter: Exporter,
  logger: AppDeps['logger'],
  requestTimeoutMs: number,
  socketAnswers: { count?: CountSocketAnswer },
): FastifyInstance {
  // Scrapes every few seconds would drown the log: requests are measured, not logged.
  const app = Fastify({
    logger: logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Strict query strings: unknown keys and values of the wrong type are a 400, not dropped.
    // A body of several shapes names its shape by a key (`discriminator`), so a mistake is told
    // against that shape alone; `verbose` hands the error answers the values and schemas.
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: false,
        useDefaults: true,
        discriminator: true,
        verbose: true,
      },
    },
    // Request schemas are compiled at their route's first request, not before the first turn.
    schemaController: { compilersFactory: { buildValidator: lazyValidators } },
    // A URL that cannot be decoded (`/%zz`) is a client error, answered and counted.
    frameworkErrors: (error, request, reply) => {
      exporter.recordRequest(methodLabel(request.method), UNMATCHED_ROUTE, 400, 0);
      void sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(error.message));
    },
    // A request Node cannot parse (an unknown method, a bad header, HTTP/9.9): our JSON, counted.
    // Counted as the request being read on the socket, when there is one (registerRequestMetrics).
    clientErrorHandler: (error, socket) =>
      answerClientError(error, socket, (status) =>
        socketAnswers.count
          ? socketAnswers.count(socket, status)
          : exporter.recordRequest('other', UNMATCHED_ROUTE, status, 0),
      ),
    // Closing ends every connection, idle or not: a client holding a socket never keeps
    // the process alive past a stop.
    forceCloseConnections: true,
    logController: new LogController({ disableRequestLogging: true }),
    // Requests are not logged, so none needs a child logger of its own (pino makes one per
    // request otherwise): warnings and errors go to the app's logger as they are.
    childLoggerFactory: (logger) => logger,
    // A request with no Host header is answered by refuseHostless (our JSON, counted), not Node.
    // A body that never ends is answered 408 like headers that never end: Fastify's default
    // (0) let a client hold a request, and a place among those in flight, for ever. Node looks
    // for late requests every checking interval (5 s here, 30 s by default): the answer comes
    // at most that much past the timeout.
    // Node reads it when the server is made (headers get min(60 s, it)), Fastify sets it after.
    requestTimeout: requestTimeoutMs,
    http: {
      requireHostHeader: false,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(5_000, requestTimeoutMs),
    },
  });
  answerNodeRequests(app.server, (method, url, status) =>
    exporter.recordRequest(methodLabel(method), knownPath(url) ?? UNMATCHED_ROUTE, status, 0),
  );
  // The one route with a body takes JSON: a cross-site form (text/plain, urlencoded,
  // multipart) is a 415 before any handler runs.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
  // An API route that reads no query refuses one (400 naming the key), as those that read one
  // refuse an unknown key: a typo'd `?windw=` never passes for the default. Added before the routes.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api') && !route.schema?.querystring) {
      route.schema = { ...route.schema, querystring: NO_QUERY };
    }
  });
  return app;
}

/** Builds the Fastify app (no listen: tests use inject(), the CLI listens). */
export function buildApp(deps: AppDeps): FastifyInstance {
  const { loop, exporter } = deps;
  const wallMs = deps.wallMs ?? Date.now;
  const socketAnswers: { count?: CountSocketAnswer } = {};
  const app = createServer(exporter, deps.logger, deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, socketAnswers);
  socketAnswers.count = registerRequestMetrics(app, exporter, knownPath);
  refuseHostless(app);

  registerErrorAnswers(app);

  const healthInput = (): HealthInput => ({
    latest: loop.latest(),
    loopState: loop.state,
    runId: loop.runId,
    seed: loop.seed,
    nowMs: wallMs(),
    startedAtMs: deps.startedAtMs,
    // A run slowed down by the page's interval control is not stalled.
    stallAfterSeconds: Math.max(deps.stallAfterSeconds, (10 * loop.intervalMs) / 1000),
    jsonl: deps.jsonl?.(),
  });
  const health = () => checkHealth(healthInput());
  const healthText = createHealthText();
  registerReadRoutes(app, loop, exporter, () => healthText(healthInput()));

  const index = () => apiIndex(loop);
  // A browser gets the page; curl, scripts and tests (Accept: */* or JSON) the index.
  app.get('/', async (request, reply) => {
    reply.header('vary', 'Accept');
    // `/?token=TOKEN` once: the browser keeps the token in a cookie for the page's controls,
    // and the address keeps the rest of the link (`&turn=N`, `&axis=time`).
    if (deps.controlToken && acceptTokenFromUrl(request, reply, deps.controlToken)) {
      const rest = Object.entries(request.query as Record<string, unknown>).filter(([key]) => key !== 'token');
      const query = new URLSearchParams(rest.map(([key, value]) => [key, String(value)])).toString();
      return reply.redirect(query === '' ? '/' : `/?${query}`, 303);
    }
    const wanted = new Negotiator({ headers: request.headers }).mediaType(['application/json', 'text/html']);
    return wanted === 'text/html' ? sendPage(reply, feed.view('recent')) : index();
  });
  app.get('/api', async () => index());

  const controls = deps.controls ?? 'off';
  const feed = createLiveFeed({
    loop,
    controls: controls !== 'off',
    state: () => {
      const { status } = health().body;
      return status === 'ok' ? 'running' : status;
    },
    wallMs,
  });
  // Before the server closes its connections: each open stream ends whole, not cut off.
  app.addHook('preClose', async () => feed.close());
  // For tests and benchmarks: how many streams the page has open, and what they hold.
  app.decorate('liveFeed', feed);
  registerPageRoutes(app, feed);
  registerEntityRoutes(app, loop);
  registerControlRoutes(app, loop, controls, () => feed.poke(), deps.controlToken);
  registerShockRoutes(app, loop, controls, () => feed.poke(), deps.controlToken);
  registerFaultRoutes(app, deps.faults ?? createFaults(loop), controls, deps.controlToken);

  return app;
}
