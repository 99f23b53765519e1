import type { EventType, FailureReason, ProductType } from './types.js';

/** One purchase attempt. Entity fields are indices into the world's lists; -1 when none was reached. */
export interface Transaction {
  readonly company: number;
  readonly supplier: number;
  readonly product: number;
  readonly quantity: number;
  /** Integer cents; 0 when no supplier was priced. */
  readonly unitPriceCents: number;
  /** quantity x unitPriceCents; 0 for a failed transaction. */
  readonly amountCents: number;
  readonly success: boolean;
  readonly reason: FailureReason | null;
  readonly intercontinental: boolean;
}

/** Purchases of one product type within a turn. */
export interface TypeVolume {
  readonly purchases: number;
  readonly quantity: number;
  readonly amountCents: number;
}

/** A turn's purchases summed up; always present, even when the transaction list is off. */
export interface TurnAggregates {
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  readonly failuresByReason: Readonly<Record<FailureReason, number>>;
  readonly amountCents: number;
  readonly quantity: number;
  /** Successful purchases whose supplier is on another continent than the buyer. */
  readonly intercontinental: number;
  readonly byProductType: Readonly<Record<ProductType, TypeVolume>>;
}

/** One entity an event touched and by how much (its unit depends on the event type). */
export interface EventTarget {
  readonly index: number;
  readonly value: number;
}

/**
 * An event applied in a turn. `total` is cents for budget_refill, units for restock and
 * supplier_refill, the sum of applied percents for inflation, and the number of products
 * changed for availability. `targets` lists each target only when the scenario keeps details.
 */
export interface AppliedEvent {
  readonly type: EventType;
  readonly targetCount: number;
  readonly total: number;
  readonly targets: readonly EventTarget[] | null;
}

/** Everything one turn did. Readonly and complete: the services need nothing else from the step. */
export interface TurnReport {
  readonly turn: number;
  /** Every attempt in order, or null when the scenario keeps aggregates only. */
  readonly transactions: readonly Transaction[] | null;
  readonly aggregates: TurnAggregates;
  readonly events: readonly AppliedEvent[];
}
