import { describe, expect, it } from 'vitest';
import { appFor, loopFor } from '../fixtures.js';

describe('GET /api/companies, /api/products, /api/suppliers', () => {
  it('pages and sorts each list, 20 rows by default', async () => {
    const { app } = appFor(loopFor('large', 1, 2));
    const companies = (await app.inject({ url: '/api/companies' })).json();
    expect(companies).toMatchObject({ kind: 'companies', total: 10_000, sort: 'budget', order: 'desc', limit: 20 });
    expect(companies.rows).toHaveLength(20);
    const page = (await app.inject({ url: '/api/products?sort=name&offset=10&limit=5' })).json();
    expect(page).toMatchObject({ order: 'asc', offset: 10, limit: 5 });
    const names = page.rows.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort());
    const suppliers = (await app.inject({ url: '/api/suppliers?sort=stock&order=asc&limit=100' })).json();
    expect(suppliers.rows).toHaveLength(100);
  });

  it.each([
    ['/api/companies?limit=101', 'TRADESIM_ERR_PAGE_INVALID'],
    ['/api/companies?limit=0', 'TRADESIM_ERR_PAGE_INVALID'],
    ['/api/companies?limit=1000', 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
    ['/api/companies?offset=-1', 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
    ['/api/companies?sort=price', 'TRADESIM_ERR_SORT_UNKNOWN'],
    ['/api/products?order=up', 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
    ['/api/suppliers?page=2', 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
    ['/api/suppliers?limit=5&limit=6', 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
  ])('%s is a 400 (%s)', async (url, code) => {
    const { app } = appFor(loopFor('default', 1, 2));
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
  });

  it('answers a request made during a turn with the page of the turn once it is published', async () => {
    const loop = loopFor('default', 1, 1);
    const { app } = appFor(loop);
    const run = loop.run({ turns: 3, sliceItems: 20, yieldEveryMs: 0 });
    // The loop's first slice is played; the turn is half played until it is published.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(loop.latest()?.turn).toBe(1);
    const res = await app.inject({ url: '/api/companies?limit=3' });
    expect(res.statusCode).toBe(200);
    expect(res.json().turn).toBeGreaterThanOrEqual(2);
    await run;
  });

  it('is a 503 before the first turn', async () => {
    const { app } = appFor(loopFor('default', 1, 0));
    expect((await app.inject({ url: '/api/companies' })).statusCode).toBe(503);
  });
});
