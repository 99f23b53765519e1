import { readFigureAt } from '../figures/figures.js';
import type { ServiceDefinition } from '../metrics-service.js';
import { EventCounts, type EventCountsState } from './event-counts.js';
import { BURN_ALERTS, BURN_WINDOWS, type BurnAlert, type BurnWindow, type Slo, turnsOf } from './slo-schema.js';

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

/**
 * The SLO service: reads each SLO's good and total figures from the services recorded before
 * it, keeps their running totals and computes the SLI, the error budget left and the burn
 * rates over the workbook's windows, in turns of the scenario's calendar (`turnMinutes`; one
 * minute a turn without a calendar).
 */
export function sloService(slos: readonly Slo[], turnMinutes = 1): ServiceDefinition<SloServiceFigures> {
  const longTurns = BURN_ALERTS.map((a) => turnsOf(a.long, turnMinutes));
  const setups = slos.map((slo) => {
    const burnTurns = BURN_WINDOWS.map((w) => turnsOf(w, turnMinutes));
    const windowTurns = turnsOf(slo.window, turnMinutes);
    return {
      slo,
      good: slo.good.split('.'),
      total: slo.total.split('.'),
      allowed: 1 - slo.objective,
      windowTurns,
      burnTurns,
      counts: new EventCounts(Math.max(windowTurns, ...burnTurns)),
    };
  });
  return {
    name: 'slo',
    saveState: () => setups.map((s) => s.counts.saveState()),
    loadState(state) {
      (state as EventCountsState[]).forEach((saved, i) => setups[i]?.counts.loadState(saved));
    },
    compute(_input, earlier) {
      const f = {
        objective: {} as Record<string, number>,
        good: {} as Record<string, number>,
        total: {} as Record<string, number>,
        goodTotal: {} as Record<string, number>,
        eventsTotal: {} as Record<string, number>,
        sli: {} as Record<string, number>,
        errorBudgetRemaining: {} as Record<string, number>,
        burnRate: {} as Record<string, Record<BurnWindow, number>>,
        alerts: {} as Record<string, Record<BurnAlert['key'], number>>,
        lowestBudgetRemaining: Number.NaN,
        fastestBurnRate1h: Number.NaN,
      };
      for (const s of setups) {
        const name = s.slo.name;
        const good = readFigureAt(earlier, s.good) ?? 0;
        const total = readFigureAt(earlier, s.total) ?? 0;
        const counts = s.counts;
        counts.add(good, total);
        const burnRate = {} as Record<BurnWindow, number>;
        for (let i = 0; i < BURN_WINDOWS.length; i++) {
          const turns = s.burnTurns[i]!;
          burnRate[BURN_WINDOWS[i]!] = errorRatio(counts.good(turns), counts.total(turns)) / s.allowed;
        }
        const alerts = {} as Record<BurnAlert['key'], number>;
        for (let i = 0; i < BURN_ALERTS.length; i++) {
          const a = BURN_ALERTS[i]!;
          // A long window not yet full of turns does not decide (PromQL: `and counter offset <long>`).
          const full = counts.recorded >= longTurns[i]!;
          alerts[a.key] = full && burnRate[a.long] > a.factor && burnRate[a.short] > a.factor ? 1 : 0;
        }
        const inWindow = counts.total(s.windowTurns);
        f.objective[name] = s.slo.objective;
        f.good[name] = good;
        f.total[name] = total;
        f.goodTotal[name] = counts.goodSoFar;
        f.eventsTotal[name] = counts.totalSoFar;
        f.sli[name] = inWindow === 0 ? Number.NaN : counts.good(s.windowTurns) / inWindow;
        f.errorBudgetRemaining[name] = 1 - errorRatio(counts.good(s.windowTurns), inWindow) / s.allowed;
        f.burnRate[name] = burnRate;
        f.alerts[name] = alerts;
        // A NaN (no events) never wins; the first number beats the NaN the fields start from.
        const budget = f.errorBudgetRemaining[name];
        if (!Number.isNaN(budget) && !(budget >= f.lowestBudgetRemaining)) f.lowestBudgetRemaining = budget;
        const burn = burnRate['1h'];
        if (!Number.isNaN(burn) && !(burn <= f.fastestBurnRate1h)) f.fastestBurnRate1h = burn;
      }
      return f;
    },
  };
}
