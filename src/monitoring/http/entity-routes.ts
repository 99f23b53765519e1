import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ENTITY_KINDS, ENTITY_SORT_FIELDS, type TurnLoop } from '../../services/index.js';
import { MonitoringErrors } from '../errors.js';

// Strings, as for /api/history: no coercion, no unknown keys.
const EntityQuery = Type.Object(
  {
    sort: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  { additionalProperties: false },
);

export const ENTITY_PAGE_DEFAULT = 20;

/**
 * GET /api/companies, /api/products and /api/suppliers: a page of the live world's entities,
 * sorted by a field (?sort=&order=asc|desc&offset=&limit=, at most the services' page size),
 * as of the last turn published (a request during a turn waits for its end).
 */
export function registerEntityRoutes(app: FastifyInstance, loop: TurnLoop): void {
  for (const kind of ENTITY_KINDS) {
    app.get(`/api/${kind}`, { schema: { querystring: EntityQuery } }, async (request) => {
      if (!loop.latest()) throw new MonitoringErrors.TRADESIM_ERR_HTTP_NO_TURN_YET();
      const query = request.query as { sort?: string; order?: 'asc' | 'desc'; offset?: string; limit?: string };
      const sort = query.sort ?? ENTITY_SORT_FIELDS[kind][0];
      // The live world, read between turns: never a half-played one.
      return loop.betweenTurns(() =>
        loop.entities({
          kind,
          sort,
          order: query.order ?? (sort === 'name' ? 'asc' : 'desc'),
          offset: query.offset === undefined ? 0 : Number(query.offset),
          limit: query.limit === undefined ? ENTITY_PAGE_DEFAULT : Number(query.limit),
        }),
      );
    });
  }
}
