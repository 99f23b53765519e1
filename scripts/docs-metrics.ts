/** Regenerates the metric table in docs/metrics.md from the metric catalogue: npm run docs:metrics */
import { readFileSync, writeFileSync } from 'node:fs';
import { TABLE_BEGIN, updateMetricsTable } from '../src/monitoring/index.js';
import { parseScriptArgs } from './script-args.js';

parseScriptArgs('docs:metrics', import.meta.url, { options: {} });

const PAGE = 'docs/metrics.md';
const readme = readFileSync(PAGE, 'utf8');
if (!readme.includes(TABLE_BEGIN)) {
  process.stderr.write(`docs:metrics: ${PAGE} has no ${TABLE_BEGIN} marker\n`);
  process.exit(2);
}
const updated = updateMetricsTable(readme);
if (updated === readme) {
  process.stdout.write(`docs:metrics: ${PAGE} is up to date\n`);
} else {
  writeFileSync(PAGE, updated);
  process.stdout.write(`docs:metrics: ${PAGE} metric table regenerated\n`);
}
