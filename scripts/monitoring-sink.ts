/**
 * The webhook sink of `npm run monitoring`: Alertmanager's default receiver posts each
 * notification here, and one line per alert is printed, so a learner sees it arrive.
 */
import { createServer, type Server } from 'node:http';

/** One alert of an Alertmanager webhook notification (version 4). */
interface WebhookAlert {
  readonly status: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly fingerprint?: string;
}

/** Firing alerts whose run is remembered, at most: one alert of each rule and run, many times over. */
const RUNS_KEPT = 10_000;

/** A notification's alert as one line: state, alert, severity, run and turn. */
export function notificationLine(alert: WebhookAlert, run: string | undefined): string {
  const l = alert.labels;
  const state = alert.status === 'resolved' ? 'RESOLVED' : 'FIRING';
  return (
    `notification: ${state.padEnd(8)} ${(l.alertname ?? '?').padEnd(36)} severity=${l.severity ?? '-'}` +
    ` run=${run ?? '-'} turn=${l.fired_turn ?? '-'}`
  ).replace(/[\u0000-\u001f\u007f]/g, ' '); // eslint-disable-line no-control-regex
}

/**
 * Starts the sink on `host:port` (0: any free port). `runOf` names the run of an alert's
 * job and instance when its labels do not (a scraped run's series carry no run label). The
 * run named when an alert fired is kept for its RESOLVED line: a run that has ended since
 * is no longer there to ask.
 */
export async function startSink(
  host: string,
  port: number,
  runOf: (labels: Readonly<Record<string, string>>) => Promise<string | undefined>,
  print: (line: string) => void,
): Promise<{ server: Server; url: string }> {
  const firingRuns = new Map<string, string>();
  const runOfAlert = async (alert: WebhookAlert): Promise<string | undefined> => {
    const key = alert.fingerprint;
    const kept = key === undefined ? undefined : firingRuns.get(key);
    const run = alert.labels.run ?? kept ?? (await runOf(alert.labels));
    if (key === undefined || run === undefined) return run;
    firingRuns.delete(key);
    if (alert.status !== 'resolved') firingRuns.set(key, run);
    if (firingRuns.size > RUNS_KEPT) firingRuns.delete(firingRuns.keys().next().value!);
    return run;
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      // A notification is a few KB; more is not Alertmanager.
      if (body.length < 1_000_000) body += chunk;
    });
    req.on('end', () => {
      res.end();
      void (async () => {
        try {
          const { alerts } = JSON.parse(body) as { alerts: WebhookAlert[] };
          for (const alert of alerts) print(notificationLine(alert, await runOfAlert(alert)));
        } catch {
          print('notification: (not an Alertmanager notification)');
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as { port: number };
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/alerts` };
}
