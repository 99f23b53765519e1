import { STATUS_CODES } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { MAX_PIPELINED, methodLabel } from '../../../src/monitoring/http/request-metrics.js';
import { readFileSync } from 'node:fs';
import { createTurnLoop, loadRunConfig } from '../../../src/services/index.js';
import { createSimulation } from '../../../src/simulation/index.js';
import { appFor, parseExposition, loopFor } from '../fixtures.js';

describe('GET /metrics', () => {
  it('serves Prometheus text by default', async () => {
    const { app } = appFor(loopFor('default', 1, 10));
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parseExposition(res.body);
    expect(samples.find((s) => s.name === 'tradesim_turns_total')?.value).toBe(10);
    expect(res.body).not.toContain('# EOF');
  });

  it('serves OpenMetrics when the Accept header asks for it', async () => {
    const { app } = appFor(loopFor('default', 1, 10));
    const res = await app.inject({
      url: '/metrics',
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    });
    expect(res.headers['content-type']).toContain('application/openmetrics-text');
    expect(res.body.trimEnd().endsWith('# EOF')).toBe(true);
    expect(res.body).toContain('# TYPE tradesim_turns counter');
    expect(res.body).toContain('tradesim_turns_total 10');
    // The Prometheus registry is untouched by the OpenMetrics one.
    const plain = await app.inject({ url: '/metrics' });
    expect(plain.body).toContain('# TYPE tradesim_turns_total counter');
  });

  it('compresses with gzip when accepted', async () => {
    const { app } = appFor(loopFor('default', 1, 3));
    const res = await app.inject({ url: '/metrics', headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString()).toContain('tradesim_turn 3');
  });
});

describe('GET /health', () => {
  it('reports the loop and the JSONL writer', async () => {
    const loop = loopFor('default', 4, 5);
    const { app } = appFor(loop, {
      jsonl: () => ({
        path: 'logs/x.jsonl',
        linesWritten: 5,
        writeErrors: 0,
        lastError: null,
        rotations: 0,
        reopens: 0,
        waitSeconds: 0,
        holdingBack: false,
        busySeconds: 0,
      }),
    });
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'finished',
      turn: 5,
      runId: loop.runId,
      seed: 4,
      jsonl: { path: 'logs/x.jsonl', linesWritten: 5, lastError: null },
    });
    expect(typeof res.json().uptimeSeconds).toBe('number');
    expect(typeof res.json().lastTurnAgeSeconds).toBe('number');
  });

  it('is 503 when the JSONL writer is failing', async () => {
    const { app } = appFor(loopFor('default', 4, 2), {
      jsonl: () => ({
        path: '/proc/x.jsonl',
        linesWritten: 2,
        writeErrors: 2,
        lastError: 'EACCES',
        rotations: 0,
        reopens: 0,
        waitSeconds: 0,
        holdingBack: false,
        busySeconds: 0,
      }),
    });
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'failing', jsonl: { lastError: 'EACCES' } });
  });

  it('is 503 when a running loop stalls', async () => {
    // Ten intervals or the app's limit (10 s), whichever is longer: 30 s without a turn is a stall.
    const loop = loopFor('default', 4, 2);
    const running = loop.run({ intervalMs: 500 });
    const { app } = appFor(loop, { wallMs: () => Date.now() + 30_000 });
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().status).toBe('stalled');
    await loop.stop();
    await running;
  });

  it('is not stalled when the interval was lengthened from the page', async () => {
    const loop = loopFor('default', 4, 2);
    const running = loop.run({ intervalMs: 500 });
    loop.setIntervalMs(10_000);
    const { app } = appFor(loop, { wallMs: () => Date.now() + 30_000 });
    expect((await app.inject({ url: '/health' })).json().status).toBe('ok');
    await loop.stop();
    await running;
  });
});

