import type { Socket } from 'node:net';
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { duplicateKeys, MAX_JSON_DEPTH, TradeSimError } from '../../simulation/index.js';
import { MonitoringErrors } from '../errors.js';
import { errorStatus } from './error-status.js';
import { createLogLimiter } from './log-limiter.js';
import { pathOf, ROUTE_METHODS } from './route-index.js';

/** The largest request body taken (no route takes one). */
export const BODY_LIMIT = 64 * 1024;
/** Each kind of client error is logged at most this often. */
const LOG_EVERY_MS = 60_000;

/** The JSON body of every error answer. */
const errorBody = (status: number, code: string, message: string) => ({
  error: STATUS_CODES[status] ?? 'Error',
  code,
  message,
});

/** The answer to a catalogued error: the status its code maps to, and the JSON body. */
export const sendError = (reply: FastifyReply, error: TradeSimError) => {
  const status = errorStatus(error);
  return reply.code(status).send(errorBody(status, error.code, error.message));
};

/**
 * Why a parsed JSON body is refused, or undefined: nested deeper than a scenario may be (no
 * request needs more; walked without recursion, so no depth can overflow the stack), or a key
 * that would reach an object's prototype once copied.
 */
function bodyShapeProblem(body: unknown): string | undefined {
  const stack: (readonly [unknown, number])[] = [[body, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return `nested more than ${MAX_JSON_DEPTH} levels deep`;
    for (const [key, inner] of Object.entries(value)) {
      const reachesPrototype =
        key === 'constructor' && inner !== null && typeof inner === 'object' && 'prototype' in inner;
      if (key === '__proto__' || reachesPrototype) return 'a __proto__ or constructor.prototype key is refused';
      stack.push([inner, depth + 1]);
    }
  }
  return undefined;
}

/**
 * The JSON body parser (Fastify's own says "Body is not valid JSON" for valid JSON it refuses
 * too): a body that is not JSON says where it breaks; one nested deeper than a scenario may
 * be, one with a `__proto__` or `constructor.prototype` key, and one giving a key twice (which
 * JSON.parse would read as its last value) say so; each a 400.
 */
export function parseJsonBody(_request: unknown, body: string, done: (error: Error | null, value?: unknown) => void) {
  // A client's mistake as Fastify's own are (a status, no code): answered 400, logged at most once a minute.
  const refuse = (problem: string) => done(Object.assign(new Error(`body: ${problem}`), { statusCode: 400 }));
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    refuse(`not JSON (${(error as Error).message})`);
    return;
  }
  // `{"action":"pause","action":"resume"}` is not one request.
  const problem = bodyShapeProblem(value);
  const twice = problem === undefined ? duplicateKeys(body) : [];
  if (problem !== undefined) refuse(problem);
  else if (twice.length > 0) refuse(`${twice.join(', ')}: given more than once; give it once`);
  else done(null, value);
}

/** One of ajv's validation errors, as Fastify hands them over (ajv's `verbose`: with its data and schema). */
interface ValidationIssue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params?: {
    readonly additionalProperty?: string;
    readonly allowedValue?: unknown;
    readonly tag?: string;
  };
  readonly data?: unknown;
  readonly parentSchema?: { readonly oneOf?: readonly { readonly properties?: Record<string, { const?: unknown }> }[] };
}

/**
 * A validation failure in words that name the fix, or undefined to take ajv's: an unknown key
 * by its name ("must NOT have additional properties" says not which), a value outside a set of
 * choices with the choices (ajv lists "must be equal to constant" once per choice; a body of
 * several shapes told apart by a key, `discriminator`, says only that the key's value is not
 * one of them), a query key given twice (ajv says its value is not a string: it is a list).
 */
function validationProblem(issues: readonly ValidationIssue[], context: string): string | undefined {
  const first = issues[0];
  if (!first) return undefined;
  if (first.params?.additionalProperty !== undefined) return `/${first.params.additionalProperty}: unknown key`;
  if (first.keyword === 'discriminator' && first.params?.tag !== undefined) {
    const tag = first.params.tag;
    const choices = (first.parentSchema?.oneOf ?? []).map((shape) => String(shape.properties?.[tag]?.const));
    return `${first.instancePath}/${tag}: must be one of ${choices.join(', ')}`;
  }
  if (context === 'querystring' && first.keyword === 'type' && Array.isArray(first.data)) {
    return `${first.instancePath}: given ${first.data.length} times; give it once`;
  }
  if (first.keyword !== 'const') return undefined;
  const choices = issues
    .filter((i) => i.keyword === 'const' && i.instancePath === first.instancePath)
    .map((i) => String(i.params?.allowedValue));
  return `${first.instancePath}: must be one of ${[...new Set(choices)].join(', ')}`;
}

