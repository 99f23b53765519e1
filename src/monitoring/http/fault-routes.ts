import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MonitoringErrors } from '../errors.js';
import { type ControlAccess, controlGuard } from './control-routes.js';
import {
  FAULT_FIELDS,
  FAULT_KINDS,
  FAULT_TARGETS,
  type FaultKind,
  type FaultRequest,
  type Faults,
  FaultSchema,
} from './faults.js';

const StartBody = Type.Object(
  { action: Type.Literal('start'), ...FaultSchema.properties },
  { additionalProperties: false },
);
const StopBody = Type.Object(
  {
    action: Type.Literal('stop'),
    fault: Type.Union(FAULT_KINDS.map((k) => Type.Literal(k))),
    target: Type.Optional(Type.Union(FAULT_TARGETS.map((t) => Type.Literal(t)))),
  },
  { additionalProperties: false },
);
/** A start or a stop, told apart by `action`: a mistake is named against that shape alone. */
const FaultBody = Type.Unsafe<Static<typeof StartBody> | Static<typeof StopBody>>({
  type: 'object',
  oneOf: [StartBody, StopBody],
  discriminator: { propertyName: 'action' },
});

/**
 * Which fault target a request's route is, if any: the control routes never suffer faults. The
 * route the router matched (its template), not the URL as sent: `/%6detrics` is /metrics.
 * A path no route matches (a 404) is no target.
 */
function targetOf(route: string | undefined): 'metrics' | 'api' | undefined {
  if (route === '/metrics') return 'metrics';
  if (route === undefined || !route.startsWith('/api/')) return undefined;
  return ['/api/faults', '/api/shocks', '/api/control'].includes(route) ? undefined : 'api';
}

/**
 * The exporter's faults: a hook that delays or fails requests to /metrics or /api/*, GET
 * /api/faults (the faults on) and POST /api/faults (`{"action":"start","fault":...}` or
 * `{"action":"stop","fault":...}`), guarded as /api/control is.
 */
export function registerFaultRoutes(
  app: FastifyInstance,
  faults: Faults,
  access: ControlAccess,
  token?: string | null,
): void {
  // After the RED hook's onRequest, so an added delay or error is measured like any other. A
  // callback hook that answers at once when no fault is on: every request passes through it.
  app.addHook('onRequest', (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    // The route's options are built on each read: read only while a fault could hit the request.
    const target = faults.hitsRequests() ? targetOf(request.routeOptions.url) : undefined;
    if (!target) return done();
    const { delayMs, fail } = faults.requestFault(target);
    const error = fail
      ? new MonitoringErrors.TRADESIM_ERR_HTTP_FAULT_INJECTED(request.routeOptions.url ?? '')
      : undefined;
    if (delayMs > 0) setTimeout(() => done(error), delayMs);
    else done(error);
  });
  app.addHook('onClose', async () => faults.close());
  app.get('/api/faults', async () => ({
    faults: faults.list(),
    kinds: FAULT_KINDS,
    // The fields each kind takes: the page's form shows and sends only those.
    fields: FAULT_FIELDS,
    targets: FAULT_TARGETS,
    schema: FaultSchema,
  }));
  app.post('/api/faults', { schema: { body: FaultBody }, onRequest: controlGuard(access, token) }, async (request) => {
    const body = request.body as { action: 'start' | 'stop'; fault: FaultKind } & FaultRequest;
    if (body.action === 'start') {
      const { action: _action, ...fault } = body;
      return { applied: faults.start(fault), faults: faults.list() };
    }
    return { stopped: faults.stop(body.fault, body.target), faults: faults.list() };
  });
}
