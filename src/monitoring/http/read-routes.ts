import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import Negotiator from 'negotiator';
import type { FastifyInstance } from 'fastify';
import { figureCatalogue, type TurnLoop, unitOf } from '../../services/index.js';
import { MonitoringErrors } from '../errors.js';
import type { Exporter } from '../exporter.js';
import type { HealthText } from './health.js';

const gzipAsync = promisify(gzip);

// Query values stay strings (no coercion): `window=0x10` and `window[]=5` are refused, not read.
const HistoryQuery = Type.Object(
  {
    figure: Type.String({ minLength: 1, maxLength: 200 }),
    window: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
  },
  { additionalProperties: false },
);
const HISTORY_WINDOW_MAX = 100_000;
/** What Fastify names a JSON body it serialized itself. */
const HEALTH_CONTENT_TYPE = 'application/json; charset=utf-8';
/** `?since=TURN` of /api/alerts: a turn number. */
const AlertsQuery = Type.Object(
  { since: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) },
  { additionalProperties: false },
);

/**
 * The read routes of the run: /metrics (gzip when asked), /health, /api/stats,
 * /api/alerts, /api/history and /api/figures.
 */
export function registerReadRoutes(
  app: FastifyInstance,
  loop: TurnLoop,
  exporter: Exporter,
  health: () => HealthText,
): void {
  app.get('/metrics', async (request, reply) => {
    const exposition = await exporter.render(request.headers.accept, request.method === 'HEAD');
    reply.header('content-type', exposition.contentType).header('vary', 'Accept, Accept-Encoding');
    if (new Negotiator({ headers: request.headers }).encoding(['gzip', 'identity']) === 'gzip') {
      reply.header('content-encoding', 'gzip');
      return reply.send(await gzipAsync(exposition.body));
    }
    return reply.send(exposition.body);
  });

  // Not async: the health check is synchronous, and a flood of probes would pay a promise each.
  // The body comes as JSON text (health.ts): no object to build and serialize per probe.
  app.get('/health', (_request, reply) => {
    const { httpStatus, text } = health();
    void reply.code(httpStatus).header('content-type', HEALTH_CONTENT_TYPE).send(text);
  });

  const latestOr503 = () => {
    const latest = loop.latest();
    if (!latest) throw new MonitoringErrors.TRADESIM_ERR_HTTP_NO_TURN_YET();
    return latest;
  };

  app.get('/api/stats', async (_request, reply) => {
    return reply.send(latestOr503());
  });

  app.get('/api/alerts', { schema: { querystring: AlertsQuery } }, async (request) => {
    const { since } = request.query as { since?: string };
    const latest = loop.latest();
    const { firings, dropped, capacity } = loop.alertFirings(since === undefined ? undefined : Number(since));
    return {
      turn: latest?.turn ?? 0,
      active: latest?.alerts.active ?? [],
      recent: loop.recentAlertEvents(),
      // Every firing of the run (the newest `firingsKept`; `firingsDropped` older ones let go).
      firings,
      firingsDropped: dropped,
      firingsKept: capacity,
      rules: loop.alertRules,
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
    const history = loop.history(query.figure, requested);
    return {
      figure: query.figure,
      window: history.values.length,
      requestedWindow: requested,
      turns: Array.from(history.turns),
      values: Array.from(history.values),
      summary: loop.summary(query.figure, requested),
    };
  });

  app.get('/api/figures', async () => ({
    figures: [...figureCatalogue().values()].map((f) => ({
      name: f.name,
      unit: unitOf(f.name) ?? '',
      historized: f.historized,
    })),
  }));
}
