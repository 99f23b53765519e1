import { CONTINENTS, EVENT_TYPES, FAILURE_REASONS, PRODUCT_TYPES, STRATEGIES } from '../simulation/index.js';
import { COMPANY_STATES } from './domains/budget.js';
import { FULFILMENT_BUCKETS } from './domains/orders.js';
import { BURN_ALERTS, BURN_WINDOWS, DEFAULT_SLOS } from './slo/slo-schema.js';

/** A figure's name and whether its values are kept in history (lazy ones are not). */
export interface FigureEntry {
  readonly name: string;
  readonly historized: boolean;
}

/** The fixed lists a `{placeholder}` of a figure name stands for: every member, one name each. */
const LISTS: Readonly<Record<string, readonly string[]>> = {
  state: COMPANY_STATES,
  continent: CONTINENTS,
  strategy: STRATEGIES,
  type: PRODUCT_TYPES,
  reason: FAILURE_REASONS,
  event: EVENT_TYPES,
  bucket: FULFILMENT_BUCKETS.map(([key]) => key),
  slo: DEFAULT_SLOS.map((slo) => slo.name),
  window: BURN_WINDOWS,
  burnAlert: BURN_ALERTS.map((alert) => alert.key),
  phase: ['prices', 'purchases', 'market', 'events', 'services'],
};

/** The backorders' figures, under `market.orders`. */
const ORDERS = [
  ...['placed', 'placedTotal', 'served', 'decided', 'ended', 'filled', 'filledTotal', 'fillRate'],
  ...['cancelled', 'cancelledTotal', 'dropped', 'droppedTotal', 'late', 'lateTotal', 'onTime'],
  ...['backlogOrders', 'backlogUnits', 'backlogValue', 'deliveredUnits', 'oldestAgeSeconds'],
  ...['count', 'countTotal', 'meanSeconds', 'maxSeconds', 'sumSecondsTotal', 'buckets.{bucket}'].map(
    (name) => `fulfilment.${name}`,
  ),
];

/** The figures each service keeps in history, by name under the service. */
const HISTORIZED: Readonly<Record<string, readonly string[]>> = {
  budget: [
    'companiesByState.{state}',
    ...['total', 'mean', 'min', 'max', 'initialTotal', 'evolution', 'evolutionPercent', 'solvent'],
    ...['refills.count', 'refills.amount'],
  ],
  company: [
    ...['count', 'buyersThisTurn', 'byContinent.{continent}', 'byStrategy.{strategy}'],
    ...['purchasesPerCompany.mean', 'purchasesPerCompany.min', 'purchasesPerCompany.max'],
  ],
  product: [
    ...['count', 'active', 'inactive', 'activeByType.{type}', 'inflated', 'declining', 'priceIndex'],
    ...['price.mean', 'price.min', 'price.max', 'unitsSoldTotal'],
    ...['priceByType.{type}.mean', 'priceByType.{type}.min', 'priceByType.{type}.max'],
  ],
  supplier: [
    ...['count', 'totalStock', 'stockByType.{type}', 'outOfStockOffers', 'outOfStockProducts'],
    ...['suppliersWithStock', 'unitsSold', 'unitsSoldTotal'],
  ],
  transaction: [
    ...['attempts', 'successes', 'failures', 'failuresByReason.{reason}', 'successRate', 'failureRate'],
    ...['amount', 'quantity', 'meanAmount', 'meanQuantity', 'intercontinental', 'intercontinentalShare'],
    ...['byType.{type}.purchases', 'byType.{type}.quantity', 'byType.{type}.amount', 'budgetTotal'],
    ...['totals.attempts', 'totals.successes', 'totals.failuresByReason.{reason}'],
    ...['totals.amount', 'totals.quantity'],
  ],
  event: [
    ...['counts.{event}', 'thisTurn.{event}', 'lastTurn.{event}', 'lastMagnitude.{event}'],
    ...['impact.{event}.before', 'impact.{event}.after'],
  ],
  market: [
    ...['activeCompanies', 'consumedUnits', 'consumedUnitsTotal', 'demandIndex', 'entries', 'entriesTotal'],
    ...['exits', 'exitsTotal', 'fillRate', 'householdMoney', 'inTransit', 'ordered', 'paidPriceIndex'],
    ...['revenue', 'revenueTotal', 'shocksInForce', 'simulatedTime', 'supplyCover', 'supplyCoverTarget', 'unitsAsked'],
    ...ORDERS.map((name) => `orders.${name}`),
  ],
  slo: [
    ...['objective', 'good', 'total', 'goodTotal', 'eventsTotal', 'sli', 'errorBudgetRemaining'].map(
      (n) => `${n}.{slo}`,
    ),
    ...['burnRate.{slo}.{window}', 'alerts.{slo}.{burnAlert}', 'fastestBurnRate1h', 'lowestBudgetRemaining'],
  ],
  performance: [
    ...['turnSeconds', 'phaseSeconds.{phase}', 'clockSeconds', 'attempts', 'subscriberErrors'],
    ...['cacheHits', 'cacheMisses', 'cacheHitRatio'],
  ],
};

/** The figures computed only when read (a sort or a window scan), so not kept in history. */
const LAZY: Readonly<Record<string, readonly string[]>> = {
  budget: ['gini', 'median'],
  product: ['volatility'],
  transaction: [
    ...['amountMean', 'amountP95', 'amountStdev', 'budgetVolumeCorrelation'],
    ...['quantityMean', 'quantityP95', 'successRateMean'],
  ].map((name) => `window.${name}`),
  performance: ['transactionsPerSecond', 'turnSecondsMean', 'turnSecondsP95', 'turnsPerSecond'].map(
    (name) => `window.${name}`,
  ),
};

/** Every name a pattern stands for: each `{list}` replaced by each member of that list. */
function expand(pattern: string): string[] {
  const match = /\{(\w+)\}/.exec(pattern);
  if (!match) return [pattern];
  const list = LISTS[match[1]!]!;
  return list.flatMap((member) => expand(pattern.replace(match[0], member)));
}

function entries(byService: Readonly<Record<string, readonly string[]>>, historized: boolean): FigureEntry[] {
  return Object.entries(byService).flatMap(([service, patterns]) =>
    patterns.flatMap(expand).map((name) => ({ name: `${service}.${name}`, historized })),
  );
}

const CATALOGUE: ReadonlyMap<string, FigureEntry> = new Map(
  [...entries(HISTORIZED, true), ...entries(LAZY, false)]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => [entry.name, Object.freeze(entry)]),
);

/**
 * Every figure the services produce, by dotted name, declared here rather than learnt from
 * a run: names depend only on fixed lists (product types, continents, reasons, event types,
 * the default SLOs), never on the world. `test/services/figure-catalogue.test.ts` records
 * real turns and fails when a service's figures and this list differ.
 */
export function figureCatalogue(): ReadonlyMap<string, FigureEntry> {
  return CATALOGUE;
}
