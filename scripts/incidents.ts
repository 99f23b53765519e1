/**
 * The incident catalogue: plays a preset over seeds with every service and its alert rules,
 * collects each firing (rule, fired and resolved turn) and writes, per preset, which rules
 * fire, when (median and range over seeds), how long, and which timeline shocks were in
 * force when they fired. `npm run regimes` calls `writeIncidentCatalogue`; run alone:
 *
 *   tsx scripts/incidents.ts [--presets default,crisis] [--seeds 1-10] [--turns N] [--out docs/incidents.md]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type AlertRule, createTurnLoop, parseRunConfig, figureCatalogue } from '../src/services/index.js';
import { createSimulation } from '../src/simulation/index.js';

/** One firing of one rule in one run: turns it fired and resolved (null: still firing at the end). */
export interface Incident {
  readonly rule: string;
  readonly severity: string;
  readonly seed: number;
  readonly fired: number;
  readonly resolved: number | null;
}

/** A timeline shock of a preset, with the turns it is in force. */
interface Shock {
  readonly shock: string;
  readonly from: number;
  readonly to: number;
}

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
  const open = new Map<
    string,
    { rule: string; severity: string; seed: number; fired: number; resolved: number | null }
  >();
  const incidents: Incident[] = [];
  for (let t = 0; t < turns; t++) {
    for (const e of loop.runTurn().alerts.transitions) {
      if (e.to === 'firing') {
        const incident = { rule: e.rule, severity: e.severity, seed, fired: e.turn, resolved: null };
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

/** Turns an incident lasted (to the end of the run when it never resolved). */
export const lengthOf = (incident: Incident, turns: number): number =>
  (incident.resolved ?? turns + 1) - incident.fired;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function shocksOf(preset: string): Shock[] {
  const file = JSON.parse(readFileSync(`scenarios/${preset}.json`, 'utf8')) as {
    timeline?: { at: number; shock: string; turns?: number }[];
  };
  return (file.timeline ?? []).map((s) => ({ shock: s.shock, from: s.at, to: s.at + (s.turns ?? 1) - 1 }));
}

/** The shocks in force at a turn (or the shock that ended within `after` turns before it). */
function causeOf(shocks: readonly Shock[], turn: number, after = 20): string {
  const inForce = shocks.filter((s) => turn >= s.from && turn <= s.to + after).map((s) => s.shock);
  return inForce.length > 0 ? [...new Set(inForce)].join(' + ') : 'market dynamics (no shock)';
}

const range = (values: readonly number[]) =>
  values.length === 0 ? '-' : `${median(values)} (${Math.min(...values)}-${Math.max(...values)})`;

/** The catalogue's section for one preset, in Markdown. */
export function presetSection(preset: string, seeds: readonly number[], turns: number, incidents: Incident[]): string {
  const shocks = shocksOf(preset);
  const lines = [
    `## ${preset}`,
    '',
    `Seeds ${seeds[0]}-${seeds.at(-1)}, ${turns.toLocaleString('en')} turns each.` +
      (shocks.length > 0 ? ` Timeline: ${shocks.map((s) => `${s.shock} ${s.from}-${s.to}`).join(', ')}.` : ''),
    '',
    '| rule | severity | seeds | firings per seed | fired at turn: median (range) | lasts, turns: median (range) | in force when it fired |',
    '|---|---|---|---|---|---|---|',
  ];
  const rules = [...new Set(incidents.map((i) => i.rule))];
  for (const rule of rules) {
    const mine = incidents.filter((i) => i.rule === rule);
    // Group the firings by what was in force, so a rule that fires in two shocks shows both.
    const causes = new Map<string, Incident[]>();
    for (const i of mine) causes.set(causeOf(shocks, i.fired), [...(causes.get(causeOf(shocks, i.fired)) ?? []), i]);
    for (const [cause, group] of causes) {
      const seedsHit = new Set(group.map((i) => i.seed)).size;
      lines.push(
        `| \`${rule}\` | ${group[0]!.severity} | ${seedsHit} of ${seeds.length} | ${(group.length / seeds.length).toFixed(1)} | ` +
          `${range(group.map((i) => i.fired))} | ${range(group.map((i) => lengthOf(i, turns)))} | ${cause} |`,
      );
    }
  }
  if (rules.length === 0) lines.push('| (none) | | | | | | |');
  return lines.join('\n');
}

/** Plays every preset over the seeds and writes the catalogue to `out`. */
export function writeIncidentCatalogue(
  presets: readonly string[],
  seeds: readonly number[],
  out = 'docs/incidents.md',
  turnsOf: (preset: string) => number = (p) => CATALOGUE_TURNS[p] ?? 3_000,
): void {
  const sections = presets.map((preset) => {
    const turns = turnsOf(preset);
    const incidents = seeds.flatMap((seed) => playIncidents(preset, seed, turns));
    return presetSection(preset, seeds, turns, incidents);
  });
  const text = [
    '# Incident catalogue',
    '',
    'Generated by `npm run regimes` (scripts/incidents.ts): what the default alert rules and SLO',
    'alerts do on each preset, so a learner knows what to expect and when. A firing counts from the',
    'turn it fired to the turn it resolved; "in force" names the timeline shocks in force (or ended',
    'within 20 turns) when it fired. Regenerate after changing a preset or a rule.',
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  writeFileSync(out, text);
}

function parseSeeds(text: string): number[] {
  const [from, to] = text.split('-').map(Number);
  const last = to ?? from!;
  return Array.from({ length: last - from! + 1 }, (_, i) => from! + i);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const turns = arg('turns');
  writeIncidentCatalogue(
    (arg('presets') ?? 'default,crisis').split(','),
    parseSeeds(arg('seeds') ?? '1-10'),
    arg('out') ?? 'docs/incidents.md',
    turns === undefined ? undefined : () => Number(turns),
  );
}
