import { figureReader, recordFrom } from '../figures/figures.js';
import type { ServiceDefinition } from '../figure-service.js';
import { EventCounts, type EventCountsState } from './event-counts.js';
import { BURN_ALERTS, BURN_WINDOWS, type BurnAlert, type BurnWindow, type Slo, turnsOf } from './slo-schema.js';
import { isRecord } from '../checkpoint-shape.js';

/**
 * The SLOs' figures for a turn, each a record by SLO name. Ratios over a window without
 * events are NaN (absent: null in the JSONL, NaN on /metrics, as PromQL's 0 / 0).
 */
export interface SloServiceFigures {
  readonly objective: Readonly<Record<string, number>>;
  /** This turn's good and all events. */
  readonly good: Readonly<Record<string, number>>;
  readonly total: Readonly<Record<string, number>>;
  /** Since the start (the counters Prometheus takes `increase` of). */
  readonly goodTotal: Readonly<Record<string, number>>;
  readonly eventsTotal: Readonly<Record<string, number>>;
  /** Good / all events over the SLO window. */
  readonly sli: Readonly<Record<string, number>>;
  /** 1 - errors / errors allowed over the SLO window: 1 untouched, 0 spent, below 0 overspent. */
  readonly errorBudgetRemaining: Readonly<Record<string, number>>;
  /** (1 - good / all) / (1 - objective) over each window: 1 spends the budget in exactly the SLO window. */
  readonly burnRate: Readonly<Record<string, Readonly<Record<BurnWindow, number>>>>;
  /** 1 while the long window is full of turns and both windows burn faster than the factor, else 0. */
  readonly alerts: Readonly<Record<string, Readonly<Record<BurnAlert['key'], number>>>>;
  /** The least error budget left of the SLOs, and the fastest 1 h burn (NaN when none has events): fixed names for charts. */
  readonly lowestBudgetRemaining: number;
  readonly fastestBurnRate1h: number;
}

/** The error ratio of good out of total events, as PromQL computes it: 1 - good / total (NaN without events). */
export const errorRatio = (good: number, total: number): number => (total === 0 ? Number.NaN : 1 - good / total);

// Each alert's windows as indices into BURN_WINDOWS, and its keys, kept for the run.
const LONG_INDEX = BURN_ALERTS.map((a) => BURN_WINDOWS.indexOf(a.long));
const SHORT_INDEX = BURN_ALERTS.map((a) => BURN_WINDOWS.indexOf(a.short));
const ALERT_KEYS = BURN_ALERTS.map((a) => a.key);

/** What the service keeps for one SLO: its readers, its windows in turns, its event counts and this turn's rates. */
function sloState(slo: Slo, turnMinutes: number) {
  const burnTurns = BURN_WINDOWS.map((w) => turnsOf(w, turnMinutes));
  const windowTurns = turnsOf(slo.window, turnMinutes);
  return {
    good: figureReader(slo.good.split('.')),
    total: figureReader(slo.total.split('.')),
    allowed: 1 - slo.objective,
    windowTurns,
    burnTurns,
    longTurns: BURN_ALERTS.map((a) => turnsOf(a.long, turnMinutes)),
    counts: new EventCounts(Math.max(windowTurns, ...burnTurns)),
    // This turn's burn rates and alert values; the last alerts record, handed over again
    // while its values hold (figures are never changed once returned).
    burn: new Float64Array(BURN_WINDOWS.length),
    alertValues: new Float64Array(BURN_ALERTS.length),
    alerts: undefined as Readonly<Record<BurnAlert['key'], number>> | undefined,
  };
}
type SloState = ReturnType<typeof sloState>;

/** One SLO's part of a checkpoint: what it counted, and its counts. */
interface SavedSlo {
  readonly name: string;
  readonly good: string;
  readonly total: string;
  readonly counts: EventCountsState;
}

/** Each SLO's part of a checkpoint: what it counts, and its counts. */
function saveSlos(slos: readonly Slo[], setups: readonly SloState[]): SavedSlo[] {
  return slos.map((slo, i) => ({
    name: slo.name,
    good: slo.good,
    total: slo.total,
    counts: setups[i]!.counts.saveState(),
  }));
}

/**
 * Gives each SLO the counts saved under its name when it counts the same figures (a fork may
 * add, drop, reorder or redefine SLOs); any other starts with none.
 */
function loadSlos(slos: readonly Slo[], setups: readonly SloState[], saved: readonly SavedSlo[]): void {
  slos.forEach((slo, i) => {
    const same = saved.find((o) => o.name === slo.name && o.good === slo.good && o.total === slo.total);
    if (same) setups[i]!.counts.loadState(same.counts);
  });
}

/**
 * A saved SLO state, with the names and figures a checkpoint written before they were saved
 * lacks: its counts are in SLO order, the order of the run that wrote it, which a resume
 * shares; each is given the SLO at its place now (a fork that changed the SLOs of such a
 * checkpoint cannot be told apart), and one past the SLOs now a name none has.
 */
