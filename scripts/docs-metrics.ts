/** Regenerates the metric table in docs/metrics.md from the metric catalogue: npm run docs:metrics */
import { readFileSync, writeFileSync } from 'node:fs';
import { TABLE_BEGIN, updateMetricsTable } from '../src/monitoring/index.js';
import { failScript, fileProblem, parseScriptArgs } from './script-args.js';

parseScriptArgs('docs:metrics', import.meta.url, { options: {} });

const PAGE = 'docs/metrics.md';
let readme = '';
try {
  readme = readFileSync(PAGE, 'utf8');
} catch (error) {
  failScript('docs:metrics', `cannot read ${PAGE}: ${fileProblem(error)}`);
}
if (!readme.includes(TABLE_BEGIN)) failScript('docs:metrics', `${PAGE} has no ${TABLE_BEGIN} marker`);
const updated = updateMetricsTable(readme);
if (updated === readme) {
  process.stdout.write(`docs:metrics: ${PAGE} is up to date\n`);
} else {
  try {
    writeFileSync(PAGE, updated);
  } catch (error) {
    failScript('docs:metrics', `cannot write ${PAGE}: ${fileProblem(error)}`);
  }
  process.stdout.write(`docs:metrics: ${PAGE} metric table regenerated\n`);
}
