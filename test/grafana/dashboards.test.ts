import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS, dashboardJson } from '../../scripts/dashboards/all.js';
import { METRICS } from '../../src/monitoring/index.js';

interface Dashboard {
  uid: string;
  title: string;
  templating: { list: { name: string; multi?: boolean; includeAll?: boolean }[] };
  panels: { type: string; title: string; description?: string; targets?: { expr: string }[] }[];
}
const committed = (file: string) => readFileSync(`grafana/dashboards/${file}.json`, 'utf8');

describe('Grafana dashboards', () => {
  it('the committed JSON is what `npm run dashboards` generates', () => {
    expect(readdirSync('grafana/dashboards').sort()).toEqual(
      Object.keys(DASHBOARDS)
        .map((f) => `${f}.json`)
        .sort(),
    );
    for (const [file, build] of Object.entries(DASHBOARDS)) expect(committed(file), file).toBe(dashboardJson(build()));
  });

  it('each has the datasource, job, instance and run variables, and titled, described panels with queries', () => {
    const uids = new Set<string>();
    for (const file of Object.keys(DASHBOARDS)) {
      const d = JSON.parse(committed(file)) as Dashboard;
      uids.add(d.uid);
      expect(d.templating.list.map((v) => v.name)).toEqual(['datasource', 'job', 'instance', 'run']);
      for (const panel of d.panels.filter((p) => p.type !== 'row')) {
        expect(panel.title, file).not.toBe('');
        expect(panel.description, `${d.title} / ${panel.title}`).toBeTruthy();
        expect(panel.targets?.length, `${d.title} / ${panel.title}`).toBeGreaterThan(0);
      }
    }
    expect(uids.size).toBe(Object.keys(DASHBOARDS).length);
  });

  it('keeps every query to one job, so a scraped and a pushed run never add up', () => {
    for (const file of Object.keys(DASHBOARDS)) {
      const d = JSON.parse(committed(file)) as Dashboard;
      const job = d.templating.list.find((v) => v.name === 'job')!;
      expect(job.multi, file).toBe(false);
      expect(job.includeAll, file).toBe(false);
      for (const panel of d.panels) {
        for (const { expr } of panel.targets ?? []) {
          // Every selector names the job; vector(0) is the only bare one.
          for (const [selector] of expr.matchAll(/\b[a-zA-Z_:][\w:]*\{[^}]*\}/g)) {
            expect(selector, `${panel.title}: ${expr}`).toContain('job=~"$job"');
          }
        }
      }
    }
  });

  it('reads only metrics TradeSim or Prometheus itself provides, and recording rules of alert_rules.yml', () => {
    const recorded = [...readFileSync('alert_rules.yml', 'utf8').matchAll(/^\s*- record: (\S+)$/gm)].map((m) => m[1]!);
    expect(recorded.length).toBeGreaterThan(0);
    const known = new Set([...METRICS.map((m) => m.name), ...recorded]);
    const prometheusOwn = /^(up|scrape_\w+|ALERTS|process_cpu_seconds_total)$/;
    for (const file of Object.keys(DASHBOARDS)) {
      const d = JSON.parse(committed(file)) as Dashboard;
      for (const panel of d.panels) {
        for (const { expr } of panel.targets ?? []) {
          for (const [, name] of expr.matchAll(/\b([a-zA-Z_:][\w:]*)\{/g)) {
            const base = name!.replace(/_(bucket|sum|count)$/, '');
            expect(known.has(base) || prometheusOwn.test(name!), `${panel.title}: ${name}`).toBe(true);
          }
        }
      }
    }
  });

  it('reads every recording rule of alert_rules.yml, and keeps the live-only series on the Exporter dashboard', () => {
    const recorded = [...readFileSync('alert_rules.yml', 'utf8').matchAll(/^\s*- record: (\S+)$/gm)].map((m) => m[1]!);
    const exprs = new Map(
      Object.keys(DASHBOARDS).map((file) => {
        const d = JSON.parse(committed(file)) as Dashboard;
        return [file, d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join('\n')] as const;
      }),
    );
    const all = [...exprs.values()].join('\n');
    for (const rule of recorded) expect(all, rule).toContain(`${rule}{`);
    // What only a live process has (no JSONL line holds it): none of it on the business dashboards.
    const liveOnly =
      /\b(up|instance:up:\w+|scrape_\w+|ALERTS|process_cpu_seconds_total|tradesim_http_\w+|tradesim_jsonl_write_\w+|job:tradesim_http_\w+)\{/;
    for (const [file, text] of exprs) {
      if (file === 'tradesim-exporter') expect(text).toMatch(liveOnly);
      else expect(text, file).not.toMatch(liveOnly);
    }
  });
});