/** What Node's HTTP parser names its errors (`HPE_INVALID_METHOD`), in words. */
const PARSE_PROBLEMS: Readonly<Record<string, string>> = {
  HPE_INVALID_METHOD: 'an unknown method',
  HPE_INVALID_VERSION: 'an unknown HTTP version',
  HPE_INVALID_URL: 'a request target that is not a path',
  HPE_INVALID_HEADER_TOKEN: 'a header with a character headers cannot hold',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'a Content-Length beside Transfer-Encoding, or twice',
  HPE_INVALID_CONTENT_LENGTH: 'a Content-Length that is not a length, or one beside Transfer-Encoding',
  HPE_INVALID_TRANSFER_ENCODING: 'a Transfer-Encoding this server does not take',
};

/**
 * Closes the connection after this answer, given before the request's body was read: the
 * rest of the body is then neither taken for the next request (and answered as one, 408
 * when it never ends) nor, when it cannot be parsed, answered a second time (a 400).
 */
export function closeAfterAnswer(reply: FastifyReply): FastifyReply {
  return reply.header('connection', 'close');
}

/**
 * The answer to a request Node could not parse (Fastify's clientErrorHandler): the errors'
 * JSON, with a message naming what was malformed, written to the socket, which is then closed;
 * counted by `count` (as the request whose body was being read, or `method="other"` on the
 * unmatched route). A client that went away gets nothing.
 */
export function answerClientError(
  error: Error & { code?: string },
  socket: Socket,
  count: (status: number) => void,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new MonitoringErrors.TRADESIM_ERR_HTTP_REQUEST_TIMEOUT()
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new MonitoringErrors.TRADESIM_ERR_HTTP_HEADERS_TOO_LARGE()
        : new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(
            `the request cannot be read: ${PARSE_PROBLEMS[error.code ?? ''] ?? 'malformed'}`,
          );
  answerOnSocket(socket, answer, count);
}

/** Writes the answer to a catalogued error straight to a socket Fastify never saw, counts it, and closes the socket. */
function answerOnSocket(socket: Socket, answer: TradeSimError, count: (status: number) => void): void {
  const status = errorStatus(answer);
  const body = JSON.stringify(errorBody(status, answer.code, answer.message));
  count(status);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** How a request Node answers itself, before Fastify, is counted: its method, route (or undefined) and status. */
export type CountNodeAnswer = (method: string, url: string, status: number) => void;

/**
 * The requests Node's HTTP server answers itself unless told otherwise, answered as every
 * other error is (our JSON) and counted: an unknown `Expect` (417; Node's own has no body),
 * and `CONNECT` (a 400: this server is no proxy; Node closes the socket without a word). An
 * HTTP/1.1 request with no Host header is the third: Node's check is off (`requireHostHeader`)
 * and `refuseHostless` answers it, as a route's 400.
 */
export function answerNodeRequests(server: Server, count: CountNodeAnswer): void {
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const answer = new MonitoringErrors.TRADESIM_ERR_HTTP_EXPECTATION_FAILED(String(request.headers.expect));
    const status = errorStatus(answer);
    const body = JSON.stringify(errorBody(status, answer.code, answer.message));
    count(request.method ?? '', request.url ?? '', status);
    response.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  server.on('connect', (request: IncomingMessage, socket: Socket) => {
    const answer = new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(
      `CONNECT is not served: this server is not a proxy (asked for ${request.url ?? ''})`,
    );
    answerOnSocket(socket, answer, (status) => count('CONNECT', '', status));
  });
}

/**
 * An HTTP/1.1 request without a Host header (RFC 9112 3.2): a 400 that closes the connection,
 * as Node's own check would give, in our JSON; and one that is not a POST whose Content-Length
 * is past BODY_LIMIT, a 413 that closes it. A callback hook, as the request metrics' are:
 * every request passes through it, and an async one costs a promise each.
 */
export function refuseHostless(app: FastifyInstance): void {
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const { headers } = request;
    if (headers.host === undefined && request.raw.httpVersion === '1.1') {
      void sendError(
        reply.header('connection', 'close'),
        new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST('an HTTP/1.1 request must carry a Host header'),
      );
      return;
    }
    // A body announced past the limit on a route that takes none (a GET) is refused before it
    // is sent, not read whole to be dropped. A POST's is the parser's, after the controls'
    // guard: a caller who may not gets its 403 or 401 whatever its body.
    const length = headers['content-length'];
    if (length !== undefined && request.method !== 'POST' && Number(length) > BODY_LIMIT) {
      void sendError(closeAfterAnswer(reply), new MonitoringErrors.TRADESIM_ERR_HTTP_BODY_TOO_LARGE(BODY_LIMIT));
      return;
    }
    done();
  });
}

