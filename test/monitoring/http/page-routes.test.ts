import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../../src/monitoring/http/page-routes.js';
import { type LiveFeed, SSE_BACKLOG_BYTES } from '../../../src/monitoring/live/live-feed.js';
import { appFor, loopFor } from '../fixtures.js';

describe('GET / and the page files', () => {
  it('answers a browser with the page under a strict Content-Security-Policy, anything else with the index', async () => {
    const { app } = appFor(loopFor('default', 1, 3));
    const page = await app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(page.headers.vary).toContain('Accept');
    // Local files only: no inline script or style, nothing from another host.
    expect(page.body).not.toMatch(/<script>|<style>|style="|https?:\/\//);
    for (const accept of ['*/*', 'application/json', '']) {
      const index = await app.inject({ url: '/', headers: accept ? { accept } : {} });
      expect(index.json().endpoints.length, accept).toBeGreaterThan(10);
    }
    expect((await app.inject({ url: '/api' })).json().name).toBe('tradesim');
  });

  it('answers a folder of the page files, or a path climbing out of them, 404 with no listing', async () => {
    const { app } = appFor(loopFor('default', 1, 1));
    for (const url of ['/page/', '/page/uplot/', '/page/../x', '/page/%2e%2e/x']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('TRADESIM_ERR_HTTP_NOT_FOUND');
    }
  });

  it('sends its first data with the HTML, as a JSON block no script can close early', async () => {
    const loop = loopFor('default', 1, 12);
    const { app } = appFor(loop);
    const page = (await app.inject({ url: '/', headers: { accept: 'text/html' } })).body;
    const block = /<script type="application\/json" id="first-view">(.*?)<\/script>/s.exec(page)?.[1];
    expect(block).toBeDefined();
    expect(block).not.toContain('<');
    const view = JSON.parse(block!) as { turns: number[]; window: string; figures: string[] };
    expect(view.window).toBe('recent');
    expect(view.turns).toHaveLength(12);
    expect(page.match(/<script/g)).toHaveLength(3);
  });

  it('serves its script, its style and uPlot from node_modules, with the same policy', async () => {
    const { app } = appFor(loopFor('default', 1, 1));
    for (const [url, type] of [
      ['/page/page.js', 'javascript'],
      ['/page/page.css', 'text/css'],
      ['/page/uplot/uPlot.iife.min.js', 'javascript'],
      ['/page/uplot/uPlot.min.css', 'text/css'],
    ] as const) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain(type);
      expect(res.headers['content-security-policy'], url).toBe(PAGE_CSP);
    }
    expect((await app.inject({ url: '/page/../package.json' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/page/nope.js' })).statusCode).toBe(404);
  });

  it('serves a range of a page file, answers one past its end 416 with the file size, and an unmet If-Match 412', async () => {
    const { app } = appFor(loopFor('default', 1, 1));
    const whole = await app.inject({ url: '/page/page.css' });
    const part = await app.inject({ url: '/page/page.css', headers: { range: 'bytes=0-9' } });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe(whole.body.slice(0, 10));
    const past = await app.inject({ url: '/page/page.css', headers: { range: 'bytes=99999999-' } });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${whole.rawPayload.length}`);
    expect(past.json()).toEqual({
      error: 'Range Not Satisfiable',
      code: 'TRADESIM_ERR_HTTP_RANGE_NOT_SATISFIABLE',
      message: "the range 'bytes=99999999-' is not within the file",
    });
    const unmatched = await app.inject({ url: '/page/page.css', headers: { 'if-match': '"nope"' } });
    expect(unmatched.statusCode).toBe(412);
    expect(unmatched.json().code).toBe('TRADESIM_ERR_HTTP_PRECONDITION_FAILED');
  });
});

describe('GET /api/live', () => {
  it('gives the charts, their data over the last turns, the markers, transitions and rules', async () => {
    const { app } = appFor(loopFor('default', 1, 30));
    const view = (await app.inject({ url: '/api/live' })).json();
    expect(view.window).toBe('recent');
    expect(view.charts.map((c: { id: string }) => c.id)).toEqual([
      'budget',
      'prices',
      'transactions',
      'supply',
      'cover',
      'slo',
      'turn',
    ]);
    expect(view.turns).toHaveLength(30);
    expect(view.values).toHaveLength(view.figures.length);
    expect(view.header).toMatchObject({ scenario: 'default', seed: 1, turn: 30, controls: false });
    expect(view.rules.length).toBeGreaterThan(0);
    // The whole run starts with the turns the services kept when the app began (a resumed
    // run's, here the 30 played before).
    const all = (await app.inject({ url: '/api/live?window=all' })).json();
    expect(all.turns).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it.each(['/api/live?window=week', '/api/live?x=1', '/api/live/update?markers=-1', '/api/live/update?markers=1e3'])(
    '%s is a 400',
    async (url) => {
      const { app } = appFor(loopFor('default', 1, 2));
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('TRADESIM_ERR_HTTP_BAD_REQUEST');
    },
  );
});

/** Opens the event stream and returns its response, paused (its reader reads nothing). */
const openStream = (port: number) =>
  new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const req = httpRequest({ port, path: '/api/live/events' }, (res) => {
      res.pause();
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });

describe('GET /api/live/events over a socket', () => {
  it('keeps no stream for a reader gone while a latency fault held its request', async () => {
    const { app } = appFor(loopFor('default', 1, 3), { controls: 'loopback' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const fault = await app.inject({
      method: 'POST',
      url: '/api/faults',
      headers: { host: '127.0.0.1', 'content-type': 'application/json' },
      payload: JSON.stringify({ action: 'start', fault: 'latency', target: 'api', ms: 300 }),
    });
    expect(fault.statusCode).toBe(200);
    // Each reader leaves after 100 ms, while its request still waits out the 300 ms.
    const leave = () =>
      new Promise<void>((resolve) => {
        const req = httpRequest({ port, host: '127.0.0.1', path: '/api/live/events' }, (res) => res.resume());
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.end();
        setTimeout(() => req.destroy(), 100);
      });
    await Promise.all(Array.from({ length: 10 }, leave));
    await new Promise((r) => setTimeout(r, 600));
    expect((app as unknown as { liveFeed: LiveFeed }).liveFeed.streams).toBe(0);
    await app.close();
  });

  it('ends an open stream whole when the server closes: its reader sees the end, not a cut', async () => {
    const { app } = appFor(loopFor('default', 1, 2));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const res = await openStream(port);
    const outcome = new Promise<string>((resolve) => {
      res.on('end', () => resolve('end'));
      res.on('aborted', () => resolve('aborted'));
      res.on('error', () => resolve('error'));
    });
    res.resume();
    await app.close();
    expect(await outcome).toBe('end');
  });

  it('streams at most about ten events a second from a flat-out run', async () => {
    const loop = loopFor('default', 1, 1);
    const { app } = appFor(loop);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const res = await openStream(port);
    expect(res.headers['content-type']).toContain('text/event-stream');
    let text = '';
    res.on('data', (d: Buffer) => (text += d.toString()));
    res.resume();
    const startedAt = Date.now();
    const running = loop.run({ turns: 1_000_000 });
    // Time must pass: a rate is counted over a window (2 s, or longer on a busy machine).
    await new Promise((r) => setTimeout(r, 2_000));
    await loop.stop();
    await running;
    const seconds = (Date.now() - startedAt) / 1000;
    const turns = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(turns.length).toBeGreaterThanOrEqual(5);
    expect(turns.length).toBeLessThanOrEqual(Math.ceil(10 * seconds) + 3);
    expect(turns).toEqual([...turns].sort((a, b) => a - b));
    expect(turns.at(-1)! - turns[0]!).toBeGreaterThan(turns.length);
    res.destroy();
    await app.close();
  });

  it('holds 50 streams whose readers read nothing without buffering for them, and drops them on close', async () => {
    const loop = loopFor('default', 1, 1);
    const { app } = appFor(loop);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const streams = await Promise.all(Array.from({ length: 50 }, () => openStream(port)));
    const running = loop.run({ turns: 1_000_000 });
    // Time must pass: events are due at most ten a second, and enough of them must be.
    await new Promise((r) => setTimeout(r, 3_000));
    // What the server holds for them: at most the backlog limit and one event each, however
    // long the run goes on (about 30 events each were due).
    const feed = (app as unknown as { liveFeed: LiveFeed }).liveFeed;
    expect(feed.streams).toBe(50);
    expect(feed.backlogBytes).toBeLessThanOrEqual(50 * (SSE_BACKLOG_BYTES + 8 * 1024));
    const health = await app.inject({ url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(streams.every((s) => !s.socket.destroyed)).toBe(true);
    await loop.stop();
    await running;
    await app.close();
    // Closing the server ends every stream: each reader, reading again, sees its end.
    await Promise.all(
      streams.map((s) => {
        const ended = new Promise((resolve) => s.once('close', resolve));
        s.resume();
        return ended;
      }),
    );
    expect(feed.streams).toBe(0);
  });
});
