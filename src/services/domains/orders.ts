import { fromCents } from '../figures/figures.js';
import type { TurnReport } from '../../simulation/index.js';

/**
 * Upper bounds of the fulfilment-time buckets, seconds, with their keys: an hour to a week, for
 * presets whose turn is an hour and whose buyers wait up to a day (`backorders.patienceTurns`).
 */
export const FULFILMENT_BUCKETS = Object.freeze([
  ['1h', 3_600],
  ['2h', 7_200],
  ['4h', 14_400],
  ['8h', 28_800],
  ['12h', 43_200],
  ['1d', 86_400],
  ['2d', 172_800],
  ['3d', 259_200],
  ['7d', 604_800],
] as const);
export type FulfilmentBucket = (typeof FULFILMENT_BUCKETS)[number][0];

/** How long the orders fulfilled in a turn waited, and the histogram of every wait since the start. */
export interface FulfilmentFigures {
  /** Backorders filled this turn, and the mean and longest of their waits, seconds (NaN when none). */
  readonly count: number;
  readonly meanSeconds: number;
  readonly maxSeconds: number;
  /** Backorders filled since the start, and the sum of their waits, seconds. */
  readonly countTotal: number;
  readonly sumSecondsTotal: number;
  /** Backorders filled since the start that waited at most each bound (cumulative, as Prometheus's `le`). */
  readonly buckets: Readonly<Record<FulfilmentBucket, number>>;
}

/** Orders that wait (backorders) and every order's outcome, for a turn. */
// Readonly figure fields, shaped like other small records (alert states, entity samples) by chance.
export interface OrderFigures {
  /** Backorders queued, filled, cancelled (patience, a buyer that cannot pay, an exit) and dropped (a full queue) this turn. */
  readonly placed: number;
  readonly filled: number;
  readonly cancelled: number;
  readonly dropped: number;
  /** The same since the start. */
  readonly placedTotal: number;
  readonly filledTotal: number;
  readonly cancelledTotal: number;
  readonly droppedTotal: number;
  readonly lateTotal: number;
  /** Orders served this turn: purchases that succeeded at once and backorders filled. */
  readonly served: number;
  /** Orders that ended this turn: served, cancelled or dropped. */
  readonly ended: number;
  /**
   * Orders decided on time this turn: purchases served at once and backorders filled before
   * turning late (`backorders.lateTurns`); and orders decided late: backorders that turned late
   * while waiting (counted that turn, whatever becomes of them), cancelled before turning late,
   * or dropped.
   */
  readonly onTime: number;
  readonly decided: number;
  /** Backorders that turned late this turn. */
  readonly late: number;
  /** served / ended; absent (NaN) when no order ended. */
  readonly fillRate: number;
  /** Units delivered to waiting orders this turn. */
  readonly deliveredUnits: number;
  /** Orders waiting after the turn, their units, and their value at the products' prices (currency units). */
  readonly backlogOrders: number;
  readonly backlogUnits: number;
  readonly backlogValue: number;
  /** How long the oldest waiting order has waited, seconds (0 when none waits). */
  readonly oldestAgeSeconds: number;
  readonly fulfilment: FulfilmentFigures;
}

/** The running totals of an order tally, for a checkpoint. */
export interface OrderTallyState {
  readonly totals: readonly number[];
  readonly buckets: readonly number[];
}

/**
 * Counts orders turn by turn. Waits are in simulated seconds: turns x `turnMinutes` x 60 (the
 * scenario's calendar; one minute a turn without one, as the SLOs count).
 */
export function createOrderTally(turnMinutes = 1): {
  record(report: TurnReport): OrderFigures;
  saveState(): OrderTallyState;
  loadState(state: OrderTallyState): void;
} {
  const turnSeconds = turnMinutes * 60;
  // placed, filled, cancelled, dropped, filled count, sum of waits (seconds), late.
  const totals = [0, 0, 0, 0, 0, 0, 0];
  const buckets = new Float64Array(FULFILMENT_BUCKETS.length);
  return {
    saveState: () => ({ totals: [...totals], buckets: [...buckets] }),
    loadState(state) {
      state.totals.forEach((v, i) => (totals[i] = v));
      buckets.set(state.buckets.slice(0, buckets.length));
    },
    record(report) {
      const b = report.backorders;
      const successes = report.aggregates.successes;
      totals[0]! += b.placed;
      totals[1]! += b.filled;
      totals[2]! += b.cancelled;
      totals[3]! += b.dropped;
      totals[6]! += b.late;
      let sum = 0;
      let max = Number.NaN;
      for (const turns of b.waits) {
        const seconds = turns * turnSeconds;
        sum += seconds;
        if (!(seconds <= max)) max = seconds;
        for (let i = FULFILMENT_BUCKETS.length - 1; i >= 0 && seconds <= FULFILMENT_BUCKETS[i]![1]; i--) {
          buckets[i]! += 1;
        }
      }
      totals[4]! += b.filled;
      totals[5]! += sum;
      const served = successes + b.filled;
      const ended = served + b.cancelled + b.dropped;
      return {
        placed: b.placed,
        filled: b.filled,
        cancelled: b.cancelled,
        dropped: b.dropped,
        placedTotal: totals[0]!,
        filledTotal: totals[1]!,
        cancelledTotal: totals[2]!,
        droppedTotal: totals[3]!,
        lateTotal: totals[6]!,
        served,
        ended,
        onTime: successes + b.filledOnTime,
        decided: successes + b.filledOnTime + b.late + b.cancelledEarly + b.dropped,
        late: b.late,
        fillRate: ended === 0 ? Number.NaN : served / ended,
        deliveredUnits: b.deliveredUnits,
        backlogOrders: b.openOrders,
        backlogUnits: b.openUnits,
        backlogValue: fromCents(b.openValueCents),
        oldestAgeSeconds: b.oldestAgeTurns * turnSeconds,
        fulfilment: {
          count: b.filled,
          meanSeconds: b.filled === 0 ? Number.NaN : sum / b.filled,
          maxSeconds: max,
          countTotal: totals[4]!,
          sumSecondsTotal: totals[5]!,
          buckets: Object.fromEntries(FULFILMENT_BUCKETS.map(([key], i) => [key, buckets[i]!])) as Record<
            FulfilmentBucket,
            number
          >,
        },
      };
    },
  };
}
