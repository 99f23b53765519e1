import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createPusher, groupUrl } from '../../src/monitoring/index.js';
import { waitFor } from '../wait-for.js';

/** A stand-in Pushgateway that records each request, answering `status`. */
async function gateway(status = 200) {
  const requests: { method: string; url: string; body: string; type: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body, type: req.headers['content-type'] ?? '' });
      res.statusCode = status;
      res.end(status === 200 ? '' : 'pushed metrics are invalid');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('the Pushgateway pusher', () => {
  it('names the run group job/<job>/run/<id>, encoding each value', () => {
    expect(groupUrl('http://gw:9091/', 'tradesim', 'a/b c')).toBe('http://gw:9091/metrics/job/tradesim/run/a%2Fb%20c');
  });

  it('replaces the run group (PUT) every interval and once more when stopped', async () => {
    const gw = await gateway();
    closers.push(gw.close);
    let renders = 0;
    const pusher = createPusher({
      url: gw.url,
      job: 'tradesim',
      runId: 'r1',
      everyMs: 100,
      render: async () => `tradesim_turn ${++renders}\n`,
    });
    await waitFor('three pushes', () => (gw.requests.length >= 3 ? true : undefined), 5_000, 10);
    await pusher.stop();
    const count = gw.requests.length;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(gw.requests.every((r) => r.method === 'PUT' && r.url === '/metrics/job/tradesim/run/r1')).toBe(true);
    expect(gw.requests[0]!.type).toContain('text/plain; version=0.0.4');
    // The last push carries the last render; nothing after stop.
    expect(gw.requests.at(-1)!.body).toBe(`tradesim_turn ${renders}\n`);
    // Time must pass to show nothing comes: two more intervals, had the timer been left running.
    await new Promise((r) => setTimeout(r, 250));
    expect(gw.requests).toHaveLength(count);
    expect(pusher.stats()).toEqual({ pushes: count, failures: 0, lastError: null });
  });

  it('counts a refused push and one to nowhere, tells of each, and goes on', async () => {
    const gw = await gateway(400);
    closers.push(gw.close);
    const errors: string[] = [];
    const refused = createPusher({
      url: gw.url,
      job: 'tradesim',
      runId: 'r2',
      everyMs: 60_000,
      render: async () => 'x 1\n',
      onError: (m) => errors.push(m),
    });
    await refused.stop();
    expect(refused.stats()).toMatchObject({ pushes: 0, failures: 1 });
    expect(errors[0]).toContain('HTTP 400: pushed metrics are invalid');
    const nowhere = createPusher({
      url: 'http://127.0.0.1:9',
      job: 'tradesim',
      runId: 'r3',
      everyMs: 60_000,
      render: async () => 'x 1\n',
      onError: (m) => errors.push(m),
    });
    await nowhere.stop();
    expect(nowhere.stats().failures).toBe(1);
    expect(nowhere.stats().lastError).toContain('http://127.0.0.1:9/metrics/job/tradesim/run/r3');
  });

  it('makes one push at a time: pushes asked for during one are one more after it', async () => {
    const gw = await gateway();
    closers.push(gw.close);
    const pusher = createPusher({ url: gw.url, job: 't', runId: 'r4', everyMs: 60_000, render: async () => 'x 1\n' });
    await Promise.all([pusher.push(), pusher.push(), pusher.push()]);
    expect(gw.requests).toHaveLength(2);
    await pusher.stop();
  });
});
