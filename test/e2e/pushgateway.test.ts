import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, signal, type Spawned, start, startCli, waitFor } from './processes.js';

/** Debian's Pushgateway (apt-get install prometheus-pushgateway). */
const PUSHGATEWAY = process.env.PUSHGATEWAY_PATH ?? '/usr/bin/prometheus-pushgateway';

/** The samples of one run's group on the Pushgateway's /metrics, by metric name. */
async function groupSamples(gateway: string, run: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${gateway}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m && m[2]!.includes(`run="${run}"`) && m[2]!.includes('job="tradesim"')) samples.set(m[1]!, Number(m[3]));
  }
  return samples;
}

describe("--pushgateway with Debian's prometheus-pushgateway", () => {
  let gateway: Spawned;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    gateway = start(PUSHGATEWAY, [`--web.listen-address=127.0.0.1:${port}`]);
    await waitFor('the Pushgateway to answer', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
  });
  afterAll(() => signal(gateway, 'SIGKILL'));

  it('pushes the final state of a flat-out batch run that no scrape would see', async () => {
    const run = startCli([
      ...['--scenario', 'crisis', '--seed', '7', '--turns', '300', '--interval', '0'],
      ...['--no-server', '--no-jsonl', '--pushgateway', url],
    ]);
    expect(await run.exited).toBe(0);
    const runId = /run ([0-9a-f-]{36})/.exec(run.stderr())![1]!;
    const samples = await groupSamples(url, runId);
    expect(samples.get('tradesim_turns_total')).toBe(300);
    expect(samples.get('tradesim_turn')).toBe(300);
    expect(samples.has('tradesim_demand_index')).toBe(true);
    // The Pushgateway took the push as it is: its own record of the group's last push.
    expect(samples.get('push_failure_time_seconds')).toBe(0);
    expect(run.stderr()).not.toContain('push failed');
  });

  it('pushes every --push-every seconds while a run goes on, and keeps each run in its own group', async () => {
    const run = startCli([
      ...['--scenario', 'default', '--seed', '1', '--interval', '20', '--no-jsonl', '--port', String(await freePort())],
      ...['--pushgateway', url, '--push-every', '1'],
    ]);
    const runId = await waitFor('the run id', () => /run ([0-9a-f-]{36})/.exec(run.stderr())?.[1]);
    const first = await waitFor('a first push', async () => (await groupSamples(url, runId)).get('tradesim_turn'));
    const later = await waitFor('a later push', async () => {
      const turn = (await groupSamples(url, runId)).get('tradesim_turn');
      return turn !== undefined && turn > first + 20 ? turn : undefined;
    });
    expect(later).toBeGreaterThan(first);
    signal(run, 'SIGTERM');
    expect(await run.exited).toBe(0);
    const final = (await groupSamples(url, runId)).get('tradesim_turns_total');
    expect(final).toBeGreaterThanOrEqual(later);
  });

  it('goes on when the Pushgateway cannot be reached, with one warning', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const run = startCli([
      ...['--scenario', 'default', '--seed', '1', '--turns', '200', '--interval', '10'],
      ...['--no-server', '--no-jsonl', '--pushgateway', nowhere, '--push-every', '1'],
    ]);
    expect(await run.exited).toBe(0);
    const warnings = run
      .stderr()
      .split('\n')
      .filter((l) => l.includes('push failed'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${nowhere}/metrics/job/tradesim/run/`);
  });
});