describe('GET /api/*', () => {
  it('/api/stats gives every service figure of the latest turn, lazily computed ones included', async () => {
    const loop = loopFor('default', 2, 12);
    const { app } = appFor(loop);
    const body = (await app.inject({ url: '/api/stats' })).json();
    expect(body.turn).toBe(12);
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining([
        'budget',
        'company',
        'product',
        'supplier',
        'transaction',
        'event',
        'performance',
        'alerts',
      ]),
    );
    expect(body.budget.gini).toBeCloseTo(loop.latest()!.budget.gini, 12);
    expect(body.product.volatility).toBe(loop.latest()!.product.volatility);
  });

  it.each(['/api/stats', '/api/history?figure=budget.total'])('%s is 503 before the first turn', async (url) => {
    const { app } = appFor(loopFor('default', 2, 0));
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: 'Service Unavailable',
      code: 'TRADESIM_ERR_HTTP_NO_TURN_YET',
      message: 'no turn has been played yet',
    });
  });

  it('/api/alerts lists the active alerts, recent transitions and the rules', async () => {
    const loop = loopFor(
      {
        market: { selectionProbability: 1, quantityMin: 50, quantityMax: 50 },
        companies: { budgetMin: 500, budgetMax: 500 },
      },
      3,
      30,
    );
    const body = (await appFor(loop).app.inject({ url: '/api/alerts' })).json();
    expect(body.rules.map((r: { name: string }) => r.name)).toContain('no_solvent_company');
    expect(body.recent.length).toBeGreaterThan(0);
    expect(body.active.length).toBeGreaterThan(0);
    expect(body.active[0]).toHaveProperty('severity');
  });

  describe('/api/alerts on crisis seed 7 at turn 2,000', () => {
    // The firings as the turns' transitions tell them, independently of the route.
    const seen: string[] = [];
    const config = loadRunConfig(readFileSync('scenarios/crisis.json', 'utf8'));
    const loop = createTurnLoop({ simulation: createSimulation(config.scenario, 7), config });
    loop.subscribe((s) => {
      for (const e of s.alerts.transitions) {
        if (e.to === 'firing') seen.push(`${e.rule}@${e.turn}`);
        else if (e.from === 'firing') {
          const i = seen.findLastIndex((f) => f.startsWith(`${e.rule}@`));
          seen[i] = `${seen[i]}-${e.turn}`;
        }
      }
    });
    for (let t = 0; t < 2_000; t++) loop.runTurn();
    const label = (f: { rule: string; fired: number; resolved: number | null }) =>
      `${f.rule}@${f.fired}${f.resolved === null ? '' : `-${f.resolved}`}`;

    it('lists every firing of the run with its fired and resolved turns', async () => {
      const body = (await appFor(loop).app.inject({ url: '/api/alerts' })).json();
      expect(seen.length).toBeGreaterThanOrEqual(10);
      expect(body.firings.map(label)).toEqual(seen);
      expect(body.firingsDropped).toBe(0);
      // The credit freeze's insolvency wave is among them, resolved.
      expect(seen.some((f) => /^budget_critical@9\d\d-\d+$/.test(f))).toBe(true);
    });

    it('?since=TURN keeps the firings active at or after that turn', async () => {
      const body = (await appFor(loop).app.inject({ url: '/api/alerts?since=1000' })).json();
      const expected = loop.alertFirings().firings.filter((f) => f.resolved === null || f.resolved >= 1_000);
      expect(body.firings).toEqual(expected);
      expect(body.firings.length).toBeLessThan(seen.length);
      expect(body.firings.length).toBeGreaterThan(0);
    });

    it.each(['since=-1', 'since=abc', 'since=1&since=2', 'after=3'])('?%s is a 400 JSON error', async (query) => {
      const res = await appFor(loop).app.inject({ url: `/api/alerts?${query}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('TRADESIM_ERR_HTTP_BAD_REQUEST');
    });
  });

  it('/api/alerts keeps the newest firings and counts the dropped ones', async () => {
    const base = loadRunConfig(readFileSync('scenarios/crisis.json', 'utf8'));
    const config = { ...base, services: { ...base.services, alertFirings: 3 } };
    const loop = createTurnLoop({ simulation: createSimulation(config.scenario, 7), config });
    for (let t = 0; t < 2_000; t++) loop.runTurn();
    const all = loopFor('crisis', 7, 2_000).alertFirings();
    const body = (await appFor(loop).app.inject({ url: '/api/alerts' })).json();
    expect(body.firings).toEqual(all.firings.slice(-3));
    expect(body.firingsDropped).toBe(all.firings.length - 3);
    expect(body.firingsKept).toBe(3);
  });

  it('/api/history returns the window of a figure with its summary', async () => {
    const loop = loopFor('default', 2, 30);
    const body = (await appFor(loop).app.inject({ url: '/api/history?figure=budget.total&window=10' })).json();
    expect(body.turns).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(body.values).toHaveLength(10);
    expect(body.values[9]).toBe(loop.latest()!.budget.total);
    expect(body.summary.max).toBe(Math.max(...body.values));
  });

  it.each([
    ['/api/history', 'TRADESIM_ERR_HTTP_BAD_REQUEST', "must have required property 'figure'"],
    ['/api/history?figure=budget.total&window=0', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'window must be an integer from 1'],
    ['/api/history?figure=budget.total&window=abc', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'window must match pattern'],
    ['/api/history?figure=budget.total&window=0x10', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'window must match pattern'],
    [
      '/api/history?figure=budget.total&window=5&window=6',
      'TRADESIM_ERR_HTTP_BAD_REQUEST',
      'querystring/window: given 2 times; give it once',
    ],
    [
      '/api/history?figure=budget.total&window[]=5',
      'TRADESIM_ERR_HTTP_BAD_REQUEST',
      'querystring/window[]: unknown key',
    ],
    ['/api/history?figure=budget.total&colour=red', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'querystring/colour: unknown key'],
    // Routes that read no query refuse any key too.
    ['/api/stats?bogus=1', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'querystring/bogus: unknown key'],
    ['/api/figures?x=1&x=2', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'querystring/x: unknown key'],
    ['/api?x=1', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'querystring/x: unknown key'],
    ['/api/shocks?x[]=1', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'querystring/x[]: unknown key'],
    ['/api/history?figure=&window=5', 'TRADESIM_ERR_HTTP_BAD_REQUEST', 'figure must NOT have fewer than 1 characters'],
    ['/api/history?figure=budget.nope', 'TRADESIM_ERR_FIGURE_UNKNOWN', "unknown figure 'budget.nope'"],
    [
      '/api/history?figure=budget.gini',
      'TRADESIM_ERR_FIGURE_NOT_KEPT',
      "'budget.gini' is computed when read, not kept in history",
    ],
  ])('%s is a 400 JSON error', async (url, code, message) => {
    const res = await appFor(loopFor('default', 2, 3)).app.inject({ url });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'Bad Request', code });
    expect(res.json().message).toContain(message);
  });
});

describe('GET / and /api/figures', () => {
  it('/ indexes every endpoint, each of which answers', async () => {
    const { app } = appFor(loopFor('default', 2, 3));
    const body = (await app.inject({ url: '/' })).json<{ endpoints: { path: string; methods: string[] }[] }>();
    expect(body.endpoints.map((e) => e.path)).toEqual([
      '/',
      '/api',
      '/metrics',
      '/health',
      '/api/stats',
      '/api/alerts',
      '/api/history',
      '/api/figures',
      '/api/companies',
      '/api/products',
      '/api/suppliers',
      '/api/live',
      '/api/live/events',
      '/api/live/update',
      '/api/control',
      '/api/shocks',
      '/api/faults',
    ]);
    // The event stream never ends (tested over a socket); the control takes a POST.
    for (const { path, methods } of body.endpoints.filter((e) => e.path !== '/api/live/events')) {
      const res = methods.includes('GET')
        ? await app.inject({ url: path === '/api/history' ? `${path}?figure=budget.total` : path })
        : await app.inject({ method: 'POST', url: path, payload: { action: 'pause' } });
      // The controls are off unless the app is told who may use them.
      expect(res.statusCode, path).toBe(path === '/api/control' ? 403 : 200);
    }
  });

  it('/api/figures lists every figure with its unit and whether history keeps it', async () => {
    const { app } = appFor(loopFor('default', 2, 1));
    const { figures } = (await app.inject({ url: '/api/figures' })).json<{
      figures: { name: string; unit: string; historized: boolean }[];
    }>();
    expect(figures.find((f) => f.name === 'budget.total')).toEqual({
      name: 'budget.total',
      unit: 'currency units',
      historized: true,
    });
    expect(figures.find((f) => f.name === 'budget.gini')).toMatchObject({ unit: 'ratio', historized: false });
    expect(figures.every((f) => f.unit !== '')).toBe(true);
  });
});

describe('content negotiation follows q-values', () => {
  it.each([
    ['text/plain;q=1, application/openmetrics-text;q=0', 'text/plain'],
    ['application/openmetrics-text;q=0.5, text/plain;q=0.9', 'text/plain'],
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'application/openmetrics-text',
    ],
    ['*/*', 'text/plain'],
    ['application/json', 'text/plain'],
  ])('Accept: %s gets %s', async (accept, type) => {
    const { app } = appFor(loopFor('default', 1, 2));
    const res = await app.inject({ url: '/metrics', headers: { accept } });
    expect(res.headers['content-type']).toContain(type);
  });

  it.each([
    ['gzip;q=0', undefined],
    ['identity, gzip;q=0', undefined],
    ['deflate, gzip;q=0.5', 'gzip'],
    ['*', 'gzip'],
  ])('Accept-Encoding: %s gets %s', async (encoding, expected) => {
    const { app } = appFor(loopFor('default', 1, 2));
    const res = await app.inject({ url: '/metrics', headers: { 'accept-encoding': encoding } });
    expect(res.headers['content-encoding']).toBe(expected);
  });
});

describe('client errors', () => {
  it.each([
    [
      { method: 'POST', url: '/health', headers: { 'content-type': 'application/json' }, payload: '{bad' },
      400,
      'TRADESIM_ERR_HTTP_BAD_REQUEST',
    ],
    [
      {
        method: 'POST',
        url: '/health',
        headers: { 'content-type': 'application/json' },
        payload: `"${'x'.repeat(2_000_000)}"`,
      },
      413,
      'TRADESIM_ERR_HTTP_BODY_TOO_LARGE',
    ],
    // A route that takes no body refuses one past the limit too, rather than read it to drop it.
    [
      { method: 'GET', url: '/health', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(70_000) },
      413,
      'TRADESIM_ERR_HTTP_BODY_TOO_LARGE',
    ],
    // The controls off: a caller who may not gets its 403 whatever its body's size.
    [
      {
        method: 'POST',
        url: '/api/control',
        headers: { 'content-type': 'application/json' },
        payload: 'x'.repeat(70_000),
      },
      403,
      'TRADESIM_ERR_HTTP_CONTROL_DISABLED',
    ],
    [{ method: 'PROPFIND', url: '/health' }, 405, 'TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED'],
    [{ method: 'GET', url: '/%zz' }, 400, 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
  ] as const)('%o is a %i JSON error with its code, counted', async (request, status, code) => {
    const { app } = appFor(loopFor('default', 2, 1));
    const res = await app.inject(request as InjectOptions);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code });
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      new RegExp(
        `tradesim_http_requests_total\\{method="${methodLabel(request.method)}",route="[^"]+",status="${status}"\\} 1`,
      ),
    );
  });

  it.each([
    ['{bad', 'body: not JSON ('],
    ['{"action":"pause","action":"resume"}', 'body: action: given more than once; give it once'],
    ['{"action":"pause","__proto__":{}}', 'body: a __proto__ or constructor.prototype key is refused'],
    [
      '{"action":"pause","x":{"constructor":{"prototype":{}}}}',
      'body: a __proto__ or constructor.prototype key is refused',
    ],
  ])('refuses the JSON body %s, saying why', async (payload, message) => {
    const { app } = appFor(loopFor('default', 2, 1), { controls: 'loopback' });
    const res = await app.inject({
      method: 'POST',
      url: '/api/control',
      headers: { host: '127.0.0.1', 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(message);
  });

  it('refuses a body nested 20,000 deep with a 400 (walked without recursion: no stack to overflow)', async () => {
    const { app } = appFor(loopFor('default', 2, 1), { controls: 'loopback' });
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    for (const payload of [deep, `{"action":"start","shock":"demand_surge","x":${deep}}`]) {
      for (const url of ['/api/control', '/api/shocks']) {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { host: '127.0.0.1', 'content-type': 'application/json' },
          payload,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().message).toBe('body: nested more than 16 levels deep');
      }
    }
  });

  it('logs a repeated client error once a minute, below error level', async () => {
    const lines: string[] = [];
    const loop = loopFor('default', 2, 1);
    const { app } = appFor(loop, {
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    });
    for (let i = 0; i < 50; i++) {
      await app.inject({
        method: 'POST',
        url: '/health',
        headers: { 'content-type': 'application/json' },
        payload: '{bad',
      });
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, code: 'TRADESIM_ERR_HTTP_BAD_REQUEST' });
  });

  it('labels a 405 on a known path with that path', async () => {
    const { app } = appFor(loopFor('default', 2, 1));
    await app.inject({ method: 'DELETE', url: '/metrics' });
    expect((await app.inject({ url: '/metrics' })).body).toContain(
      'tradesim_http_requests_total{method="DELETE",route="/metrics",status="405"} 1',
    );
  });
});

describe('unknown routes and methods', () => {
  it('answers 404 JSON for an unknown path', async () => {
    const res = await appFor(loopFor('default', 2, 1)).app.inject({ url: '/wp-admin.php' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: 'Not Found',
      code: 'TRADESIM_ERR_HTTP_NOT_FOUND',
      message: 'no route for GET /wp-admin.php',
    });
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'] as const)(
    'answers 405 with Allow for %s on a known path',
    async (method) => {
      const res = await appFor(loopFor('default', 2, 1)).app.inject({ method, url: '/health' });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(res.json()).toMatchObject({ error: 'Method Not Allowed', code: 'TRADESIM_ERR_HTTP_METHOD_NOT_ALLOWED' });
    },
  );

  it('reads a percent-encoded path as the router does: a 405 on it, counted under its route', async () => {
    const { app } = appFor(loopFor('default', 2, 1));
    const res = await app.inject({ method: 'POST', url: '/api/st%61ts' });
    expect(res.statusCode).toBe(405);
    expect(res.json().message).toContain('/api/stats');
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('tradesim_http_requests_total{method="POST",route="/api/stats",status="405"} 1');
  });

  it('serves HEAD on known routes', async () => {
    const res = await appFor(loopFor('default', 2, 1)).app.inject({ method: 'HEAD', url: '/health' });
    expect(res.statusCode).toBe(200);
  });

  it('answers HEAD on every route whose Allow names HEAD, the event stream included', async () => {
    const { app } = appFor(loopFor('default', 2, 1));
    const body = (await app.inject({ url: '/api' })).json<{ endpoints: { path: string; methods: string[] }[] }>();
    for (const { path } of body.endpoints.filter((e) => e.methods.includes('HEAD'))) {
      const url = path === '/api/history' ? `${path}?figure=budget.total` : path;
      const res = await app.inject({ method: 'HEAD', url });
      expect(res.statusCode, path).toBe(200);
      expect(res.body, path).toBe('');
    }
    const head = await app.inject({ method: 'HEAD', url: '/api/live/events' });
    expect(head.headers['content-type']).toContain('text/event-stream');
  });
});

describe('RED metrics of the server', () => {
  it('counts requests by method, route template and status, folding unknown paths', async () => {
    const { app } = appFor(loopFor('default', 2, 2));
    await app.inject({ url: '/health' });
    await app.inject({ url: '/health' });
    await app.inject({ url: '/api/history?figure=nope' });
    for (let i = 0; i < 20; i++) await app.inject({ url: `/scan/${i}` });
    await app.inject({ method: 'POST', url: '/metrics' });
    const samples = parseExposition((await app.inject({ url: '/metrics' })).body);
    const requests = samples.filter((s) => s.name === 'tradesim_http_requests_total');
    const count = (route: string, status: string, method = 'GET') =>
      requests.find((s) => s.labels.route === route && s.labels.status === status && s.labels.method === method)?.value;
    expect(count('/health', '200')).toBe(2);
    expect(count('/api/history', '400')).toBe(1);
    expect(count('__unmatched__', '404')).toBe(20);
    expect(count('/metrics', '405', 'POST')).toBe(1);
    expect(new Set(requests.map((s) => s.labels.route))).toEqual(
      new Set(['/health', '/api/history', '/metrics', '__unmatched__']),
    );
    const durations = samples.filter((s) => s.name === 'tradesim_http_request_duration_seconds_count');
    expect(durations.find((s) => s.labels.route === '/health')?.value).toBe(2);
    // The scrape being served is in flight.
    expect(samples.find((s) => s.name === 'tradesim_http_requests_in_flight')?.value).toBe(1);
  });
});

/** Sends `raw` on a new connection; resolves with all that comes back before the server closes it. */
const exchange = (port: number, raw: string) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.write(raw);
  });

