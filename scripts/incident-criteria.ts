/**
 * What an incident is, and the criteria the presets' firings are judged by, seed by seed
 * (docs/slo.md, "The default rules, and why"). `npm run regimes` prints them and
 * docs/incidents.md keeps them under each preset's firings.
 */

/** One firing of one rule in one run: turns it fired and resolved (null: still firing at the end). */
export interface Incident {
  readonly rule: string;
  readonly severity: string;
  readonly seed: number;
  readonly fired: number;
  readonly resolved: number | null;
  /** The market when it fired: orders waiting (backorders) and households' demand index. */
  readonly waiting: number;
  readonly demand: number;
  /** Whether a supplier outage was in force (or had ended within 20 turns) when it fired. */
  readonly outage?: boolean;
}

/** A timeline shock of a preset, with the turns it is in force. */
export interface Shock {
  readonly shock: string;
  readonly from: number;
  readonly to: number;
}

/** A preset's criteria, seed by seed: Markdown lines and whether every criterion is met. */
export interface CriteriaReport {
  readonly preset: string;
  readonly lines: readonly string[];
  readonly met: boolean;
}

/** Turns an incident lasted (to the end of the run when it never resolved). */
export const lengthOf = (incident: Incident, turns: number): number =>
  (incident.resolved ?? turns + 1) - incident.fired;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The cause of a firing with no shock in force: the market's own dynamics. */
export const NO_SHOCK = 'market dynamics (no shock)';

/** The shocks in force at a turn (or the shock that ended within `after` turns before it); NO_SHOCK when none. */
export function causeOf(shocks: readonly Shock[], turn: number, after = 20): string {
  const inForce = shocks.filter((s) => turn >= s.from && turn <= s.to + after).map((s) => s.shock);
  return inForce.length > 0 ? [...new Set(inForce)].join(' + ') : NO_SHOCK;
}

/** A warning that lasts this many turns or more is an incident, not a blip. */
export const INCIDENT_TURNS = 10;
const TREND_RULE = 'budget_trend_decreasing';
/** Turns of the credit freeze in which the budget trend must fire (920-1,000 on crisis). */
const FREEZE_TURNS = 80;

/** One seed's firings, measured. */
function measureSeed(incidents: readonly Incident[], turns: number, shocks: readonly Shock[]) {
  // A firing still on at the end has lasted at least to the end: too censored to call a blip.
  const resolved = incidents.filter((i) => i.resolved !== null).map((i) => lengthOf(i, turns));
  const lengths = incidents.map((i) => lengthOf(i, turns));
  const criticals = incidents.filter((i) => i.severity === 'critical').length;
  const trend = incidents.filter((i) => i.rule === TREND_RULE);
  const freeze = shocks.find((s) => s.shock === 'credit_freeze');
  return {
    firings: incidents.length,
    shortest: resolved.length > 0 ? Math.min(...resolved) : NaN,
    medianLength: median(lengths),
    criticalsPer10k: (criticals * 10_000) / turns,
    warningIncidents: incidents.filter((i) => i.severity === 'warning' && lengthOf(i, turns) >= INCIDENT_TURNS).length,
    trendOutsidePer1k: (trend.filter((i) => causeOf(shocks, i.fired) === NO_SHOCK).length * 1_000) / turns,
    trendInFreeze: freeze ? trend.some((i) => i.fired >= freeze.from && i.fired <= freeze.from + FREEZE_TURNS) : null,
  };
}

const mark = (text: string, pass: boolean) => (pass ? text : `${text} !`);

/**
 * Judges a preset's firings: on a preset without shocks (`default`), every seed has no firing
 * shorter than 2 turns, a median firing of at least 10, at most one critical per 10,000 turns
 * and at least one warning incident (a warning of 10 turns or more); on a preset with a credit
 * freeze (`crisis`), budget_trend_decreasing fires in its first 80 turns on 9 of 10 seeds. On
 * both, budget_trend_decreasing fires at most once per 1,000 turns outside shocks.
 */
export function judgeIncidents(
  preset: string,
  seeds: readonly number[],
  turns: number,
  incidents: readonly Incident[],
  shocks: readonly Shock[],
): CriteriaReport {
  const calm = shocks.length === 0;
  const freeze = shocks.find((s) => s.shock === 'credit_freeze');
  const lines = [
    `Criteria per seed (${turns.toLocaleString('en')} turns; "!" marks a miss):`,
    '',
    '| seed | firings | shortest resolved | median length | criticals per 10,000 turns | warning incidents (>= 10 turns) | budget trend outside shocks per 1,000 turns | budget trend in the freeze |',
    '|---|---|---|---|---|---|---|---|',
  ];
  let seedsMissing = 0;
  let freezeSeeds = 0;
  for (const seed of seeds) {
    const m = measureSeed(
      incidents.filter((i) => i.seed === seed),
      turns,
      shocks,
    );
    const ok = {
      shortest: !calm || !(m.shortest < 2),
      median: !calm || m.firings === 0 || m.medianLength >= INCIDENT_TURNS,
      criticals: !calm || m.criticalsPer10k <= 1,
      warnings: !calm || m.warningIncidents >= 1,
      trend: m.trendOutsidePer1k <= 1,
    };
    if (!Object.values(ok).every(Boolean)) seedsMissing += 1;
    if (m.trendInFreeze) freezeSeeds += 1;
    lines.push(
      `| ${seed} | ${m.firings} | ${mark(Number.isNaN(m.shortest) ? '-' : String(m.shortest), ok.shortest)} | ` +
        `${mark(Number.isNaN(m.medianLength) ? '-' : String(m.medianLength), ok.median)} | ${mark(m.criticalsPer10k.toFixed(1), ok.criticals)} | ` +
        `${mark(String(m.warningIncidents), ok.warnings)} | ${mark(m.trendOutsidePer1k.toFixed(2), ok.trend)} | ` +
        `${m.trendInFreeze === null ? '-' : m.trendInFreeze ? 'yes' : 'no'} |`,
    );
  }
  const freezeNeeded = Math.ceil(0.9 * seeds.length);
  const freezeMet = !freeze || freezeSeeds >= freezeNeeded;
  lines.push(
    '',
    (calm ? '' : 'With shocks, only the budget trend is judged (the other columns are for reading). ') +
      `${seeds.length - seedsMissing} of ${seeds.length} seeds meet every criterion of their row` +
      (freeze
        ? `; budget_trend_decreasing fires in turns ${freeze.from}-${freeze.from + FREEZE_TURNS} on ${freezeSeeds} of ${seeds.length} (${freezeNeeded} needed).`
        : '.'),
  );
  return { preset, lines, met: seedsMissing === 0 && freezeMet };
}