function withSloNames(state: unknown, slos: readonly Slo[]): unknown {
  if (!Array.isArray(state) || !state.every((o) => isRecord(o) && !('counts' in o))) return state;
  return (state as unknown[]).map((counts: unknown, i) => {
    const slo = slos[i];
    return slo
      ? { name: slo.name, good: slo.good, total: slo.total, counts }
      : { name: '', good: '', total: '', counts };
  });
}

/** Counts one turn's events of an SLO and sets its burn rates and alert values. */
function advance(s: SloState, good: number, total: number): void {
  const counts = s.counts;
  counts.add(good, total);
  for (let i = 0; i < BURN_WINDOWS.length; i++) {
    const turns = s.burnTurns[i]!;
    s.burn[i] = errorRatio(counts.good(turns), counts.total(turns)) / s.allowed;
  }
  let changed = s.alerts === undefined;
  for (let i = 0; i < BURN_ALERTS.length; i++) {
    // A long window not yet full of turns does not decide (PromQL: `and counter offset <long>`).
    const full = counts.recorded >= s.longTurns[i]!;
    const factor = BURN_ALERTS[i]!.factor;
    const firing = full && s.burn[LONG_INDEX[i]!]! > factor && s.burn[SHORT_INDEX[i]!]! > factor ? 1 : 0;
    if (s.alertValues[i] !== firing) changed = true;
    s.alertValues[i] = firing;
  }
  if (changed) s.alerts = Object.freeze(recordFrom(ALERT_KEYS, s.alertValues));
}

/**
 * The SLO service: reads each SLO's good and total figures from the services recorded before
 * it, keeps their running totals and computes the SLI, the error budget left and the burn
 * rates over the workbook's windows, in turns of the scenario's calendar (`turnMinutes`; one
 * minute a turn without a calendar).
 */
export function sloService(slos: readonly Slo[], turnMinutes = 1): ServiceDefinition<SloServiceFigures> {
  const names = slos.map((slo) => slo.name);
  const setups = slos.map((slo) => sloState(slo, turnMinutes));
  // The objectives never change: one record for the run.
  const objective = Object.freeze(
    recordFrom(
      names,
      slos.map((slo) => slo.objective),
    ),
  );
  // This turn's figures of each SLO, in SLO order, before they are made into records by name.
  const column = () => new Float64Array(setups.length);
  const turn = {
    good: column(),
    total: column(),
    goodTotal: column(),
    eventsTotal: column(),
    sli: column(),
    budget: column(),
    burnRate: [] as Readonly<Record<BurnWindow, number>>[],
    alerts: [] as Readonly<Record<BurnAlert['key'], number>>[],
  };
  const byName = (values: Float64Array) => recordFrom(names, values);
  // Records by name get a key list of their own: their literal's members hold objects, not numbers.
  const recordNames = [...names];
  const recordsByName = <T>(values: readonly T[]) => recordFrom(recordNames, values);
  return {
    name: 'slo',
    saveState: (): SavedSlo[] => saveSlos(slos, setups),
    loadState: (state) => loadSlos(slos, setups, state as SavedSlo[]),
    withAddedState: (state) => withSloNames(state, slos),
    compute(_input, earlier) {
      let lowestBudgetRemaining = Number.NaN;
      let fastestBurnRate1h = Number.NaN;
      for (let j = 0; j < setups.length; j++) {
        const s = setups[j]!;
        // Events are counts: none below 0, and no more good events than events (an SLO whose
        // good figure is not a part of its total would read a budget above 1 otherwise).
        const total = Math.max(0, s.total(earlier) ?? 0);
        const good = Math.min(total, Math.max(0, s.good(earlier) ?? 0));
        advance(s, good, total);
        const counts = s.counts;
        const burnRate = recordFrom(BURN_WINDOWS, s.burn);
        const inWindow = counts.total(s.windowTurns);
        const goodInWindow = counts.good(s.windowTurns);
        const budget = 1 - errorRatio(goodInWindow, inWindow) / s.allowed;
        turn.good[j] = good;
        turn.total[j] = total;
        turn.goodTotal[j] = counts.goodSoFar;
        turn.eventsTotal[j] = counts.totalSoFar;
        turn.sli[j] = inWindow === 0 ? Number.NaN : goodInWindow / inWindow;
        turn.budget[j] = budget;
        turn.burnRate[j] = burnRate;
        turn.alerts[j] = s.alerts!;
        // A NaN (no events) never wins; the first number beats the NaN the fields start from.
        if (!Number.isNaN(budget) && !(budget >= lowestBudgetRemaining)) lowestBudgetRemaining = budget;
        const burn = burnRate['1h'];
        if (!Number.isNaN(burn) && !(burn <= fastestBurnRate1h)) fastestBurnRate1h = burn;
      }
      return {
        objective,
        good: byName(turn.good),
        total: byName(turn.total),
        goodTotal: byName(turn.goodTotal),
        eventsTotal: byName(turn.eventsTotal),
        sli: byName(turn.sli),
        errorBudgetRemaining: byName(turn.budget),
        burnRate: recordsByName(turn.burnRate),
        alerts: recordsByName(turn.alerts),
        lowestBudgetRemaining,
        fastestBurnRate1h,
      };
    },
  };
}
