/** Regenerates the README's metric table from the metric catalogue: npm run docs:metrics */
import { readFileSync, writeFileSync } from 'node:fs';
import { TABLE_BEGIN, updateReadmeTable } from '../src/monitoring/index.js';

const readme = readFileSync('README.md', 'utf8');
if (!readme.includes(TABLE_BEGIN)) {
  process.stderr.write(`docs:metrics: README.md has no ${TABLE_BEGIN} marker\n`);
  process.exit(2);
}
const updated = updateReadmeTable(readme);
if (updated === readme) {
  process.stdout.write('docs:metrics: README.md is up to date\n');
} else {
  writeFileSync('README.md', updated);
  process.stdout.write('docs:metrics: README.md metric table regenerated\n');
}
