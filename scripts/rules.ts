/**
 * Writes the Prometheus rules from the rule catalogue: npm run rules [-- --scenario FILE]
 * [--out FILE] [--slo-out FILE]. business_alerts.yml forwards every in-process alert (the
 * threshold rules and the SLOs' burn-rate alerts); slo_rules.yml recomputes the SLO alerts
 * in PromQL, to compare. Without --scenario, the default rules and SLOs (both files
 * committed; a test checks they are up to date); with it, that file's.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { businessAlertRules, sloRules } from '../src/monitoring/index.js';
import { loadRunConfig, type RunConfig, runRules } from '../src/services/index.js';
import { writeWholeFile } from '../src/cli/whole-file.js';
import { exitOnHelp, failScript } from './script-args.js';

const fail = (message: string): never => failScript('rules', message);

let values: { scenario?: string; out?: string; 'slo-out'?: string } = {};
exitOnHelp(import.meta.url);
try {
  ({ values } = parseArgs({
    options: { scenario: { type: 'string' }, out: { type: 'string' }, 'slo-out': { type: 'string' } },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message.split('\n')[0] ?? 'bad flag');
}
let config: RunConfig = loadRunConfig('{}');
if (values.scenario !== undefined) {
  let text = '';
  try {
    text = readFileSync(values.scenario, 'utf8');
  } catch (error) {
    fail(`--scenario: cannot read ${values.scenario}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    config = loadRunConfig(text);
  } catch (error) {
    fail(`${values.scenario}: ${(error as Error).message.split('\n')[0]}`);
  }
}
const rules = runRules(config);
const out = values.out ?? 'business_alerts.yml';
const turnMinutes = (config.scenario as { calendar?: { turnMinutes?: number } }).calendar?.turnMinutes;
const sloOut = values['slo-out'] ?? 'slo_rules.yml';
if (resolve(out) === resolve(sloOut))
  fail(`--out and --slo-out: one file for both (${out}); the second would replace the first`);
/** Writes `text` whole to `path` (writeWholeFile: a temporary file renamed over it), or fails in one line naming it. */
const writeRules = (flag: string, path: string, text: string): void => {
  try {
    writeWholeFile(path, [Buffer.from(text)]);
  } catch (error) {
    fail(`${flag}: cannot write ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
};
// Both are made and both paths checked before either is written. A rename would replace a
// device (/dev/full) or fail on a folder: only a regular file is written over.
const texts = [businessAlertRules(rules), sloRules(turnMinutes)] as const;
for (const [flag, path] of [
  ['--out', out],
  ['--slo-out', sloOut],
] as const) {
  const kind = statSync(path, { throwIfNoEntry: false });
  if (kind && !kind.isFile()) fail(`${flag}: ${path} is not a regular file`);
}
writeRules('--out', out, texts[0]);
writeRules('--slo-out', sloOut, texts[1]);
process.stdout.write(`rules: ${rules.length} rules forwarded in ${out}; SLO rules in PromQL in ${sloOut}\n`);
