import {
  FAILURE_REASONS,
  type FailureReason,
  PRODUCT_TYPES,
  type ProductType,
  type TypeVolume,
} from '../../simulation/index.js';
import { fromCents, recordOf } from '../figures/figures.js';
import { defineLazyFigures } from '../figures/lazy-figures.js';
import type { ServiceDefinition } from '../figure-service.js';
import type { BudgetFigures } from './budget.js';

/** Purchases of one product type; money in currency units. */
export interface TypeTrade {
  readonly purchases: number;
  readonly quantity: number;
  readonly amount: number;
}

/** Transaction figures for one turn; money in currency units. */
export interface TransactionFigures {
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  readonly failuresByReason: Readonly<Record<FailureReason, number>>;
  /** successes / attempts; 0 for a turn without attempts. */
  readonly successRate: number;
  /** failures / attempts; 0 for a turn without attempts. */
  readonly failureRate: number;
  readonly amount: number;
  readonly quantity: number;
  /** Per successful purchase; absent (NaN) without one. */
  readonly meanAmount: number;
  readonly meanQuantity: number;
  readonly intercontinental: number;
  /** Intercontinental share of successful purchases; absent (NaN) without one. */
  readonly intercontinentalShare: number;
  readonly byType: Readonly<Record<ProductType, TypeTrade>>;
  /** Since the start. */
  readonly totals: {
    readonly attempts: number;
    readonly successes: number;
    readonly failuresByReason: Readonly<Record<FailureReason, number>>;
    readonly amount: number;
    readonly quantity: number;
  };
  /** The companies' total budget at the end of this turn (kept to correlate with volume). */
  readonly budgetTotal: number;
  /** Statistics over the window (computed on read). */
  readonly window: TransactionWindow;
}

/** Figures of the transaction window. */
export interface TransactionWindow {
  readonly amountMean: number;
  readonly amountP95: number;
  readonly amountStdev: number;
  readonly quantityMean: number;
  readonly quantityP95: number;
  readonly successRateMean: number;
  /** Pearson correlation of total budget and amount traded per turn over the window. */
  readonly budgetVolumeCorrelation: number;
}

/** A ratio with nothing to measure is absent (NaN: null in the JSONL, no sample on /metrics), never a made-up 0 or 1. */
const ratio = (part: number, whole: number): number => (whole === 0 ? Number.NaN : part / whole);

const makeTransactionFigures = defineLazyFigures(['window']);

/** The transaction service: outcomes, failure reasons, volumes and their window statistics. */
export function transactionService(statsWindow: number): ServiceDefinition<TransactionFigures> {
  const totals = { attempts: 0, successes: 0, amountCents: 0, quantity: 0 };
  const failuresTotal = recordOf(FAILURE_REASONS, () => 0);
  let failuresTotalCopy: Readonly<Record<FailureReason, number>> | undefined;
  return {
    name: 'transaction',
    saveState: () => ({ totals: { ...totals }, failuresTotal: { ...failuresTotal } }),
    loadState(state) {
      const saved = state as { totals: typeof totals; failuresTotal: typeof failuresTotal };
      Object.assign(totals, saved.totals);
      Object.assign(failuresTotal, saved.failuresTotal);
      failuresTotalCopy = Object.freeze({ ...failuresTotal });
    },
    compute({ report }, earlier, window) {
      const a = report.aggregates;
      totals.attempts += a.attempts;
      totals.successes += a.successes;
      totals.amountCents += a.amountCents;
      totals.quantity += a.quantity;
      // The totals' copy in the figures is shared from turn to turn until a failure changes it.
      if (a.failures > 0 || !failuresTotalCopy) {
        for (const reason of FAILURE_REASONS) failuresTotal[reason] += a.failuresByReason[reason];
        failuresTotalCopy = Object.freeze({ ...failuresTotal });
      }
      const trade = (v: TypeVolume): TypeTrade => ({
        purchases: v.purchases,
        quantity: v.quantity,
        amount: fromCents(v.amountCents),
      });
      const budget = earlier.budget as BudgetFigures | undefined;
      const windowFigures = (): TransactionWindow => {
        const amount = window.summary('amount', statsWindow);
        const quantity = window.summary('quantity', statsWindow);
        return {
          amountMean: amount.mean,
          amountP95: amount.p95,
          amountStdev: amount.stdev,
          quantityMean: quantity.mean,
          quantityP95: quantity.p95,
          successRateMean: window.summary('successRate', statsWindow).mean,
          budgetVolumeCorrelation: window.correlation('budgetTotal', 'amount', statsWindow),
        };
      };
      return makeTransactionFigures(
        {
          attempts: a.attempts,
          successes: a.successes,
          failures: a.failures,
          failuresByReason: recordOf(FAILURE_REASONS, (r) => a.failuresByReason[r]),
          successRate: ratio(a.successes, a.attempts),
          failureRate: ratio(a.failures, a.attempts),
          amount: fromCents(a.amountCents),
          quantity: a.quantity,
          meanAmount: fromCents(ratio(a.amountCents, a.successes)),
          meanQuantity: ratio(a.quantity, a.successes),
          intercontinental: a.intercontinental,
          intercontinentalShare: ratio(a.intercontinental, a.successes),
          byType: recordOf(PRODUCT_TYPES, (t) => trade(a.byProductType[t])),
          totals: {
            attempts: totals.attempts,
            successes: totals.successes,
            failuresByReason: failuresTotalCopy,
            amount: fromCents(totals.amountCents),
            quantity: totals.quantity,
          },
          budgetTotal: budget?.total ?? 0,
        },
        { window: windowFigures },
      );
    },
  };
}
