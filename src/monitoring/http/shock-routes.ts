import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TurnLoop } from '../../services/index.js';
import { ShockSchema } from '../../simulation/index.js';
import { MonitoringErrors } from '../errors.js';
import { type ControlAccess, controlGuard } from './control-routes.js';

// The shock's own fields are checked by the services against the timeline's schema.
const ShockBody = Type.Object(
  {
    action: Type.Union([Type.Literal('start'), Type.Literal('stop')]),
    index: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: true },
);

/**
 * GET /api/shocks: the shocks in force or to come, the live record and the timeline's schema
 * (the page builds its form from it). POST /api/shocks: `{"action":"start","shock":KIND,...}`
 * starts one (at the next turn, or `at`), `{"action":"stop","index":N}` ends one in force at
 * the next turn. Guarded as /api/control is, so it is registered with registerControlRoutes'
 * parameters.
 */
// The same parameters as registerControlRoutes: both guard a write the same way.
export function registerShockRoutes(
  app: FastifyInstance,
  loop: TurnLoop,
  access: ControlAccess,
  changed: () => void,
  token?: string | null,
): void {
  const listing = () => ({
    turn: loop.latest()?.turn ?? 0,
    shocks: loop.shocks.list(),
    record: loop.shocks.record(),
    schema: ShockSchema,
  });
  app.get('/api/shocks', async () => listing());
  app.post(
    '/api/shocks',
    { schema: { body: ShockBody }, onRequest: controlGuard(access, token) },
    async (request, reply) => {
      const { action, index, ...shock } = request.body as { action: 'start' | 'stop'; index?: number };
      // A run that has played its turns, or stopped, plays none the shock could change.
      // One stopping (a signal) plays none after the turn under way either.
      const refuseOver = () => {
        if (!loop.ended && loop.state !== 'stopped' && !loop.stopping) return;
        const state = loop.state === 'stopped' ? 'stopped' : loop.stopping ? 'stopping' : 'finished';
        throw new MonitoringErrors.TRADESIM_ERR_HTTP_CONTROL_CONFLICT(`${action} a shock in`, state);
      };
      refuseOver();
      if (action === 'start' && index !== undefined) {
        throw new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST('body/index: only with stop');
      }
      if (action === 'stop' && index === undefined) {
        throw new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST("body/index: required with 'stop'");
      }
      const extra = Object.keys(shock)[0];
      if (action === 'stop' && extra !== undefined) {
        throw new MonitoringErrors.TRADESIM_ERR_HTTP_BAD_REQUEST(`body/${extra}: a stop takes only the shock's index`);
      }
      // The timeline changes between turns, never under a half-played one; the turn in play
      // may have been the run's last.
      const applied = await loop.betweenTurns(() => {
        refuseOver();
        return action === 'start' ? loop.shocks.start(shock) : loop.shocks.stop(index!);
      });
      changed();
      return reply.code(action === 'start' ? 201 : 200).send({ applied, ...listing() });
    },
  );
}
