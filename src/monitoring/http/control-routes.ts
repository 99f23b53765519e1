import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { INTERVAL_MAX_MS, type TurnLoop } from '../../services/index.js';
import { MonitoringErrors } from '../errors.js';
import { hasControlToken } from './control-token.js';
import { closeAfterAnswer } from './error-answers.js';
import { isLoopback } from './loopback.js';

/**
 * Who may use the controls: `loopback` (the server is bound to loopback: requests must name a
 * loopback host, which also stops a DNS-rebound page), `any` (started with --allow-control),
 * `off` (bound elsewhere without the flag).
 */
export type ControlAccess = 'loopback' | 'any' | 'off';

export const CONTROL_ACTIONS = ['pause', 'resume', 'step', 'interval'] as const;

const ControlBody = Type.Object(
  {
    action: Type.Union(CONTROL_ACTIONS.map((a) => Type.Literal(a))),
    intervalMs: Type.Optional(Type.Integer({ minimum: 0, maximum: INTERVAL_MAX_MS })),
  },
  { additionalProperties: false },
);

/**
 * Why a request may not change the run, or undefined when it may. A browser names the page
 * that sent a request in Origin (always on a POST) and Sec-Fetch-Site: a request from another
 * site is refused, and with no CORS headers a script elsewhere cannot send JSON here at all.
 */
export function controlRefusal(request: FastifyRequest, access: ControlAccess): string | undefined {
  if (access === 'off') return 'off';
  const host = request.headers.host ?? '';
  if (access === 'loopback' && !isLoopback(request.hostname)) {
    return `the Host header '${host}' is not a loopback name`;
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${site} request`;
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost !== host) return `a request from origin '${origin}' to host '${host}'`;
  }
  return undefined;
}

/**
 * Throws the refusal of a request that may not change the run: controls off, another site, a
 * non-loopback Host on a loopback server, or (with a `token`) a request without it.
 */
export function assertMayControl(request: FastifyRequest, access: ControlAccess, token?: string | null): void {
  const refusal = controlRefusal(request, access);
  if (refusal === 'off') throw new MonitoringErrors.TRADESIM_ERR_HTTP_CONTROL_DISABLED();
  if (refusal !== undefined) throw new MonitoringErrors.TRADESIM_ERR_HTTP_CROSS_SITE(refusal);
  if (token && !hasControlToken(request, token)) throw new MonitoringErrors.TRADESIM_ERR_HTTP_CONTROL_TOKEN();
}

/**
 * A route's onRequest hook letting through only a request that may control the run (see
 * assertMayControl): checked as the request arrives, so a caller who may not gets 403 or 401
 * whatever its body, and learns nothing of what one should hold.
 */
export const controlGuard =
  (access: ControlAccess, token?: string | null) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      assertMayControl(request, access, token);
    } catch (error) {
      // Answered before its body was read: the connection closes with the answer, or the
      // unread body would be taken for the next request (and time out as one, a second answer).
      closeAfterAnswer(reply);
      throw error;
    }
  };

/**
 * POST /api/control: pause, resume, step one turn, or change the interval of the run. Like
 * the shock and fault routes, JSON bodies only (a cross-site form cannot send one);
 * with a `token`, only requests that carry it (see control-token.ts).
 */
export function registerControlRoutes(
  app: FastifyInstance,
  loop: TurnLoop,
  access: ControlAccess,
  changed: () => void,
  token?: string | null,
): void {
  app.post(
    '/api/control',
    { schema: { body: ControlBody }, onRequest: controlGuard(access, token) },
    async (request) => {
      const body = request.body as { action: (typeof CONTROL_ACTIONS)[number]; intervalMs?: number };
      const state = loop.state;
      const live = state === 'running' || state === 'paused';
      const conflict = () => new MonitoringErrors.TRADESIM_ERR_HTTP_CONTROL_CONFLICT(body.action, stateName(state));
      // Only 'interval' takes one: given with another action it would be dropped without a word.
      if (body.intervalMs !== undefined && body.action !== 'interval') {
        throw new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(`body/intervalMs: only with action 'interval'`);
      }
      switch (body.action) {
        case 'pause':
          if (!live) throw conflict();
          loop.pause();
          break;
        case 'resume':
          if (!live) throw conflict();
          loop.resume();
          break;
        case 'step':
          // Between turns: a pause asked during a turn takes effect once the turn is over.
          if (state !== 'paused' || !(await loop.betweenTurns(() => loop.step()))) throw conflict();
          break;
        case 'interval':
          if (body.intervalMs === undefined) {
            throw new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(
              "body/intervalMs: required with action 'interval'",
            );
          }
          if (!live) throw conflict();
          loop.setIntervalMs(body.intervalMs);
          break;
      }
      changed();
      return { state: loop.state, turn: loop.latest()?.turn ?? 0, intervalMs: loop.intervalMs };
    },
  );
}

const stateName = (state: TurnLoop['state']) => (state === 'idle' ? 'finished or not started' : state);
