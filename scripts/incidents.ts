/**
 * The incident catalogue: plays a preset over seeds with every service and its alert rules,
 * collects each firing (rule, fired and resolved turn) and writes, per preset, which rules
 * fire, when (median and range over seeds), how long, and which timeline shocks were in
 * force when they fired. `npm run regimes` calls `writeIncidentCatalogue`; run alone:
 *
 *   tsx scripts/incidents.ts [--presets default,crisis] [--seeds 1-10 (or 1,5,9-12)] [--turns N] [--out docs/incidents.md]
 */
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeWholeFile } from '../src/cli/whole-file.js';
import { formatSeeds } from '../src/cli/sweep/sweep-grid.js';
import { failScript, fileProblem, parseScriptArgs, parseScriptSeeds } from './script-args.js';
import { type AlertRule, createTurnLoop, parseRunConfig, figureCatalogue } from '../src/services/index.js';
import { createSimulation } from '../src/simulation/index.js';
import {
  causeOf,
  type CriteriaReport,
  type Incident,
  judgeIncidents,
  lengthOf,
  median,
  NO_SHOCK,
  type Shock,
} from './incident-criteria.js';

export { lengthOf, type Incident } from './incident-criteria.js';

/** What each default rule's firing tells a learner, and the market behind it (docs/slo.md says more). */
const STORIES: readonly (readonly [string, string])[] = [
  ['budget_critical', "the companies' total budget is under 10 % of its start: the credit freeze drains it"],
  ['no_successful_transaction', 'nobody bought anything for 5 turns: every product withdrawn, or nobody able to pay'],
  ['no_active_product', "every product is withdrawn: crisis's product recall"],
  ['no_solvent_company', "every company is insolvent: the freeze's depth"],
  ['budget_trend_decreasing', 'the total budget falls by over 4 % of its level a turn for 20 turns: the credit freeze'],
  ['transaction_failure_rate_high', 'over a third of purchases fail for 20 turns: a recall or a supply disruption'],
  [
    'orders_late',
    "a product's suppliers run out, its orders queue and turn late: 2.5 % of orders late over three days. On `default` mostly a supplier outage (a plant down for 2-7 days, more likely when suppliers run hard in a boom) leaving a product it alone or mostly supplies without goods; also the order-up-to rule's own overshoots at the top of the cycle",
  ],
  [
    'slo_*_page_1h, slo_*_page_6h',
    "an SLO's 30-day error budget burning 14.4x over an hour or 6x over six hours, for most of a day: the supply disruption's late orders, the freeze's insolvencies",
  ],
  [
    'slo_*_ticket_1d, slo_*_ticket_3d',
    'a slower burn, 3x over a day or 1x over three days: a stock-out that lasts, solvency sagging as weak companies fail',
  ],
];

/** The turns each preset is played for in the catalogue. */
export const CATALOGUE_TURNS: Readonly<Record<string, number>> = { default: 10_000, crisis: 3_000 };

/** Reads a preset's scenario file, with extra alert rules appended (for tuning). */
export function presetConfig(preset: string, extraRules: readonly Partial<AlertRule>[] = []) {
  const file = JSON.parse(readFileSync(`scenarios/${preset}.json`, 'utf8')) as Record<string, unknown>;
  if (extraRules.length > 0) {
    const alerts = (file.alerts ?? {}) as { rules?: unknown[] };
    file.alerts = { ...alerts, rules: [...(alerts.rules ?? []), ...extraRules] };
  }
  return parseRunConfig(file, figureCatalogue());
}