/** An error Fastify or a plugin raised about a request: its status, and headers its answer carries. */
type ClientError = Error & { statusCode?: number; validation?: unknown; headers?: Record<string, string> };

/**
 * The catalogued answer to a client's mistake of `status` (a 4xx): a body too large, of an
 * unknown type or unparseable, a page file's precondition not met or range past its end. The page's files answer a
 * folder (`/page/`) 403: there is no page there, a 404.
 */
function clientErrorAnswer(error: ClientError, status: number, request: FastifyRequest): TradeSimError {
  if (status === 413) return new MonitoringErrors.TRADESIM_ERR_HTTP_BODY_TOO_LARGE(BODY_LIMIT);
  if (status === 415) {
    return new MonitoringErrors.TRADESIM_ERR_HTTP_MEDIA_TYPE_UNSUPPORTED(request.headers['content-type'] ?? '');
  }
  if (status === 412) return new MonitoringErrors.TRADESIM_ERR_HTTP_PRECONDITION_FAILED();
  if (status === 416) return new MonitoringErrors.TRADESIM_ERR_HTTP_RANGE_NOT_SATISFIABLE(request.headers.range ?? '');
  if (status === 403 || status === 404) {
    return new MonitoringErrors.TRADESIM_ERR_HTTP_NOT_FOUND(request.method, request.url.split('?')[0] ?? '');
  }
  return new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(error.message);
}

/**
 * Answers every failed request with a catalogued error as JSON: validation and client
 * mistakes as their 4xx, an unknown path as 404 or 405 (with its Allow list), anything else
 * as 500. Client errors are logged below error level, at most once a minute per kind.
 */
export function registerErrorAnswers(app: FastifyInstance): void {
  const logLimited = createLogLimiter(LOG_EVERY_MS);
  app.setErrorHandler((error: ClientError, request, reply) => {
    if (error.validation) {
      const context = (error as { validationContext?: string }).validationContext ?? 'request';
      const problem =
        validationProblem(error.validation as ValidationIssue[], context) ?? error.message.replace(/^[a-z]+/, '');
      return sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(`${context}${problem}`));
    }
    if (error instanceof TradeSimError) return sendError(reply, error);
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // A client's mistake (a body too large, of an unknown type, unparseable): its own
      // 4xx, logged below error level and at most once a minute per kind.
      const answer = clientErrorAnswer(error, status, request);
      // A body too large or of a type not taken is left unread.
      if (status === 413 || status === 415) closeAfterAnswer(reply);
      // A page file's range past its end: the file's size, as the 416 carries it.
      const contentRange = error.headers?.['Content-Range'];
      if (status === 416 && contentRange !== undefined) reply.header('content-range', contentRange);
      const held = logLimited(answer.code);
      if (held !== undefined) request.log.info({ code: answer.code, held }, `client error: ${answer.message}`);
      return sendError(reply, answer);
    }
    if (logLimited('internal') !== undefined) request.log.error({ err: error }, 'request failed');
    return sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_INTERNAL('the request could not be served'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const methods = ROUTE_METHODS.get(path);
    if (methods) {
      const e = new MonitoringErrors.TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED(request.method, path, methods);
      return sendError(reply.header('allow', methods.join(', ')), e);
    }
    return sendError(reply, new MonitoringErrors.TRADESIM_ERR_HTTP_NOT_FOUND(request.method, path));
  });
}
