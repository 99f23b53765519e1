import { describe, expect, it } from 'vitest';
import { lazyValidators } from '../../../src/monitoring/http/lazy-validators.js';
import { ROUTES } from '../../../src/monitoring/http/route-index.js';
import { appFor, loopFor } from '../fixtures.js';

type Build = (
  externalSchemas: object,
  options: object,
) => (route: object) => {
  (data: unknown): boolean;
  errors?: Array<{ instancePath: string; keyword: string }> | null;
};

const schema = {
  type: 'object',
  properties: { n: { type: 'integer' } },
  required: ['n'],
  additionalProperties: false,
};

function factory() {
  const created: unknown[] = [];
  const build = (lazyValidators as unknown as Build)(
    {},
    { customOptions: {}, onCreate: (ajv: unknown) => created.push(ajv) },
  );
  return { build, created };
}

describe('lazyValidators', () => {
  it('sets ajv up at the first request, not when the routes are built, and once for every route', () => {
    const { build, created } = factory();
    const body = build({ schema, method: 'POST', url: '/a', httpPart: 'body' });
    const query = build({ schema, method: 'GET', url: '/b', httpPart: 'querystring' });
    expect(created).toHaveLength(0);
    expect(body({ n: 1 })).toBe(true);
    expect(query({ n: 2 })).toBe(true);
    expect(created).toHaveLength(1);
  });

  it("answers as ajv does, with ajv's errors on the validator Fastify reads them from", () => {
    const { build } = factory();
    const validate = build({ schema, method: 'POST', url: '/a', httpPart: 'body' });
    expect(validate({ n: 'one' })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/n', keyword: 'type' });
    expect(validate({ n: 1 })).toBe(true);
    expect(validate.errors).toBeNull();
  });
});

describe('every route of the app, its schemas compiled at its first request', () => {
  it('answers a bad query or body 400, never 500: each schema compiles', async () => {
    const { app } = appFor(loopFor('default', 1, 2), { controls: 'loopback' });
    const headers = { host: '127.0.0.1', 'content-type': 'application/json' };
    const paths = ROUTES.map((r) => r.path).filter((p) => p.startsWith('/api'));
    expect(paths.length).toBeGreaterThan(10);
    for (const route of ROUTES.filter((r) => r.path.startsWith('/api'))) {
      for (const method of route.methods.filter((m) => m === 'GET' || m === 'POST')) {
        const res = await app.inject(
          method === 'GET'
            ? { url: `${route.path}?zz=1` }
            : { method: 'POST', url: route.path, headers, payload: '{"action":"nope"}' },
        );
        expect(res.statusCode, `${method} ${route.path}`).toBe(400);
      }
    }
    await app.close();
  });
});
