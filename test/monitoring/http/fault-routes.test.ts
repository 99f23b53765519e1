import { describe, expect, it } from 'vitest';
import { parseExposition, appFor, loopFor } from '../fixtures.js';

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/api/faults',
  headers: { host: '127.0.0.1:8000', 'content-type': 'application/json', ...headers },
  payload: JSON.stringify(body),
});

describe('/api/faults', () => {
  it('answers every /metrics request with a 500 at share 1, counts them, and stops', async () => {
    const loop = loopFor('default', 1, 3);
    const { app } = appFor(loop, { controls: 'loopback' });
    const on = await app.inject(post({ action: 'start', fault: 'errors', target: 'metrics', share: 1 }));
    expect(on.json().faults).toEqual([{ fault: 'errors', target: 'metrics', share: 1 }]);
    const failed = await app.inject({ url: '/metrics' });
    expect(failed.statusCode).toBe(500);
    expect(failed.json().code).toBe('TRADESIM_ERR_HTTP_FAULT_INJECTED');
    // The API and the controls are not hit by a fault on /metrics.
    expect((await app.inject({ url: '/api/stats' })).statusCode).toBe(200);
    expect((await app.inject(post({ action: 'stop', fault: 'errors' }))).json()).toEqual({ stopped: 1, faults: [] });
    const ok = await app.inject({ url: '/metrics' });
    expect(ok.statusCode).toBe(200);
    const errors = parseExposition(ok.body).find(
      (s) => s.name === 'tradesim_http_requests_total' && s.labels.route === '/metrics' && s.labels.status === '500',
    );
    expect(errors?.value).toBe(1);
  });

  it('hits a route by what the router matches, a percent-encoded path too, and never the control routes', async () => {
    const loop = loopFor('default', 1, 3);
    const { app } = appFor(loop, { controls: 'loopback' });
    await app.inject(post({ action: 'start', fault: 'errors', target: 'metrics', share: 1 }));
    await app.inject(post({ action: 'start', fault: 'errors', target: 'api', share: 1 }));
    expect((await app.inject({ url: '/%6detrics' })).statusCode).toBe(500);
    expect((await app.inject({ url: '/api/%73tats' })).statusCode).toBe(500);
    const faultsEncoded = await app.inject({ ...post({ action: 'stop', fault: 'errors' }), url: '/api/%66aults' });
    expect(faultsEncoded.statusCode, faultsEncoded.body).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
  });

  it('delays /api requests by the latency asked for', async () => {
    const loop = loopFor('default', 1, 3);
    const { app } = appFor(loop, { controls: 'loopback' });
    await app.inject(post({ action: 'start', fault: 'latency', target: 'api', ms: 300 }));
    await app.inject({ url: '/api/stats' });
    const text = (await app.inject({ url: '/metrics' })).body;
    const slow = parseExposition(text).find(
      (s) =>
        s.name === 'tradesim_http_request_duration_seconds_bucket' &&
        s.labels.route === '/api/stats' &&
        s.labels.le === '0.25',
    );
    // Not one /api/stats request took 250 ms or less.
    expect(slow?.value).toBe(0);
  });

  it('stalls the loop and frees it', async () => {
    const loop = loopFor('default', 1, 0);
    const running = loop.run({ intervalMs: 5 });
    const { app } = appFor(loop, { controls: 'loopback' });
    await app.inject(post({ action: 'start', fault: 'stall' }));
    expect(loop.stalled).toBe(true);
    const turn = loop.latest()?.turn ?? 0;
    expect((await app.inject({ url: '/api/faults' })).json().faults).toEqual([{ fault: 'stall' }]);
    await app.inject(post({ action: 'stop', fault: 'stall' }));
    const deadline = Date.now() + 5_000;
    while ((loop.latest()?.turn ?? 0) <= turn + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(loop.latest()!.turn).toBeGreaterThan(turn + 2);
    await loop.stop();
    await running;
  });

  it('holds memory at the rate asked for, within its bound, and frees it on stop', async () => {
    const loop = loopFor('default', 1, 1);
    const { app } = appFor(loop, { controls: 'loopback' });
    await app.inject(post({ action: 'start', fault: 'leak', mibPerSecond: 40, maxMib: 8 }));
    const held = async () => (await app.inject({ url: '/api/faults' })).json().faults[0]?.heldMib as number | undefined;
    const deadline = Date.now() + 5_000;
    while ((await held())! < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await held()).toBe(8);
    await new Promise((r) => setTimeout(r, 150));
    expect(await held()).toBe(8);
    await app.inject(post({ action: 'stop', fault: 'leak' }));
    expect(await held()).toBeUndefined();
    // A bound below one tick's worth (25.6 MiB a tick) is still reached, not skipped for ever.
    await app.inject(post({ action: 'start', fault: 'leak', mibPerSecond: 256, maxMib: 1 }));
    const soon = Date.now() + 5_000;
    while ((await held())! < 1 && Date.now() < soon) await new Promise((r) => setTimeout(r, 20));
    expect(await held()).toBe(1);
    await app.close();
  });

  it.each([
    [{ action: 'start', fault: 'latency', ms: 0 }],
    [{ action: 'start', fault: 'errors', share: 2 }],
    [{ action: 'start', fault: 'leak', maxMib: 4096 }],
    [{ action: 'start', fault: 'fire' }],
    [{ action: 'stop' }],
    // A field its fault does not take is refused, not ignored.
    [{ action: 'start', fault: 'stall', ms: 5 }],
    [{ action: 'start', fault: 'stall', target: 'api' }],
    [{ action: 'start', fault: 'leak', share: 0.5 }],
    [{ action: 'start', fault: 'errors', ms: 5 }],
  ])('refuses %j', async (body) => {
    const loop = loopFor('default', 1, 1);
    const { app } = appFor(loop, { controls: 'loopback' });
    const res = await app.inject(post(body));
    expect(res.statusCode).toBe(400);
    expect((await app.inject({ url: '/api/faults' })).json().faults).toEqual([]);
  });

  it('names the kinds for an unknown one, and the fields a fault takes for one it does not', async () => {
    const { app } = appFor(loopFor('default', 1, 1), { controls: 'loopback' });
    const unknown = await app.inject(post({ action: 'start', fault: 'fire' }));
    expect(unknown.json().message).toBe('body/fault: must be one of latency, errors, stall, leak');
    const extra = await app.inject(post({ action: 'start', fault: 'leak', share: 0.5 }));
    expect(extra.json().message).toBe('fault/share: a leak fault does not take it (it takes mibPerSecond, maxMib)');
  });

  it.each([
    [{ action: 'start', fault: 'latency', ms: 0 }, 'body/ms must be >= 1'],
    [{ action: 'stop' }, "body must have required property 'fault'"],
    [{ action: 'stop', fault: 'errors', share: 1 }, 'body/share: unknown key'],
    [{ action: 'nope' }, 'body/action: must be one of start, stop'],
    [{}, 'body/action: must be one of start, stop'],
    [[], 'body must be object'],
  ])('names the mistake in %j against its own shape alone: %s', async (body, message) => {
    const { app } = appFor(loopFor('default', 1, 1), { controls: 'loopback' });
    const res = await app.inject(post(body));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe(message);
  });

  it('is guarded as the controls are', async () => {
    const loop = loopFor('default', 1, 1);
    const { app } = appFor(loop, { controls: 'loopback' });
    const res = await app.inject(post({ action: 'start', fault: 'stall' }, { origin: 'https://evil.example' }));
    expect(res.statusCode).toBe(403);
    expect(loop.stalled).toBe(false);
  });
});
