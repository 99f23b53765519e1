import { type AppliedEvent, EVENT_TYPES, type EventType } from '../../simulation/index.js';
import { fromCents, recordOf } from '../figures/figures.js';
import type { ServiceDefinition } from '../figure-service.js';
import type { BudgetFigures } from './budget.js';
import type { ProductFigures } from './product.js';
import type { SupplierFigures } from './supplier.js';
import { isRecord } from '../checkpoint-shape.js';

/** A figure just before and just after the last event of one type. */
export interface Impact {
  readonly before: number;
  readonly after: number;
}

/** Event figures for one turn. */
// A record of per-key maps, as the SLO service's figures are: figures are data, one shape.
export interface EventFigures {
  /** 1 for each type that fired this turn. */
  readonly thisTurn: Readonly<Record<EventType, number>>;
  /** Occurrences since the start. */
  readonly counts: Readonly<Record<EventType, number>>;
  /** Turn of the last occurrence; absent (NaN) until the first, as lastMagnitude and impact. */
  readonly lastTurn: Readonly<Record<EventType, number>>;
  /**
   * Size of the last occurrence (eventMagnitude): currency units for budget_refill, units for
   * restock and supplier_refill, the mean percent applied for inflation, products changed for
   * availability, the outage's turns for supplier_outage.
   */
  readonly lastMagnitude: Readonly<Record<EventType, number>>;
  /**
   * Impact of the last occurrence: total budget for budget_refill, total stock for restock and
   * supplier_refill, the price index for inflation (before = end of the previous turn), active
   * products for availability (before = end of the previous turn), total supplier stock at its
   * start for supplier_outage.
   */
  readonly impact: Readonly<Record<EventType, Impact>>;
}

const byType = <T>(make: (t: EventType) => T): Record<EventType, T> => recordOf(EVENT_TYPES, make);

/**
 * An event's size, as lastMagnitude and the event log give it: currency units for
 * budget_refill, the mean percent applied for inflation (absent, NaN, with no product
 * touched), else its total (units, products changed, the outage's turns).
 */
export function eventMagnitude(event: AppliedEvent): number {
  if (event.type === 'budget_refill') return fromCents(event.total);
  if (event.type === 'inflation') return event.targetCount === 0 ? Number.NaN : event.total / event.targetCount;
  return event.total;
}

const noneThisTurn: Readonly<Record<EventType, number>> = Object.freeze(byType(() => 0));

/** The running records of the last event of each type. */
interface EventRecords {
  readonly counts: Record<EventType, number>;
  readonly lastTurn: Record<EventType, number>;
  readonly lastMagnitude: Record<EventType, number>;
  readonly impact: Record<EventType, Impact>;
}

/** What saveState writes and loadState reads. */
type SavedEventState = EventRecords & { previousPriceIndex: number; previousActive: number; quiet: boolean };

/**
 * A saved event state with the types newer than it (supplier_outage) added as never
 * occurred; anything else is left as it is, for the checkpoint's check to name.
 */
function withAddedEventTypes(state: unknown): unknown {
  if (!isRecord(state)) return state;
  const counts = isRecord(state.counts) ? state.counts : {};
  // A type that never occurred has no last turn, size or impact: a state saved while those
  // read 0 for it is given them absent, as a run that never stopped has them.
  const fill = (saved: unknown, none: () => unknown): unknown =>
    isRecord(saved)
      ? {
          ...recordOf(EVENT_TYPES, none),
          ...saved,
          ...recordOf(
            EVENT_TYPES.filter((t) => !counts[t]),
            none,
          ),
        }
      : saved;
  return {
    ...state,
    counts: isRecord(state.counts) ? { ...recordOf(EVENT_TYPES, () => 0), ...state.counts } : state.counts,
    lastTurn: fill(state.lastTurn, () => Number.NaN),
    lastMagnitude: fill(state.lastMagnitude, () => Number.NaN),
    impact: fill(state.impact, () => ({ before: Number.NaN, after: Number.NaN })),
  };
}

/**
 * Records a turn's events into `records`; returns 1 for each type that fired. `before` holds
 * the figures at the end of the previous turn (budget and stock as of the end of this one:
 * additive events are undone from the end state, last applied first, to find "before").
 */