/** Plays one seed of a preset and returns every firing of every rule, in firing order. */
export function playIncidents(
  preset: string,
  seed: number,
  turns: number,
  extraRules: readonly Partial<AlertRule>[] = [],
): Incident[] {
  const config = presetConfig(preset, extraRules);
  const loop = createTurnLoop({ simulation: createSimulation(config.scenario, seed), config });
  const open = new Map<string, { -readonly [K in keyof Incident]: Incident[K] }>();
  const incidents: Incident[] = [];
  // The last turn a supplier outage is in force (the event's size is its turns).
  let outageUntil = -Infinity;
  for (let t = 0; t < turns; t++) {
    const { alerts, market, event, turn } = loop.runTurn();
    if (event.thisTurn.supplier_outage === 1 && event.lastMagnitude.supplier_outage > 0) {
      // Started at the end of `turn`, it limits the orders of the next `lastMagnitude` turns.
      outageUntil = Math.max(outageUntil, turn + event.lastMagnitude.supplier_outage);
    }
    for (const e of alerts.transitions) {
      if (e.to === 'firing') {
        const [waiting, demand] = [market.orders.backlogOrders, market.demandIndex];
        const outage = e.turn <= outageUntil + OUTAGE_AFTER;
        const incident = {
          ...{ rule: e.rule, severity: e.severity, seed, fired: e.turn, resolved: null },
          ...{ waiting, demand, outage },
        };
        open.set(e.rule, incident);
        incidents.push(incident);
      } else if (e.from === 'firing') {
        const incident = open.get(e.rule);
        if (incident) incident.resolved = e.turn;
        open.delete(e.rule);
      }
    }
  }
  return incidents;
}

/** The preset's timeline shocks, with the turns each is in force. */
export function shocksOf(preset: string): Shock[] {
  const file = JSON.parse(readFileSync(`scenarios/${preset}.json`, 'utf8')) as {
    timeline?: { at: number; shock: string; turns?: number }[];
  };
  return (file.timeline ?? []).map((s) => ({ shock: s.shock, from: s.at, to: s.at + (s.turns ?? 1) - 1 }));
}

/** Turns after a supplier outage's end in which a firing is still put down to it. */
const OUTAGE_AFTER = 20;

/** What was in force when a firing fired: the timeline's shocks, else a supplier outage, else the market. */
function causeIn(shocks: readonly Shock[], incident: Incident): string {
  const cause = causeOf(shocks, incident.fired);
  return cause === NO_SHOCK && incident.outage === true ? 'supplier outage (no shock)' : cause;
}

const range = (values: readonly number[]) =>
  values.length === 0 ? '-' : `${median(values)} (${Math.min(...values)}-${Math.max(...values)})`;

/** The catalogue's section for one preset, in Markdown. */
export function presetSection(preset: string, seeds: readonly number[], turns: number, incidents: Incident[]): string {
  const shocks = shocksOf(preset);
  const lines = [
    `## ${preset}`,
    '',
    `Seeds ${formatSeeds(seeds)}, ${turns.toLocaleString('en')} turns each.` +
      (shocks.length > 0 ? ` Timeline: ${shocks.map((s) => `${s.shock} ${s.from}-${s.to}`).join(', ')}.` : ''),
    '',
    '| rule | severity | seeds | firings per seed | fired at turn: median (range) | lasts, turns: median (range) | in force when it fired | orders waiting, demand index when it fired (medians) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const rules = [...new Set(incidents.map((i) => i.rule))];
  for (const rule of rules) {
    const mine = incidents.filter((i) => i.rule === rule);
    // Group the firings by what was in force, so a rule that fires in two shocks shows both.
    const causes = new Map<string, Incident[]>();
    for (const i of mine) {
      const cause = causeIn(shocks, i);
      causes.set(cause, [...(causes.get(cause) ?? []), i]);
    }
    for (const [cause, group] of causes) {
      const seedsHit = new Set(group.map((i) => i.seed)).size;
      lines.push(
        `| \`${rule}\` | ${group[0]!.severity} | ${seedsHit} of ${seeds.length} | ${(group.length / seeds.length).toFixed(1)} | ` +
          `${range(group.map((i) => i.fired))} | ${range(group.map((i) => lengthOf(i, turns)))} | ${cause} | ` +
          `${median(group.map((i) => i.waiting))}, ${median(group.map((i) => i.demand)).toFixed(2)} |`,
      );
    }
  }
  if (rules.length === 0) lines.push('| (none) | | | | | | | |');
  return lines.join('\n');
}

/** The catalogue's first line: a file that begins otherwise is not one to write over. */
const CATALOGUE_TITLE = '# Incident catalogue';

/**
 * Refuses, before any run, an `out` the catalogue could not replace: a folder, a link, a file
 * that is not a catalogue, or a place whose folder is missing (one line, exit 2).
 */
export function catalogueWritableOrFail(out: string, script: string): void {
  let info;
  try {
    info = lstatSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      failScript(script, `cannot write ${out}: ${fileProblem(error)}`);
  }
  if (info && !info.isFile()) failScript(script, `cannot write ${out}: it is not a file`);
  // Only a catalogue is written over: a user's own file at that path is kept.
  if (info && !readFileSync(out, 'utf8').startsWith(CATALOGUE_TITLE)) {
    failScript(script, `cannot write ${out}: it exists and is not an incident catalogue; remove it or name another`);
  }
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
    failScript(script, `cannot write ${out}: ${dirname(out)} is not a folder (run it from the repository's root)`);
  }
}

