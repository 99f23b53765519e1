/**
 * The configurations `npm run monitoring` hands its servers: the repository's prometheus.yml
 * and alertmanager.yml, with the addresses of this session, the rule files by full path, and
 * the in-process webhook sink as an Alertmanager receiver.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';

/** Where each server of the session listens (HOST:PORT); undefined: not started. */
export interface StackAddresses {
  readonly target: string;
  readonly prometheus: string;
  readonly alertmanager: string | undefined;
  readonly pushgateway: string | undefined;
  /** The webhook sink's URL. */
  readonly sink: string | undefined;
}

interface ScrapeConfig {
  job_name: string;
  static_configs?: { targets: string[] }[];
}
interface PrometheusConfig {
  rule_files?: string[];
  alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  scrape_configs?: ScrapeConfig[];
}
interface AlertmanagerConfig {
  route: { receiver: string };
  receivers: { name: string; webhook_configs?: { url: string; send_resolved?: boolean }[] }[];
}

const TARGET_OF_JOB: Readonly<Record<string, keyof StackAddresses>> = {
  tradesim: 'target',
  prometheus: 'prometheus',
  pushgateway: 'pushgateway',
};

/**
 * prometheus.yml (from `source`) for this session: each known job scraping its server's
 * address (the Pushgateway's job left out when none is started), alerts to this session's
 * Alertmanager (none without one), rule files by full path.
 */
export function prometheusConfig(source: string, at: StackAddresses): string {
  const config = parse(readFileSync(source, 'utf8')) as PrometheusConfig;
  config.rule_files = (config.rule_files ?? []).map((file) => resolve(file));
  if (at.alertmanager) config.alerting = { alertmanagers: [{ static_configs: [{ targets: [at.alertmanager] }] }] };
  else delete config.alerting;
  config.scrape_configs = (config.scrape_configs ?? []).flatMap((job) => {
    const key = TARGET_OF_JOB[job.job_name];
    if (!key) return [job];
    const address = at[key];
    return address ? [{ ...job, static_configs: [{ targets: [address] }] }] : [];
  });
  return stringify(config);
}

/** alertmanager.yml (from `source`) whose default receiver also posts to the sink, resolutions included. */
export function alertmanagerConfig(source: string, sink: string): string {
  const config = parse(readFileSync(source, 'utf8')) as AlertmanagerConfig;
  const receiver = config.receivers.find((r) => r.name === config.route.receiver);
  if (receiver) receiver.webhook_configs = [...(receiver.webhook_configs ?? []), { url: sink, send_resolved: true }];
  return stringify(config);
}

/** Writes both configurations into `folder` (re-read from the repository each time: a reload sees edits). */
export function writeConfigs(folder: string, at: StackAddresses): { prometheus: string; alertmanager: string } {
  const paths = { prometheus: resolve(folder, 'prometheus.yml'), alertmanager: resolve(folder, 'alertmanager.yml') };
  writeFileSync(paths.prometheus, prometheusConfig('prometheus.yml', at));
  if (at.sink) writeFileSync(paths.alertmanager, alertmanagerConfig('alertmanager.yml', at.sink));
  return paths;
}
