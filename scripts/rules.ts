/**
 * Writes the Prometheus rules from the rule catalogue: npm run rules [-- --scenario FILE]
 * [--out FILE] [--slo-out FILE]. business_alerts.yml forwards every in-process alert (the
 * threshold rules and the SLOs' burn-rate alerts); slo_rules.yml recomputes the SLO alerts
 * in PromQL, to compare. Without --scenario, the default rules and SLOs (both files
 * committed; a test checks they are up to date); with it, that file's.
 */
import { lstatSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { businessAlertRules, sloRules } from '../src/monitoring/index.js';
import { loadRunConfig, type RunConfig, runRules } from '../src/services/index.js';
import { readScenarioSource } from '../src/cli/scenario-file.js';
import { writeWholeFile } from '../src/cli/whole-file.js';
import { failScript, parseScriptArgs } from './script-args.js';

const fail = (message: string): never => failScript('rules', message);

const { values } = parseScriptArgs('rules', import.meta.url, {
  options: { scenario: { type: 'string' }, out: { type: 'string' }, 'slo-out': { type: 'string' } },
});
let config: RunConfig = loadRunConfig('{}');
if (values.scenario !== undefined) {
  // A preset by name (crisis) or a file, read as tradesim reads it.
  let text = '';
  try {
    text = readScenarioSource(values.scenario).text;
  } catch (error) {
    fail((error as Error).message.split('\n')[0] ?? 'cannot read the scenario');
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
// device (/dev/full) or a link, or fail on a folder: only a regular file is written over,
// into a folder that is there.
const texts = [businessAlertRules(rules), sloRules(turnMinutes)] as const;
for (const [flag, path] of [
  ['--out', out],
  ['--slo-out', sloOut],
] as const) {
  if (path === '') fail(`${flag}: must not be empty`);
  const kind = lstatSync(path, { throwIfNoEntry: false });
  if (kind?.isSymbolicLink()) fail(`${flag}: ${path} is a symbolic link: name the file itself`);
  if (kind && !kind.isFile()) fail(`${flag}: ${path} is not a regular file`);
  // The folder followed if a link (/tmp is one on macOS); the file itself is not.
  if (!statSync(dirname(path), { throwIfNoEntry: false })?.isDirectory())
    fail(`${flag}: cannot write ${path}: no folder ${dirname(path)}`);
}
writeRules('--out', out, texts[0]);
writeRules('--slo-out', sloOut, texts[1]);
process.stdout.write(`rules: ${rules.length} rules forwarded in ${out}; SLO rules in PromQL in ${sloOut}\n`);
