/** The three kinds of product, in a fixed order (their index is used in per-type arrays). */
export const PRODUCT_TYPES = ['raw_material', 'consumable', 'finished_good'] as const;
/** A kind of product. */
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** How a company chooses what and from whom to buy. */
export const STRATEGIES = ['cheapest', 'by_type'] as const;
/** A purchasing strategy. */
export type Strategy = (typeof STRATEGIES)[number];

/** Why a purchase attempt moved nothing. */
export const FAILURE_REASONS = ['no_supplier', 'out_of_stock', 'insufficient_budget', 'inactive_product'] as const;
/** A failed transaction's reason. */
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** The market events, in the order they are applied within a turn. */
export const EVENT_TYPES = [
  'budget_refill',
  'restock',
  'inflation',
  'availability',
  'supplier_refill',
  'supplier_outage',
] as const;
/** A market event's type. */
export type EventType = (typeof EVENT_TYPES)[number];

/** The continents companies and suppliers are based on. */
export const CONTINENTS = ['Europe', 'North America', 'South America', 'Asia', 'Africa', 'Oceania'] as const;
/** A continent. */
export type Continent = (typeof CONTINENTS)[number];