function recordEvents(
  records: EventRecords,
  events: readonly AppliedEvent[],
  turn: number,
  before: { readonly budget: number; readonly stock: number; readonly priceIndex: number; readonly active: number },
  product: ProductFigures,
): Record<EventType, number> {
  const { counts, lastTurn, lastMagnitude, impact } = records;
  const thisTurn = byType(() => 0);
  let budgetAfter = before.budget;
  let stockAfter = before.stock;
  for (const event of [...events].reverse()) {
    const t = event.type;
    thisTurn[t] = 1;
    counts[t] += 1;
    lastTurn[t] = turn;
    lastMagnitude[t] = eventMagnitude(event);
    if (t === 'budget_refill') {
      impact[t] = { before: budgetAfter - fromCents(event.total), after: budgetAfter };
      budgetAfter -= fromCents(event.total);
    } else if (t === 'restock' || t === 'supplier_refill') {
      impact[t] = { before: stockAfter - event.total, after: stockAfter };
      stockAfter -= event.total;
    } else if (t === 'supplier_outage') {
      // An outage moves no goods when it starts: the stock it will run down, as of its start.
      impact[t] = { before: stockAfter, after: stockAfter };
    } else if (t === 'inflation') {
      // With every product withdrawn no index is measured (NaN): the last one measured stands.
      const after = Number.isFinite(product.priceIndex) ? product.priceIndex : before.priceIndex;
      impact[t] = { before: before.priceIndex, after };
    } else {
      impact[t] = { before: before.active, after: product.active };
    }
  }
  return thisTurn;
}

/** The event service: what fired, how often, how hard, and what it moved. */
export function eventService(): ServiceDefinition<EventFigures> {
  const counts = byType(() => 0);
  // Absent (NaN) until a type first occurs: no made-up turn 0 or size 0. A saved state checks
  // its numbers against these, so NaN here also lets a checkpoint hold an absent size.
  const lastTurn = byType(() => Number.NaN);
  const lastMagnitude = byType(() => Number.NaN);
  const impact: Record<EventType, Impact> = byType(() => ({ before: Number.NaN, after: Number.NaN }));
  let previousPriceIndex = 100;
  let previousActive = 0;
  // The figures of a turn without events, as of the last event.
  let quiet: EventFigures | undefined;
  // The figures of a turn with no event, from the running records. Every record here is made
  // by byType, in one key order, never by a spread: they share one hidden class, so reading
  // them into history stays a plain property read (spread copies took new classes as their
  // values changed kind, and the reads of these figures went megamorphic).
  const quietFigures = (): EventFigures =>
    Object.freeze({
      thisTurn: noneThisTurn,
      counts: Object.freeze(byType((t) => counts[t])),
      lastTurn: Object.freeze(byType((t) => lastTurn[t])),
      lastMagnitude: Object.freeze(byType((t) => lastMagnitude[t])),
      impact: Object.freeze(byType((t) => impact[t])),
    });
  return {
    name: 'event',
    saveState: () => ({
      counts: { ...counts },
      lastTurn: { ...lastTurn },
      lastMagnitude: { ...lastMagnitude },
      impact: { ...impact },
      previousPriceIndex,
      previousActive,
      quiet: quiet !== undefined,
    }),
    loadState(state) {
      const saved = state as SavedEventState;
      for (const t of EVENT_TYPES) {
        counts[t] = saved.counts[t];
        lastTurn[t] = saved.lastTurn[t];
        lastMagnitude[t] = saved.lastMagnitude[t];
        impact[t] = saved.impact[t];
      }
      ({ previousPriceIndex, previousActive } = saved);
      quiet = saved.quiet ? quietFigures() : undefined;
    },
    withAddedState: withAddedEventTypes,
    compute({ report }, earlier) {
      const budget = earlier.budget as BudgetFigures;
      const product = earlier.product as ProductFigures;
      const supplier = earlier.supplier as SupplierFigures;
      if (report.turn === 1) previousActive = product.count;
      const priceIndexBefore = previousPriceIndex;
      const activeBefore = previousActive;
      // The last index measured: none is while no product is listed (see the product service).
      if (Number.isFinite(product.priceIndex)) previousPriceIndex = product.priceIndex;
      previousActive = product.active;
      // Most turns fire no event: they share one figures object, which only an event changes.
      if (report.events.length === 0 && quiet) return quiet;
      const thisTurn = recordEvents(
        { counts, lastTurn, lastMagnitude, impact },
        report.events,
        report.turn,
        { budget: budget.total, stock: supplier.totalStock, priceIndex: priceIndexBefore, active: activeBefore },
        product,
      );
      const since = (quiet = quietFigures());
      return {
        thisTurn: Object.freeze(thisTurn),
        counts: since.counts,
        lastTurn: since.lastTurn,
        lastMagnitude: since.lastMagnitude,
        impact: since.impact,
      };
    },
  };
}
