/** The dashboards by file name, and their JSON as committed. */
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { business } from './business.js';
import { exporter } from './exporter.js';
import { overview } from './overview.js';
import { performance } from './performance.js';

export const DASHBOARDS: Readonly<Record<string, () => DashboardBuilder>> = {
  'tradesim-overview': overview,
  'tradesim-business': business,
  'tradesim-performance': performance,
  'tradesim-exporter': exporter,
};

/** A dashboard's committed JSON: two-space indented, one trailing newline. */
export const dashboardJson = (builder: DashboardBuilder) => `${JSON.stringify(builder.build(), null, 2)}\n`;
