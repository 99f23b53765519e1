/**
 * Writes the Grafana dashboards (generated with the Grafana Foundation SDK from
 * scripts/dashboards/) into grafana/dashboards/*.json: npm run dashboards. The JSON is
 * committed and provisioned (grafana/provisioning/); a test checks it is up to date.
 * Every target is checked before any is written (a link or a folder is refused, not followed
 * or half the dashboards replaced), and each is written whole (a temporary file, renamed).
 */
import { lstatSync, statSync } from 'node:fs';
import { writeWholeFile } from '../src/cli/whole-file.js';
import { DASHBOARDS, dashboardJson } from './dashboards/all.js';
import { failScript, fileProblem, parseScriptArgs } from './script-args.js';

parseScriptArgs('dashboards', import.meta.url, { options: {} });

const FOLDER = 'grafana/dashboards';
const targets = Object.entries(DASHBOARDS).map(([file, build]) => ({ path: `${FOLDER}/${file}.json`, build }));
for (const { path } of targets) {
  let problem: string | undefined;
  try {
    if (!lstatSync(path).isFile()) problem = 'it is not a file (a link or a folder): remove it first';
  } catch (error) {
    // A dashboard not written yet is fine; its folder must be there.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problem = fileProblem(error);
    else if (!statSync(FOLDER, { throwIfNoEntry: false })?.isDirectory()) problem = fileProblem(error);
  }
  if (problem !== undefined) failScript('dashboards', `cannot write ${path}: ${problem}`);
}
for (const { path, build } of targets) {
  try {
    writeWholeFile(path, [Buffer.from(dashboardJson(build()))]);
  } catch (error) {
    failScript('dashboards', `cannot write ${path}: ${fileProblem(error)}`);
  }
}
process.stdout.write(`dashboards: ${targets.length} written to ${FOLDER}/\n`);
