import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Exporter } from '../exporter.js';
import { MonitoringErrors } from '../errors.js';
import { UNMATCHED_ROUTE } from '../metrics/metric-labels.js';
import { closeAfterAnswer } from './error-answers.js';

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
 * Requests one connection may have in progress at once (pipelined: sent before the answers to
 * the earlier ones): those past it are answered 429 at once, unread. Node parses every request
 * a client sends in one go and keeps every answer until the client reads it, so without a
 * bound a client that never reads holds the server's memory. Browsers and Prometheus send one
 * at a time.
 */
export const MAX_PIPELINED = 8;

/** What a request's response carries until the request is counted: its request and when it began. */
interface Pending {
  readonly request: FastifyRequest;
  readonly start: number;
}

// Kept on the response itself: cheaper per request than a WeakMap beside it.
const PENDING = Symbol('tradesim.pendingRequest');
type CountedResponse = FastifyReply['raw'] & { [PENDING]?: Pending | undefined };
// A connection's responses whose requests are in progress, oldest first; one `close` listener
// per connection (not per request) counts those its drop cuts off.
const IN_PROGRESS = Symbol('tradesim.requestsInProgress');
type CountedSocket = FastifyRequest['raw']['socket'] & { [IN_PROGRESS]?: CountedResponse[] };

/**
 * RED metrics for every request: in flight from `onRequest` until the request ends, whichever
 * way it ends: answered (`onResponse`), or cut off by its client (the response's `close`,
 * which is also how a hijacked event stream ends, or, for a pipelined request still waiting
 * behind another when the connection drops, the connection's `close`). Each
 * request is counted exactly once, so the in-flight gauge is back to 0 when every client is
 * gone. A connection's requests past MAX_PIPELINED in progress are answered 429 unread.
 */
export function registerRequestMetrics(
  app: FastifyInstance,
  exporter: Exporter,
  knownPath: (url: string) => string | undefined,
): CountSocketAnswer {
  // The route template as label; unknown paths fold into one label so scanners cannot blow up
  // cardinality. A known path keeps its label whatever the method (405). The path is read only
  // for requests no route matched (405s, 404s): not on every scrape.
  const routeOf = (request: FastifyRequest, status: number) => {
    const known = request.routeOptions.url ?? knownPath(request.url);
    return status === 404 || known === undefined ? UNMATCHED_ROUTE : known;
  };
  /** Counts the request `response` answers, unless it was counted already. */
  const finish = (response: CountedResponse, status: number) => {
    const pending = response[PENDING];
    if (pending === undefined) return;
    response[PENDING] = undefined;
    exporter.trackInFlight(-1);
    const inProgress = (pending.request.raw.socket as CountedSocket)[IN_PROGRESS];
    const at = inProgress ? inProgress.indexOf(response) : -1;
    if (at >= 0) inProgress!.splice(at, 1);
    const seconds = (performance.now() - pending.start) / 1000;
    exporter.recordRequest(methodLabel(pending.request.method), routeOf(pending.request, status), status, seconds);
  };
  // One listener for every response (`this` is the response): no closure per request.
  function onClose(this: CountedResponse) {
    finish(this, this.headersSent ? this.statusCode : CLIENT_CLOSED_STATUS);
  }
  // A connection's `close`: a pipelined request still waiting behind another never had the
  // socket (its answer, even written, sits in its own buffer), so its response never closes:
  // counted here, as cut off. It can run before the answering response's own `close` (a stream
  // on a reused connection): that one, which has the socket, is counted by what it sent.
  function onSocketClose(this: CountedSocket) {
    for (const response of [...(this[IN_PROGRESS] ?? [])]) {
      finish(response, response.socket && response.headersSent ? response.statusCode : CLIENT_CLOSED_STATUS);
    }
  }

  // Callback hooks, not async ones: an async hook costs a promise and a microtask per request,
  // which a flood of /health requests pays in full (docs/performance.md).
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const response: CountedResponse = reply.raw;
    response[PENDING] = { request, start: performance.now() };
    exporter.trackInFlight(1);
    // Emitted after the answer is sent, or when the connection drops first: the abort path.
    response.on('close', onClose);
    const socket: CountedSocket = request.raw.socket;
    let inProgress = socket[IN_PROGRESS];
    if (!inProgress) {
      inProgress = socket[IN_PROGRESS] = [];
      socket.once('close', onSocketClose);
    }
    inProgress.push(response);
    if (inProgress.length > MAX_PIPELINED) {
      // Refused unread: a body would be parsed as the next request, so its connection closes.
      const { headers } = request;
      if (headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0) {
        closeAfterAnswer(reply);
      }
      done(new MonitoringErrors.TRADESIM_ERR_HTTP_TOO_MANY_PIPELINED(MAX_PIPELINED));
      return;
    }
    done();
  });
  app.addHook('onResponse', (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    finish(reply.raw, reply.statusCode);
    done();
  });
  // An answer written to the socket itself answers the request whose body was being read on it,
  // when there is one (its body timed out, or a chunk of it could not be parsed): counted once,
  // as that request. Otherwise it answers bytes no request was made of (`other`, unmatched).
  return (socket, status) => {
    const newest = (socket as CountedSocket)[IN_PROGRESS]?.at(-1);
    if (newest && newest[PENDING]?.request.raw.complete === false) finish(newest, status);
    else exporter.recordRequest('other', UNMATCHED_ROUTE, status, 0);
  };
}

/**
 * Counts an answer written straight to a connection's socket, no route having answered: as the
 * request whose body was being read on it, or as one `method="other"` on the unmatched route.
 */
export type CountSocketAnswer = (socket: FastifyRequest['raw']['socket'], status: number) => void;
