import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, signal, type Spawned, start, waitFor } from './processes.js';

// Debian's prometheus-alertmanager, with the repository's alertmanager.yml as it is.
describe("the repository's alertmanager.yml, in a real Alertmanager", () => {
  let am: Spawned;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const dir = mkdtempSync(join(tmpdir(), 'tradesim-am-'));
    am = start('prometheus-alertmanager', [
      '--config.file=alertmanager.yml',
      `--storage.path=${join(dir, 'am')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ]);
    await waitFor('Alertmanager to answer', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
  });
  afterAll(() => signal(am, 'SIGKILL'));

  const alert = (alertname: string, severity: string, job = 'tradesim') => ({
    labels: { alertname, severity, job, instance: '127.0.0.1:8000' },
  });

  it('pages once for an exporter gone: its scrape-SLO burns and warnings are inhibited, a batch job is not', async () => {
    const posted = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        alert('TradeSimExporterDown', 'critical'),
        alert('TradeSimScrapeErrorBudgetBurnFast', 'critical'),
        alert('TradeSimScrapeErrorBudgetBurnSlow', 'warning'),
        alert('TradeSimTurnLoopStalled', 'warning'),
        alert('TradeSimBudgetCritical', 'critical'),
        alert('TradeSimScrapeErrorBudgetBurnFast', 'critical', 'tradesim_batch'),
      ]),
    });
    expect(posted.status).toBe(200);
    const inhibited = await waitFor('the alerts to be held', async () => {
      const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as {
        labels: Record<string, string>;
        status: { inhibitedBy: string[] };
      }[];
      const held = alerts
        .filter((a) => a.status.inhibitedBy.length > 0)
        .map((a) => `${a.labels.job}/${a.labels.alertname}`)
        .sort();
      // Alertmanager marks an alert inhibited as it processes it: wait for all, then compare.
      return alerts.length === 6 && held.length >= 3 ? held : undefined;
    });
    expect(inhibited).toEqual([
      'tradesim/TradeSimScrapeErrorBudgetBurnFast',
      'tradesim/TradeSimScrapeErrorBudgetBurnSlow',
      'tradesim/TradeSimTurnLoopStalled',
    ]);
  });
});
