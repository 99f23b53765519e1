import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One PromQL query of a committed dashboard: its file, where it is (dashboard / panel) and its text. */
export interface DashboardQuery {
  readonly file: string;
  readonly where: string;
  readonly expr: string;
}

/** Every PromQL query of the committed dashboards (panels and annotations), in file order. */
export function dashboardQueries(): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const file of readdirSync('grafana/dashboards').sort()) {
    const d = JSON.parse(readFileSync(join('grafana/dashboards', file), 'utf8')) as {
      title: string;
      panels: { title: string; targets?: { expr: string }[] }[];
      annotations?: { list: { name: string; expr?: string }[] };
    };
    for (const panel of d.panels) {
      for (const t of panel.targets ?? []) queries.push({ file, where: `${d.title} / ${panel.title}`, expr: t.expr });
    }
    for (const a of d.annotations?.list ?? []) {
      if (a.expr) queries.push({ file, where: `${d.title} / annotation ${a.name}`, expr: a.expr });
    }
  }
  return queries;
}

/**
 * A dashboard query as Grafana sends it: `$__rate_interval` and `$__interval` given, and the
 * job, instance and run variables set (each a regex; `.*` is All).
 */
export function withVariables(
  expr: string,
  values: { rateInterval: string; interval: string; job?: string; instance?: string; run?: string },
): string {
  return expr
    .replaceAll('$__rate_interval', values.rateInterval)
    .replaceAll('$__interval', values.interval)
    .replaceAll('$job', values.job ?? '.*')
    .replaceAll('$instance', values.instance ?? '.*')
    .replaceAll('$run', values.run ?? '.*');
}
