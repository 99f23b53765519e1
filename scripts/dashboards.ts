/**
 * Writes the Grafana dashboards (generated with the Grafana Foundation SDK from
 * scripts/dashboards/) into grafana/dashboards/*.json: npm run dashboards. The JSON is
 * committed and provisioned (grafana/provisioning/); a test checks it is up to date.
 */
import { writeFileSync } from 'node:fs';
import { DASHBOARDS, dashboardJson } from './dashboards/all.js';
import { failScript, fileProblem, parseScriptArgs } from './script-args.js';

parseScriptArgs('dashboards', import.meta.url, { options: {} });

for (const [file, build] of Object.entries(DASHBOARDS)) {
  const path = `grafana/dashboards/${file}.json`;
  const json = dashboardJson(build());
  try {
    writeFileSync(path, json);
  } catch (error) {
    failScript('dashboards', `cannot write ${path}: ${fileProblem(error)}`);
  }
}
process.stdout.write(`dashboards: ${Object.keys(DASHBOARDS).length} written to grafana/dashboards/\n`);