describe('pipelined requests, over a real socket', () => {
  /** Writes `count` pipelined GETs of `path` on one connection; reads what comes back until `until` holds. */
  const pipeline = (port: number, path: string, count: number, until: (text: string) => boolean) =>
    new Promise<{ text: string; socket: Socket }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
        if (until(text)) resolve({ text, socket });
      });
      socket.on('close', () => resolve({ text, socket }));
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`.repeat(count));
    });
  const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));

  it(`answers one with a body past ${MAX_PIPELINED} in progress 429 alone, and closes the connection`, async () => {
    const { app } = appFor(loopFor('default', 2, 2), { controls: 'loopback' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      // Its body's second chunk is malformed: read as a next request, it was answered 400 too.
      const text = await exchange(
        port,
        'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(MAX_PIPELINED) +
          'POST /api/control HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          'Transfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\nzz\r\n',
      );
      expect(statuses(text)).toEqual([...Array<number>(MAX_PIPELINED).fill(200), 429]);
    } finally {
      await app.close();
    }
  });

  it(`answers those past ${MAX_PIPELINED} in progress on one connection 429, unread, and counts every request once`, async () => {
    const { app } = appFor(loopFor('default', 2, 2), { controls: 'loopback' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const { text, socket } = await pipeline(port, '/health', 20, (t) => statuses(t).length === 20);
      socket.destroy();
      const got = statuses(text);
      expect(got.filter((s) => s === 200)).toHaveLength(MAX_PIPELINED);
      expect(got.filter((s) => s === 429)).toHaveLength(20 - MAX_PIPELINED);
      expect(text).toContain('TRADESIM_ERR_HTTP_TOO_MANY_PIPELINED');
      // Requests waiting behind one another when their client goes (each held 300 ms by a latency
      // fault): each counted once, 499, none left in flight.
      const fault = await app.inject({
        method: 'POST',
        url: '/api/faults',
        headers: { host: '127.0.0.1', 'content-type': 'application/json' },
        payload: JSON.stringify({ action: 'start', fault: 'latency', target: 'api', ms: 300 }),
      });
      expect(fault.statusCode, fault.body).toBe(200);
      const scrape = async () => parseExposition((await app.inject({ url: '/metrics' })).body);
      const inFlight = async () =>
        (await scrape()).find((x) => x.name === 'tradesim_http_requests_in_flight')?.value ?? Number.NaN;
      /** Polls, every 10 ms for up to 3 s, until the in-flight gauge (with the scrape reading it) is `value`. */
      const untilInFlight = async (value: number) => {
        for (let i = 0; i < 300 && (await inFlight()) !== value; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const gone = connect(port, '127.0.0.1');
      gone.on('error', () => undefined);
      gone.write('GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'.repeat(6));
      await untilInFlight(7);
      gone.destroy();
      await untilInFlight(1);
      const samples = await scrape();
      expect(samples.find((x) => x.name === 'tradesim_http_requests_in_flight')?.value).toBe(1);
      const requests = samples.filter((x) => x.name === 'tradesim_http_requests_total');
      const count = (route: string, status: string) =>
        requests.find((x) => x.labels.route === route && x.labels.status === status)?.value ?? 0;
      expect(count('/health', '200') + count('/health', '429')).toBe(20);
      expect(count('/health', '429')).toBe(20 - MAX_PIPELINED);
      expect(count('/api/live', '499')).toBe(6);
      // A stream answered on a connection used before, then dropped: counted by what it sent (200).
      const reused = connect(port, '127.0.0.1');
      reused.on('error', () => undefined);
      let seen = '';
      reused.on('data', (chunk) => (seen += chunk.toString('latin1')));
      reused.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      for (let i = 0; i < 300 && statuses(seen).length < 1; i++) await new Promise((r) => setTimeout(r, 10));
      // A request pipelined behind the stream never gets the socket: 499 when the connection goes.
      reused.write(
        'GET /api/live/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /api/figures HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      );
      for (let i = 0; i < 300 && statuses(seen).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(statuses(seen)).toEqual([200, 200]);
      reused.destroy();
      await untilInFlight(1);
      const after = (await scrape()).filter((x) => x.name === 'tradesim_http_requests_total');
      const stream = (status: string) =>
        after.find((x) => x.labels.route === '/api/live/events' && x.labels.status === status)?.value ?? 0;
      expect([stream('200'), stream('499')]).toEqual([1, 0]);
      const behind = (status: string) =>
        after.find((x) => x.labels.route === '/api/figures' && x.labels.status === status)?.value ?? 0;
      expect([behind('200'), behind('499')]).toEqual([0, 1]);
    } finally {
      await app.close();
    }
  });
});

describe('requests Node cannot parse, over a real socket', () => {
  it("answer in the errors' JSON, naming what is malformed, and are counted", async () => {
    const { app } = appFor(loopFor('default', 2, 1));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const cases: [string, number, string][] = [
        ['FOO /health HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'an unknown method'],
        ['GET /health HTTP/9.9\r\nHost: x\r\n\r\n', 400, 'an unknown HTTP version'],
        ['GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400, 'Content-Length'],
        [`GET /health?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'headers over 16 KiB'],
      ];
      for (const [raw, status, problem] of cases) {
        const text = await exchange(port, raw);
        expect(text.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${STATUS_CODES[status]}`);
        const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
        expect(body.code).toBe(
          status === 431 ? 'TRADESIM_ERR_HTTP_HEADERS_TOO_LARGE' : 'TRADESIM_ERR_HTTP_BAD_REQUEST',
        );
        expect(body.message).toContain(`the request cannot be read: `);
        expect(body.message).toContain(problem);
      }
      const samples = parseExposition((await app.inject({ url: '/metrics' })).body);
      const counted = samples.filter(
        (x) =>
          x.name === 'tradesim_http_requests_total' &&
          x.labels.method === 'other' &&
          x.labels.route === '__unmatched__',
      );
      expect(counted.reduce((sum, x) => sum + x.value, 0)).toBe(cases.length);
    } finally {
      await app.close();
    }
  });

  it('answer what Node would answer itself (no Host, an unknown Expect, CONNECT) in JSON, counted', async () => {
    const { app } = appFor(loopFor('default', 2, 1));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const cases: [string, number, string, string][] = [
        ['GET /health HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'must carry a Host header', 'GET /health'],
        ['GET /health HTTP/1.1\r\nHost: x\r\nExpect: x-y\r\nConnection: close\r\n\r\n', 417, '"x-y"', 'GET /health'],
        [
          'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
          400,
          'not a proxy',
          'other __unmatched__',
        ],
      ];
      for (const [raw, status, problem] of cases) {
        const text = await exchange(port, raw);
        expect(text.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${STATUS_CODES[status]}`);
        expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).message).toContain(problem);
      }
      // HTTP/1.0 needs no Host.
      expect((await exchange(port, 'GET /health HTTP/1.0\r\n\r\n')).split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
      const samples = parseExposition((await app.inject({ url: '/metrics' })).body);
      for (const [, status, , where] of cases) {
        const [method, route] = where.split(' ');
        const counted = samples.find(
          (x) =>
            x.name === 'tradesim_http_requests_total' &&
            x.labels.method === method &&
            x.labels.route === route &&
            x.labels.status === String(status),
        );
        expect(counted?.value, where).toBe(1);
      }
    } finally {
      await app.close();
    }
  });
});

