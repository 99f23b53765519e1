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

// The request's count, kept on its response: cheaper per request than a WeakMap beside it.
const FINISH = Symbol('tradesim.finishRequest');
type CountedResponse = FastifyReply['raw'] & { [FINISH]?: (status: number) => void };

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
  // The route template as label; unknown paths fold into one label so scanners cannot blow up
  // cardinality. A known path keeps its label whatever the method (405). The path is read only
  // for requests no route matched (405s, 404s): not on every scrape.
  const routeOf = (request: FastifyRequest, status: number) => {
    const known = request.routeOptions.url ?? knownPath(request.url);
    return status === 404 || known === undefined ? UNMATCHED_ROUTE : known;
  };

  // Callback hooks, not async ones: an async hook costs a promise and a microtask per request,
  // which a flood of /health requests pays in full (docs/performance.md).
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const start = performance.now();
    exporter.trackInFlight(1);
    let counted = false;
    const finish = (status: number) => {
      if (counted) return;
      counted = true;
      exporter.trackInFlight(-1);
      const seconds = (performance.now() - start) / 1000;
      exporter.recordRequest(methodLabel(request.method), routeOf(request, status), status, seconds);
    };
    (reply.raw as CountedResponse)[FINISH] = finish;
    // Emitted after the answer is sent, or when the connection drops first: the abort path.
    reply.raw.once('close', () => finish(reply.raw.headersSent ? reply.raw.statusCode : CLIENT_CLOSED_STATUS));
    done();
  });
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    (reply.raw as CountedResponse)[FINISH]?.(reply.statusCode);
    done();
  });
}
