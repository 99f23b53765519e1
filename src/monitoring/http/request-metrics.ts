import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Exporter } from '../exporter.js';
import { UNMATCHED_ROUTE } from '../metrics/metric-labels.js';

/** The methods that keep their own `method` label; any other verb is counted as `other`. */
export const COUNTED_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
]);

/** The `method` label of a request: one of COUNTED_METHODS, else `other` (a scanner's verbs add no series). */
export const methodLabel = (method: string): string => (COUNTED_METHODS.has(method) ? method : 'other');

/** The `status` label of a request whose client went away before any answer was sent (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

/**
 * RED metrics for every request: in flight from `onRequest` until the request ends, whichever
 * way it ends: answered (`onResponse`), or cut off by its client (the response's `close`,
 * which is also how a hijacked event stream ends). Each request is counted exactly once, so
 * the in-flight gauge is back to 0 when every client is gone.
 */
export function registerRequestMetrics(
  app: FastifyInstance,
  exporter: Exporter,
  knownPath: (url: string) => string | undefined,
): void {
  const finishers = new WeakMap<FastifyRequest, (status: number) => void>();

  // The route template as label; unknown paths fold into one label so scanners cannot blow up
  // cardinality. A known path keeps its label whatever the method (405). The path is read only
  // for requests no route matched (405s, 404s): not on every scrape.
  const routeOf = (request: FastifyRequest, status: number) => {
    const known = request.routeOptions.url ?? knownPath(request.url);
    return status === 404 || known === undefined ? UNMATCHED_ROUTE : known;
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const start = process.hrtime.bigint();
    exporter.trackInFlight(1);
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      exporter.trackInFlight(-1);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      exporter.recordRequest(methodLabel(request.method), routeOf(request, status), status, seconds);
    };
    finishers.set(request, finish);
    // Emitted after the answer is sent, or when the connection drops first: the abort path.
    reply.raw.once('close', () => finish(reply.raw.headersSent ? reply.raw.statusCode : CLIENT_CLOSED_STATUS));
  });
  app.addHook('onResponse', async (request, reply) => {
    finishers.get(request)?.(reply.statusCode);
  });
}
