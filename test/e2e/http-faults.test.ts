/*
 * The real CLI's HTTP server under what a red team sends it: clients that cut their event
 * streams, scanners with random verbs, HEAD where GET streams. One run serves every case.
 */
import { Agent, METHODS, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signal, type Spawned, servingUrl, startCli, waitFor } from './processes.js';

let run: Spawned;
let url: URL;

/** The samples of /metrics whose name starts with `prefix`, as `name{labels} value` lines. */
const samplesOf = async (prefix: string) =>
  (await (await fetch(`${url.origin}/metrics`)).text()).split('\n').filter((l) => l.startsWith(prefix));
const inFlight = async () => Number((await samplesOf('tradesim_http_requests_in_flight '))[0]?.split(' ')[1]);

/** Sends one request with any method over a kept-alive agent; settles with the status (or 0 on a socket error). */
const send = (agent: Agent, method: string, path: string) =>
  new Promise<number>((resolve) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });

beforeAll(async () => {
  run = startCli(['--seed', '3', '--interval', '20', '--port', '0', '--no-jsonl']);
  url = new URL(await servingUrl(run));
});
afterAll(async () => {
  signal(run, 'SIGTERM');
  await run.exited;
});

describe('the HTTP metrics of a live run', () => {
  it('brings in-flight back to the scrape alone after 100 event streams are cut by their clients', async () => {
    const streams = await Promise.all(
      Array.from(
        { length: 100 },
        () =>
          new Promise<import('node:http').ClientRequest>((resolve, reject) => {
            const req = httpRequest({ host: url.hostname, port: url.port, path: '/api/live/events' }, (res) => {
              // Held until its first event arrives: the stream is being served.
              res.once('data', () => resolve(req));
            });
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    // 100 streams and this scrape.
    expect(await inFlight()).toBe(101);
    for (const req of streams) req.destroy();
    // Only the scrape reading the gauge is in flight once every client is gone.
    expect(
      await waitFor('in-flight back to the scrape alone', async () => ((await inFlight()) === 1 ? 1 : undefined)),
    ).toBe(1);
    // Each cut stream is counted once, as the 200 it was answered with.
    const counted = (await samplesOf('tradesim_http_requests_total{')).find((l) =>
      l.includes('route="/api/live/events",status="200"'),
    );
    expect(Number(counted?.split(' ')[1])).toBeGreaterThanOrEqual(100);
  });

  it('adds a handful of series at most for 1,000 requests with random methods', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    // Every verb Node's parser takes except CONNECT (a tunnel, never routed) and the seven
    // that keep their own label.
    const kept = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT']);
    const verbs = METHODS.filter((m) => !kept.has(m));
    expect(verbs.length).toBeGreaterThan(20);
    const paths = ['/health', '/no/such/path'];
    const before = await samplesOf('tradesim_http_');
    const statuses = new Set<number>();
    for (let i = 0; i < 1_000; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) =>
        send(agent, verbs[Math.floor(Math.random() * verbs.length)]!, paths[(i + j) % 2]!),
      );
      for (const status of await Promise.all(batch)) statuses.add(status);
    }
    agent.destroy();
    expect([...statuses].every((s) => s >= 400 && s < 500)).toBe(true);
    const after = await samplesOf('tradesim_http_');
    const methods = new Set(after.map((l) => /method="([^"]*)"/.exec(l)?.[1]).filter((m) => m !== undefined));
    expect([...methods].every((m) => kept.has(m) || m === 'other')).toBe(true);
    expect(methods.has('other')).toBe(true);
    // `other` on two routes: two counter series and two histograms (14 samples each) at most.
    expect(after.length - before.length).toBeLessThanOrEqual(2 * 2 + 2 * 14);
  });

  it('answers HEAD /api/live/events as its Allow header says, without holding a stream', async () => {
    const head = await fetch(`${url.origin}/api/live/events`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/event-stream');
    const post = await fetch(`${url.origin}/api/live/events`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('the controls with a token', () => {
  it('refuse a request without TRADESIM_CONTROL_TOKEN, even one a rebound page could send, and take one with it', async () => {
    const guarded = startCli(['--seed', '3', '--interval', '20', '--port', '0', '--no-jsonl', '--allow-control'], {
      TRADESIM_CONTROL_TOKEN: 'e2e-token',
    });
    try {
      const base = new URL(await servingUrl(guarded));
      const control = (headers: Record<string, string>) =>
        fetch(`${base.origin}/api/control`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ action: 'pause' }),
        });
      const refused = await control({});
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { code: string }).code).toBe('TRADESIM_ERR_HTTP_CONTROL_TOKEN');
      const taken = await control({ 'x-tradesim-token': 'e2e-token' });
      expect(taken.status).toBe(200);
      expect(((await taken.json()) as { state: string }).state).toBe('paused');
    } finally {
      signal(guarded, 'SIGTERM');
      await guarded.exited;
    }
  });
});
