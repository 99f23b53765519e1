/**
 * Writes the Prometheus rules that forward in-process alerts, from the rule catalogue:
 * npm run rules [-- --scenario FILE] [--out FILE]. Without --scenario, the default rules
 * into business_alerts.yml (committed; a test checks it is up to date); with it, that
 * file's rules (defaults included unless it switches them off).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { businessAlertRules } from '../src/monitoring/index.js';
import { DEFAULT_ALERT_RULES, loadRunConfig } from '../src/services/index.js';
import { exitOnHelp } from './script-args.js';

const fail = (message: string): never => {
  process.stderr.write(`rules: ${message}\n`);
  process.exit(2);
};

let values: { scenario?: string; out?: string } = {};
exitOnHelp(import.meta.url);
try {
  ({ values } = parseArgs({ options: { scenario: { type: 'string' }, out: { type: 'string' } }, strict: true }));
} catch (error) {
  fail((error as Error).message.split('\n')[0] ?? 'bad flag');
}
let rules = DEFAULT_ALERT_RULES;
if (values.scenario !== undefined) {
  let text = '';
  try {
    text = readFileSync(values.scenario, 'utf8');
  } catch (error) {
    fail(`--scenario: cannot read ${values.scenario}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    rules = loadRunConfig(text).alerts;
  } catch (error) {
    fail(`${values.scenario}: ${(error as Error).message.split('\n')[0]}`);
  }
}
const out = values.out ?? 'business_alerts.yml';
writeFileSync(out, businessAlertRules(rules));
process.stdout.write(`rules: ${rules.length} rules forwarded in ${out}\n`);