/**
 * Plays every preset over the seeds, writes the catalogue to `out` whole (each preset's
 * firings, then its incident criteria seed by seed; nothing written when `out` is undefined)
 * and returns the criteria, for regimes to print.
 */
export function writeIncidentCatalogue(
  presets: readonly string[],
  seeds: readonly number[],
  out: string | undefined,
  turnsOf: (preset: string) => number = (p) => CATALOGUE_TURNS[p] ?? 3_000,
  script = 'incidents',
): CriteriaReport[] {
  const reports: CriteriaReport[] = [];
  const sections = presets.map((preset) => {
    const turns = turnsOf(preset);
    const incidents = seeds.flatMap((seed) => playIncidents(preset, seed, turns));
    const report = judgeIncidents(preset, seeds, turns, incidents, shocksOf(preset));
    reports.push(report);
    return [
      presetSection(preset, seeds, turns, incidents),
      ...(report.lines.length > 0 ? ['', ...report.lines] : []),
    ].join('\n');
  });
  const text = [
    CATALOGUE_TITLE,
    '',
    'Generated by `npm run regimes` (scripts/incidents.ts): what the default alert rules and SLO',
    'alerts do on each preset, so a learner knows what to expect and when. A firing counts from the',
    'turn it fired to the turn it resolved; "in force" names the timeline shocks in force (or ended',
    'within 20 turns) when it fired, else a supplier outage (`events.supplierOutage`) in force or',
    'ended within 20 turns; "orders waiting" is the backlog of orders (backorders) then.',
    'Below each table, the criteria the preset is judged by, seed by seed (scripts/incident-criteria.ts).',
    'Regenerate after changing a preset or a rule.',
    '',
    '## What each rule tells',
    '',
    ...STORIES.map(
      ([rule, story]) =>
        `- ${rule
          .split(', ')
          .map((r) => `\`${r}\``)
          .join(', ')}: ${story}.`,
    ),
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  if (out !== undefined) {
    try {
      writeWholeFile(out, [Buffer.from(text)]);
    } catch (error) {
      failScript(script, `cannot write ${out}: ${fileProblem(error)}`);
    }
  }
  return reports;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseScriptArgs('incidents', import.meta.url, {
    options: {
      presets: { type: 'string' },
      seeds: { type: 'string' },
      turns: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const seeds = parseScriptSeeds('incidents', values.seeds ?? '1-10');
  const presets = (values.presets ?? 'default,crisis').split(',');
  // A preset is a file of scenarios/ by its name: no folder, no extension.
  const unknown = presets.find((p) => !/^[a-z0-9-]+$/.test(p) || !existsSync(`scenarios/${p}.json`));
  if (unknown !== undefined) failScript('incidents', `--presets: ${unknown} is not a preset of scenarios/`);
  if (values.turns !== undefined && !/^[1-9]\d{0,6}$/.test(values.turns)) {
    failScript('incidents', `--turns: expected a whole number from 1 to 9999999, got '${values.turns}'`);
  }
  const out = values.out ?? 'docs/incidents.md';
  catalogueWritableOrFail(out, 'incidents');
  const turns = values.turns;
  writeIncidentCatalogue(presets, seeds, out, turns === undefined ? undefined : () => Number(turns));
}
