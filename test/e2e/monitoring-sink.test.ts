import { afterEach, describe, expect, it } from 'vitest';
import { startSink } from '../../scripts/monitoring-sink.js';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** Posts one Alertmanager notification, as its webhook does, and waits for the sink's line. */
async function notify(url: string, status: string, fingerprint: string, labels: Record<string, string>) {
  await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ version: '4', alerts: [{ status, labels, fingerprint }] }),
  });
}

describe('the monitoring sink', () => {
  it("names a scraped run's RESOLVED alert by the run it fired in, the run gone since", async () => {
    const lines: string[] = [];
    // The run's tradesim_info is there while it fires, gone once it has ended.
    let live: string | undefined = 'run-1';
    const sink = await startSink(
      '127.0.0.1',
      0,
      async () => live,
      (line) => lines.push(line),
    );
    closers.push(() => sink.server.close());
    const labels = { alertname: 'BudgetCritical', severity: 'critical', job: 'tradesim', instance: 'a:8000' };
    await notify(sink.url, 'firing', 'f1', labels);
    live = undefined;
    await notify(sink.url, 'resolved', 'f1', labels);
    await notify(sink.url, 'resolved', 'f2', labels);
    await expect.poll(() => lines.length).toBe(3);
    expect(lines.map((l) => /^notification: (\S+) .* run=(\S+)/.exec(l)!.slice(1))).toEqual([
      ['FIRING', 'run-1'],
      ['RESOLVED', 'run-1'],
      // Never seen firing, and its run gone: nothing to name it by.
      ['RESOLVED', '-'],
    ]);
  });
});
