import { describe, expect, it } from 'vitest';
import type { TurnLoop } from '../../../src/services/index.js';
import { waitFor } from '../../wait-for.js';
import { appFor, loopFor } from '../fixtures.js';

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/api/control',
  headers: { host: '127.0.0.1:8000', 'content-type': 'application/json', ...headers },
  payload: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A paced run under way, and the app over it with loopback controls. */
async function pacedRun(controls: 'loopback' | 'any' = 'loopback', controlToken?: string) {
  const loop = loopFor('default', 1, 0);
  const running = loop.run({ intervalMs: 20 });
  await waitFor('a first turn', () => loop.latest(), 5_000, 5);
  const { app } = appFor(loop, { controls, ...(controlToken ? { controlToken } : {}) });
  return { loop, app, running };
}
const finish = async (loop: TurnLoop, running: Promise<void>) => {
  await loop.stop();
  await running;
};

describe('POST /api/control', () => {
  it('pauses, steps, changes the interval and resumes the run', async () => {
    const { loop, app, running } = await pacedRun();
    const paused = await app.inject(post({ action: 'pause' }));
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ state: 'paused', intervalMs: 20 });
    const turn = paused.json().turn as number;
    const stepped = await app.inject(post({ action: 'step' }));
    expect(stepped.json()).toMatchObject({ state: 'paused', turn: turn + 1 });
    expect((await app.inject(post({ action: 'interval', intervalMs: 5 }))).json().intervalMs).toBe(5);
    expect((await app.inject(post({ action: 'resume' }))).json().state).toBe('running');
    await waitFor('turns after the resume', () => (loop.latest()!.turn > turn + 3 ? true : undefined), 5_000, 5);
    // A step needs a paused run.
    const refused = await app.inject(post({ action: 'step' }));
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'TRADESIM_ERR_HTTP_CONTROL_CONFLICT',
      message: 'cannot step a run that is running',
    });
    await finish(loop, running);
    expect((await app.inject(post({ action: 'pause' }))).statusCode).toBe(409);
    const interval = await app.inject(post({ action: 'interval', intervalMs: 5 }));
    expect(interval.json().message).toMatch(/^cannot change the interval of a run that is /);
  });

  it.each([
    [{ action: 'stop' }, 400],
    [{ action: 'interval' }, 400],
    [{ action: 'interval', intervalMs: -1 }, 400],
    [{ action: 'interval', intervalMs: 3_600_001 }, 400],
    [{ action: 'interval', intervalMs: '5' }, 400],
    [{ action: 'pause', extra: 1 }, 400],
    // Only 'interval' takes one.
    [{ action: 'step', intervalMs: 5 }, 400],
    [{ action: 'pause', intervalMs: 5 }, 400],
    ['{"action":', 400],
  ])('refuses the body %j with %i', async (body, status) => {
    const { loop, app, running } = await pacedRun();
    const res = await app.inject(post(body));
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe('TRADESIM_ERR_HTTP_BAD_REQUEST');
    expect(loop.state).toBe('running');
    await finish(loop, running);
  });

  it.each([
    ['a form post (text/plain)', { 'content-type': 'text/plain' }, 415],
    ['a form post (urlencoded)', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['another origin', { origin: 'https://evil.example' }, 403],
    ['a null origin', { origin: 'null' }, 403],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 403],
    ['a same-site fetch from another port', { 'sec-fetch-site': 'same-site' }, 403],
    ['a DNS-rebound host name', { host: 'evil.example:8000', origin: 'http://evil.example:8000' }, 403],
  ])('refuses %s', async (_what, headers, status) => {
    const { loop, app, running } = await pacedRun();
    const res = await app.inject(post({ action: 'pause' }, headers));
    expect(res.statusCode).toBe(status);
    expect(loop.state).toBe('running');
    await finish(loop, running);
  });

  it('takes a same-origin request from the page, and one without Origin (curl)', async () => {
    const { loop, app, running } = await pacedRun();
    const fromPage = { origin: 'http://127.0.0.1:8000', 'sec-fetch-site': 'same-origin' };
    expect((await app.inject(post({ action: 'pause' }, fromPage))).statusCode).toBe(200);
    expect((await app.inject(post({ action: 'resume' }))).statusCode).toBe(200);
    await finish(loop, running);
  });

  it('is off unless the server is bound to loopback or started with --allow-control', async () => {
    const loop = loopFor('default', 1, 1);
    const off = appFor(loop).app;
    const res = await off.inject(post({ action: 'pause' }));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('TRADESIM_ERR_HTTP_CONTROL_DISABLED');
    // With --allow-control any host name is taken; cross-site requests still are not.
    const { loop: paced, app, running } = await pacedRun('any');
    expect((await app.inject(post({ action: 'pause' }, { host: 'sim.example:8000' }))).statusCode).toBe(200);
    const cross = await app.inject(
      post({ action: 'resume' }, { host: 'sim.example:8000', origin: 'http://other.example' }),
    );
    expect(cross.statusCode).toBe(403);
    await finish(paced, running);
  });

  it('answers GET with 405 and its Allow list', async () => {
    const { app } = appFor(loopFor('default', 1, 1), { controls: 'loopback' });
    const res = await app.inject({ url: '/api/control' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it('with a token, takes only requests that carry it: in its header, or in the cookie /?token= sets', async () => {
    const { loop, app, running } = await pacedRun('any', 's3cret');
    // A DNS-rebound page: its own name in Host and Origin alike, and no token.
    const rebound = { host: 'evil.example:8000', origin: 'http://evil.example:8000' };
    const refused = await app.inject(post({ action: 'pause' }, rebound));
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('TRADESIM_ERR_HTTP_CONTROL_TOKEN');
    expect((await app.inject(post({ action: 'pause' }, { 'x-tradesim-token': 'wrong' }))).statusCode).toBe(401);
    // Checked before the body: a bad body or a form without the token is a 401, not a 400 or a 415.
    for (const route of ['/api/control', '/api/shocks', '/api/faults']) {
      const bad = await app.inject({ ...post({ action: 'bogus' }), url: route });
      const form = await app.inject({
        ...post({}),
        url: route,
        headers: { host: '127.0.0.1', 'content-type': 'text/plain' },
      });
      expect([bad.statusCode, form.statusCode], route).toEqual([401, 401]);
    }
    expect((await app.inject(post({ action: 'pause' }, { 'x-tradesim-token': 's3cret' }))).statusCode).toBe(200);
    // The shock and fault controls ask for it too.
    const shock = await app.inject({ ...post({ action: 'stop', index: 0 }), url: '/api/shocks' });
    const fault = await app.inject({ ...post({ action: 'stop', fault: 'errors' }), url: '/api/faults' });
    expect([shock.json().code, fault.json().code]).toEqual([
      'TRADESIM_ERR_HTTP_CONTROL_TOKEN',
      'TRADESIM_ERR_HTTP_CONTROL_TOKEN',
    ]);
    // The browser's way: open /?token= once; the cookie is for the API only, and the token
    // leaves the address bar.
    const wrong = await app.inject({ url: '/?token=nope', headers: { accept: 'application/json' } });
    expect(wrong.statusCode).toBe(200);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const opened = await app.inject({ url: '/?token=s3cret' });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe('/');
    // The rest of the link stays: the turn to centre on, the axis.
    const linked = await app.inject({ url: '/?token=s3cret&turn=5&axis=time' });
    expect(linked.headers.location).toBe('/?turn=5&axis=time');
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toMatch(/^tradesim_control=s3cret; Path=\/api; HttpOnly; SameSite=Strict$/);
    const byCookie = await app.inject(post({ action: 'resume' }, { cookie: 'other=1; tradesim_control=s3cret' }));
    expect(byCookie.statusCode).toBe(200);
    // A cookie that is not percent-encoded text carries no token: refused, not a server error.
    const garbled = await app.inject(post({ action: 'pause' }, { cookie: 'tradesim_control=%zz' }));
    expect(garbled.statusCode).toBe(401);
    expect(garbled.json().code).toBe('TRADESIM_ERR_HTTP_CONTROL_TOKEN');
    await finish(loop, running);
  });
});
