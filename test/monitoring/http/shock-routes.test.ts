import { describe, expect, it } from 'vitest';
import { appFor, loopFor } from '../fixtures.js';

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/api/shocks',
  headers: { host: '127.0.0.1:8000', 'content-type': 'application/json', ...headers },
  payload: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('/api/shocks', () => {
  it('starts a shock at the next turn, lists it in force, and stops it', async () => {
    const loop = loopFor('default', 1, 5);
    const { app } = appFor(loop, { controls: 'loopback' });
    const started = await app.inject(post({ action: 'start', shock: 'credit_freeze', severity: 0.8, turns: 100 }));
    expect(started.statusCode).toBe(201);
    const index = started.json().applied.index as number;
    expect(started.json().applied).toMatchObject({
      action: 'start',
      turn: 6,
      shock: { shock: 'credit_freeze', at: 6 },
    });
    expect(started.json().shocks).toContainEqual(expect.objectContaining({ index, source: 'live', state: 'pending' }));
    loop.runTurn();
    const listed = (await app.inject({ url: '/api/shocks' })).json();
    expect(listed.shocks).toContainEqual(expect.objectContaining({ index, state: 'in force', until: 105 }));
    expect(listed.schema.properties.shock.anyOf.map((k: { const: string }) => k.const)).toContain('credit_freeze');
    const stopped = await app.inject(post({ action: 'stop', index }));
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json().applied).toEqual({ action: 'stop', turn: 7, index });
    loop.runTurn();
    expect(loop.latest()!.market.shocksInForce).toBe(0);
    const again = await app.inject(post({ action: 'stop', index }));
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('TRADESIM_ERR_SHOCK_NOT_IN_FORCE');
  });

  it('refuses a shock on a run that has played its turns: no turn will follow', async () => {
    const loop = loopFor('default', 1, 0);
    const { app } = appFor(loop, { controls: 'loopback' });
    await loop.run({ turns: 3 });
    expect(loop.ended).toBe(true);
    const res = await app.inject(post({ action: 'start', shock: 'credit_freeze' }));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'TRADESIM_ERR_HTTP_CONTROL_CONFLICT',
      message: 'cannot start a shock in a run that is finished',
    });
    expect(loop.shocks.record()).toEqual([]);
  });

  it('refuses a shock asked during the last turn of a run, once that turn is played', async () => {
    const loop = loopFor('default', 1, 0);
    const { app } = appFor(loop, { controls: 'loopback' });
    await app.ready();
    // One turn in small slices: the request comes while it is half played, and waits for it.
    const running = loop.run({ turns: 1, sliceItems: 8 });
    const asked = app.inject(post({ action: 'start', shock: 'demand_surge', turns: 5 }));
    expect(loop.latest()).toBeUndefined();
    const res = await asked;
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('cannot start a shock in a run that is finished');
    expect(loop.shocks.record()).toEqual([]);
    await running;
  });

  it('refuses a shock asked once the run is stopping (a signal came during a turn): no turn follows', async () => {
    const loop = loopFor('default', 1, 0);
    const { app } = appFor(loop, { controls: 'loopback' });
    await app.ready();
    const running = loop.run({ turns: 100, sliceItems: 8 });
    const stopped = loop.stop();
    expect(loop.stopping).toBe(true);
    const res = await app.inject(post({ action: 'start', shock: 'demand_surge', turns: 5 }));
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/^cannot start a shock in a run that is (stopping|stopped)$/);
    expect(loop.shocks.record()).toEqual([]);
    await stopped;
    await running;
  });

  it('refuses a shock on a paused run stepped to its last turn, which then ends, and takes one before', async () => {
    const loop = loopFor('default', 1, 0);
    const { app } = appFor(loop, { controls: 'loopback' });
    const running = loop.run({ turns: 3, intervalMs: 60_000 });
    const until = async (turn: number) => {
      for (let i = 0; i < 500 && (loop.latest()?.turn ?? 0) < turn; i++) await new Promise((r) => setTimeout(r, 10));
    };
    await until(1);
    loop.pause();
    expect(loop.step()).toBe(true);
    await until(2);
    expect(loop.ended).toBe(false);
    expect((await app.inject(post({ action: 'start', shock: 'demand_surge', turns: 5 }))).statusCode).toBe(201);
    expect(loop.step()).toBe(true);
    await until(3);
    expect(loop.ended).toBe(true);
    expect((await app.inject(post({ action: 'start', shock: 'demand_surge' }))).statusCode).toBe(409);
    // Its last turn stepped, the run ends: finished, with no resume asked.
    await running;
    expect([loop.state, loop.ended]).toEqual(['idle', true]);
  });

  it('takes a relative start turn', async () => {
    const loop = loopFor('default', 1, 5);
    const { app } = appFor(loop, { controls: 'loopback' });
    const res = await app.inject(post({ action: 'start', shock: 'demand_surge', at: '+50' }));
    expect(res.json().applied.shock.at).toBe(55);
  });

  it.each([
    [{ action: 'start', shock: 'volcano' }, 'TRADESIM_ERR_SHOCK_INVALID'],
    [{ action: 'start', shock: 'credit_freeze', at: 3 }, 'TRADESIM_ERR_SHOCK_INVALID'],
    [{ action: 'start', shock: 'credit_freeze', continent: 'Asia' }, 'TRADESIM_ERR_SHOCK_INVALID'],
    [{ action: 'stop' }, 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
    [{ action: 'stop', index: 0, junk: true }, 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
    [{ action: 'stop', index: 0, shock: 'credit_freeze' }, 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
    [{ action: 'start', shock: 'credit_freeze', at: null }, 'TRADESIM_ERR_SHOCK_INVALID'],
    [{ action: 'explode' }, 'TRADESIM_ERR_HTTP_BAD_REQUEST'],
  ])('refuses %j with a 400', async (body, code) => {
    const loop = loopFor('default', 1, 5);
    const { app } = appFor(loop, { controls: 'loopback' });
    const res = await app.inject(post(body));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
    expect(loop.shocks.record()).toEqual([]);
  });

  it.each([
    ['a form post', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['a text/plain post', { 'content-type': 'text/plain' }, 415],
    ['another origin', { origin: 'https://evil.example' }, 403],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 403],
    ['a non-loopback Host', { host: 'evil.example:8000' }, 403],
  ])('refuses %s', async (_what, headers, status) => {
    const loop = loopFor('default', 1, 5);
    const { app } = appFor(loop, { controls: 'loopback' });
    const res = await app.inject(post({ action: 'start', shock: 'credit_freeze' }, headers));
    expect(res.statusCode).toBe(status);
    expect(loop.shocks.record()).toEqual([]);
  });

  it('is refused when the controls are off', async () => {
    const loop = loopFor('default', 1, 5);
    const { app } = appFor(loop);
    expect((await app.inject(post({ action: 'start', shock: 'credit_freeze' }))).statusCode).toBe(403);
  });
});