describe('the method label', () => {
  it('folds verbs outside the usual seven into `other`, so random methods add a handful of series at most', async () => {
    const { app } = appFor(loopFor('default', 2, 1));
    const send = async (verbs: readonly string[]) => {
      for (let i = 0; i < 200; i++) {
        const method = verbs[i % verbs.length] as NonNullable<InjectOptions['method']>;
        await app.inject({ method, url: i % 2 ? '/health' : `/x${i}` });
      }
      return (await app.inject({ url: '/metrics' })).body;
    };
    await app.inject({ url: '/metrics' }); // the scrape's own series, before the two counts
    const first = await send(['PROPFIND', 'MKCOL', 'LOCK', 'UNLOCK', 'SEARCH', 'PURGE', 'REPORT', 'COPY', 'MOVE']);
    // Ten more verbs, never seen before: not one more series.
    const second = await send([
      'LINK',
      'UNLINK',
      'BIND',
      'REBIND',
      'MERGE',
      'NOTIFY',
      'SUBSCRIBE',
      'ACL',
      'MKCALENDAR',
    ]);
    const methods = new Set(
      parseExposition(second)
        .filter((s) => s.name === 'tradesim_http_requests_total')
        .map((s) => s.labels.method),
    );
    expect(methods).toEqual(new Set(['GET', 'other']));
    const series = (text: string) => text.split('\n').filter((l) => l.startsWith('tradesim_http_')).length;
    expect(series(second)).toBe(series(first));
  });
});

