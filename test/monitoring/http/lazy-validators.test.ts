import { describe, expect, it } from 'vitest';
import { lazyValidators } from '../../../src/monitoring/http/lazy-validators.js';

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
