import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPusher, groupUrl } from '../../src/monitoring/index.js';
import { waitFor } from '../wait-for.js';
import { PUSH_JOB } from '../../src/monitoring/pushgateway.js';
import { firingsSettled, oneLine } from '../../src/monitoring/pushgateway-text.js';

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
  it('names the run group job/<job>/run/<id>, a value a path cannot carry in base64', () => {
    expect(groupUrl('http://gw:9091/', 'tradesim', '0f2c-9a.b_~')).toBe(
      'http://gw:9091/metrics/job/tradesim/run/0f2c-9a.b_~',
    );
    expect(groupUrl('http://gw:9091', 'tradesim', 'a/b c')).toBe(
      'http://gw:9091/metrics/job/tradesim/run@base64/YS9iIGM',
    );
    expect(groupUrl('http://gw:9091', 'tradesim', '..')).toBe('http://gw:9091/metrics/job/tradesim/run@base64/Li4');
    expect(groupUrl('http://gw:9091', 'tradesim', '')).toBe('http://gw:9091/metrics/job/tradesim/run@base64/=');
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
    // Stop between pushes: once every render has been answered, none is on the wire. (stop()
    // cuts a push under way; the cut request may still reach the stand-in, after the count is
    // read or after the last push, and is no push of the pusher's. That cut is tested below.)
    // The probe and stop() run in one task, so the timer cannot start a push between them.
    await waitFor(
      'three answered pushes, none under way',
      () => (pusher.stats().pushes >= 3 && pusher.stats().pushes === renders ? true : undefined),
      5_000,
      5,
    );
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

  it('tells of a failed last push on its own: no later push replaces it', async () => {
    const gw = await gateway(400);
    closers.push(gw.close);
    const last: string[] = [];
    const pusher = createPusher({
      url: gw.url,
      runId: 'r4',
      everyMs: 60_000,
      render: async () => 'x 1\n',
      onError: () => undefined,
      onLastError: (m) => last.push(m),
    });
    await pusher.push();
    expect(last).toEqual([]);
    await pusher.stop();
    expect(last).toHaveLength(1);
    expect(last[0]).toContain('HTTP 400');
  });

  it('makes one push at a time: pushes asked for during one are one more after it', async () => {
    const gw = await gateway();
    closers.push(gw.close);
    const pusher = createPusher({ url: gw.url, job: 't', runId: 'r4', everyMs: 60_000, render: async () => 'x 1\n' });
    await Promise.all([pusher.push(), pusher.push(), pusher.push()]);
    expect(gw.requests).toHaveLength(2);
    await pusher.stop();
  });

  it('pushes under its own batch job, and the final push carries the last state with every firing at 0', async () => {
    const gw = await gateway();
    closers.push(gw.close);
    const exposition = [
      '# HELP tradesim_turn The latest turn.',
      '# TYPE tradesim_turn gauge',
      'tradesim_turn 7',
      '# HELP tradesim_alert_firing One series per in-process firing.',
      '# TYPE tradesim_alert_firing gauge',
      'tradesim_alert_firing{rule="budget_critical",severity="critical",fired_turn="5"} 1',
      'tradesim_alert_firings_dropped_total{rule="budget_critical"} 0',
      '',
    ].join('\n');
    const pusher = createPusher({ url: gw.url, runId: 'r5', everyMs: 60_000, render: async () => exposition });
    await pusher.push();
    await pusher.stop();
    expect(gw.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `PUT /metrics/job/${PUSH_JOB}/run/r5`,
      `PUT /metrics/job/${PUSH_JOB}/run/r5`,
    ]);
    // While the run goes on, a firing is pushed as it is.
    expect(gw.requests[0]!.body).toContain(
      'tradesim_alert_firing{rule="budget_critical",severity="critical",fired_turn="5"} 1',
    );
    const last = gw.requests[1]!.body;
    expect(last).toContain('tradesim_alert_firing{rule="budget_critical",severity="critical",fired_turn="5"} 0');
    expect(last).not.toMatch(/^tradesim_alert_firing\S* 1$/m);
    expect(last).toContain('tradesim_turn 7');
    expect(last).toContain('tradesim_alert_firings_dropped_total{rule="budget_critical"} 0');
  });

  it('lets a push under way finish before the last one, so the last push is the last the gateway takes', async () => {
    // A gateway that answers the first push only after the run has asked to stop.
    const order: string[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        order.push(body.trim());
        void (order.length === 1 ? held : Promise.resolve()).then(() => res.end(''));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((r) => server.close(r)));
    const { port } = server.address() as { port: number };
    let state = 'tradesim_alert_firing{rule="x"} 1';
    const pusher = createPusher({
      url: `http://127.0.0.1:${port}`,
      runId: 'r9',
      everyMs: 60_000,
      timeoutMs: 4_000,
      render: async () => `${state}\n`,
    });
    void pusher.push();
    await waitFor('the first push at the gateway', () => (order.length === 1 ? true : undefined), 5_000, 5);
    state = 'tradesim_turn 2';
    const stopping = pusher.stop();
    release();
    await stopping;
    expect(order).toEqual(['tradesim_alert_firing{rule="x"} 1', 'tradesim_turn 2']);
    expect(pusher.stats()).toEqual({ pushes: 2, failures: 0, lastError: null });
  });

  it('deletes the run group at the end with deleteAtEnd, instead of the last push', async () => {
    const gw = await gateway();
    closers.push(gw.close);
    const pusher = createPusher({
      url: gw.url,
      runId: 'r6',
      everyMs: 60_000,
      render: async () => 'x 1\n',
      deleteAtEnd: true,
    });
    await pusher.push();
    await pusher.stop();
    expect(gw.requests.map((r) => r.method)).toEqual(['PUT', 'DELETE']);
    expect(gw.requests[1]!.url).toBe(`/metrics/job/${PUSH_JOB}/run/r6`);
  });

  it('stops within its deadline when the Pushgateway takes connections and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
    });
    const errors: string[] = [];
    const { port } = silent.address() as { port: number };
    const pusher = createPusher({
      url: `http://127.0.0.1:${port}`,
      runId: 'r7',
      everyMs: 60_000,
      render: async () => 'x 1\n',
      timeoutMs: 300,
      onError: (m) => errors.push(m),
    });
    // A periodic push hangs; stop() cuts it and its own last push gives up at the deadline.
    void pusher.push();
    while (sockets.length === 0) await new Promise((r) => setTimeout(r, 10));
    await pusher.stop();
    expect(sockets.length).toBeGreaterThanOrEqual(2);
    // The cut push is not a failure; the last one is, said once.
    // The last push has half the others' deadline, and says so.
    expect(errors).toEqual([expect.stringContaining('no answer within 150 ms')]);
  });

  it('reads only the first KB of an error answer, as one line with control characters escaped', async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 500;
      res.write('\u001b[31mbad\nthings\r\n');
      // About 8 MB more, written as fast as it is read (or not at all).
      let left = 1_000;
      const more = () => {
        while (left > 0 && res.write('y'.repeat(8192))) left -= 1;
        if (left > 0) res.once('drain', more);
        else res.end();
      };
      more();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((r) => server.close(r)));
    const { port } = server.address() as { port: number };
    const errors: string[] = [];
    const pusher = createPusher({
      url: `http://127.0.0.1:${port}`,
      runId: 'r8',
      everyMs: 60_000,
      render: async () => 'x 1\n',
      onError: (m) => errors.push(m),
    });
    await pusher.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('HTTP 500: \\u001b[31mbad\\nthings\\r\\nyyy');
    expect([...errors[0]!].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(errors[0]!.length).toBeLessThan(1024 + 200);
  });
});

describe('the pushed text', () => {
  it('sets every firing sample to 0 and changes nothing else', () => {
    const text = [
      '# HELP tradesim_alert_firing x 1',
      '# TYPE tradesim_alert_firing gauge',
      'tradesim_alert_firing{rule="a",fired_turn="3"} 1',
      'tradesim_alert_firing 1',
      'tradesim_alert_firings_dropped_total 1',
      'tradesim_turn 1',
      '',
    ].join('\n');
    expect(firingsSettled(text)).toBe(
      text
        .replace('fired_turn="3"} 1', 'fired_turn="3"} 0')
        .replace('tradesim_alert_firing 1', 'tradesim_alert_firing 0'),
    );
  });

  it('writes control characters as escapes', () => {
    expect(oneLine(' a\u0007b\nc\u009b ')).toBe('a\\u0007b\\nc\\u009b');
  });
});