describe('a request answered before its body, whose body then cannot be parsed', () => {
  /** Sends a chunked body of a type the route refuses, its second chunk malformed; what came back once the server closed. */
  const refusedThenMalformed = (port: number, type: string) =>
    exchange(
      port,
      `POST /api/control HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\n`,
    );

  it.each(['text/plain', 'application/x-www-form-urlencoded'])(
    '%s: gets its 415 alone, and its connection closes',
    async (type) => {
      const { app } = appFor(loopFor('default', 1, 2), { controls: 'loopback' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const { port } = app.server.address() as AddressInfo;
        const text = await refusedThenMalformed(port, type);
        expect([...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1])).toEqual(['415']);
        expect(text.toLowerCase()).toContain('connection: close');
      } finally {
        await app.close();
      }
    },
  );
});

describe('a request whose body never ends', () => {
  /** Sends a control request whose body stops 3 bytes into the 100 it announced; what came back once the server closed. */
  const cutShort = (port: number) =>
    exchange(
      port,
      'POST /api/control HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a',
    );

  it('refused by the controls before its body, gets that answer alone, and its connection closes', async () => {
    const { app } = appFor(loopFor('default', 1, 2), { requestTimeoutMs: 500 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const text = await cutShort(port);
      // One answer (no 408 after it for the unread body, taken for a next request).
      expect([...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1])).toEqual(['403']);
    } finally {
      await app.close();
    }
  });

  it('is answered 408 in our JSON once the request timeout passes, not held for ever', async () => {
    const { app } = appFor(loopFor('default', 1, 2), { requestTimeoutMs: 500, controls: 'loopback' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const text = await cutShort(port);
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
      expect(text).toContain('TRADESIM_ERR_HTTP_REQUEST_TIMEOUT');
      // Counted once, as the request it answers: not also as a request cut off by its client.
      const metrics = (await app.inject({ url: '/metrics' })).body;
      const requests = metrics.split('\n').filter((l) => l.startsWith('tradesim_http_requests_total{'));
      expect(requests).toEqual(['tradesim_http_requests_total{method="POST",route="/api/control",status="408"} 1']);
    } finally {
      await app.close();
    }
  });
});
