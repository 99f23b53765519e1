/**
 * The services layer's front door: business figure services, window statistics, alerts and
 * the turn loop. Everything returned is plain readonly data; nothing here knows Fastify or
 * prom-client.
 */
export { ALERT_OPS, ALERT_STATS, DEFAULT_ALERT_RULES, SEVERITIES } from './alerts/alert-rules.js';
export type { AlertOp, AlertRule, AlertStat, Severity } from './alerts/alert-rules.js';
export { createAlertEngine } from './alerts/alert-engine.js';
export type { ActiveAlert, AlertEngine, AlertEvaluation, AlertEvent, AlertState } from './alerts/alert-engine.js';
export { BUDGET_ORDER_TURNS, COMPANY_STATES } from './domains/budget.js';
export type { BudgetFigures, CompanyState } from './domains/budget.js';
export type { CompanyFigures, TopCompany } from './domains/company.js';
export type { EventFigures, Impact } from './domains/event.js';
export { eventMagnitude } from './domains/event.js';
export type { MarketFigures } from './domains/market.js';
export type { PerformanceFigures, PerformanceWindow } from './domains/performance.js';
export type { PriceRange, ProductFigures, TopProduct } from './domains/product.js';
export type { SupplierFigures, TopSupplier } from './domains/supplier.js';
export type { TransactionFigures, TransactionWindow, TypeTrade } from './domains/transaction.js';
export { ServicesErrors } from './errors.js';
export { ENTITY_KINDS, ENTITY_PAGE_MAX, ENTITY_SORT_FIELDS } from './entities/entity-list.js';
export type { EntityKind, EntityPage, EntityQuery } from './entities/entity-list.js';
export { figureCatalogue } from './figure-catalogue.js';
export type { FigureEntry } from './figure-catalogue.js';
export { unitOf } from './figures/figure-units.js';
export { planFigures, readFigure, readFigureAt, round } from './figures/figures.js';
export type { FigurePlan } from './figures/figures.js';
export { createHistory } from './history/history.js';
export type { History } from './history/history.js';
export { createRingBuffer } from './history/ring-buffer.js';
export type { RingBuffer, RingReader } from './history/ring-buffer.js';
export { loadRunConfig, loadSavedRunConfig } from './load-run-config.js';
export { parseRunConfig, runRules } from './run-config.js';
export type { RunConfig } from './run-config.js';
export type { ServiceOptions, Thresholds } from './service-options.js';
export type { ServiceFigures, ServiceSet } from './service-set.js';
export { createTurnLoop, INTERVAL_MAX_MS } from './turn-loop.js';
export type {
  Clocks,
  LoopCheckpoint,
  LoopState,
  RunOptions,
  TurnLoop,
  TurnLoopOptions,
  Subscriber,
  RunControls,
  RunQueries,
} from './turn-loop.js';
export { SERVICE_NAMES } from './snapshot.js';
export { BURN_ALERTS, BURN_WINDOWS, DEFAULT_SLOS, minutesOf, turnsOf } from './slo/slo-schema.js';
export { FULFILMENT_BUCKETS } from './domains/orders.js';
export type { FulfilmentBucket, FulfilmentFigures, OrderFigures } from './domains/orders.js';
export type { BurnAlert, BurnWindow, Slo } from './slo/slo-schema.js';
export { sloRuleName } from './slo/slo-alert-rules.js';
export type { SloServiceFigures } from './slo/slo-service.js';
export type { FiringList, FiringRecord } from './alerts/firing-history.js';
export type { TurnSnapshot } from './snapshot.js';
export {
  coefficientOfVariation,
  count,
  gini,
  max,
  mean,
  median,
  min,
  p95,
  pearson,
  quantile,
  stdev,
  sum,
  summarize,
  trendSlope,
} from './history/statistics.js';
export type { Summary } from './history/statistics.js';
// Front doors list their exports alike (the same shape as simulation/index.ts's): deliberate.
export { createStatsCache } from './history/stats-cache.js';
export type { StatsCache } from './history/stats-cache.js';
export {
  createLiveShocks,
  LIVE_SHOCKS_MAX,
  liveStopsProblem,
  scenarioWithLiveShocks,
  timelineWith,
} from './live-shocks.js';
export type { LiveShockRecord, LiveShocks, ShockListing } from './live-shocks.js';
export { liveShockRecordProblem, liveShocksProblem } from './checkpoint-shape.js';
export { schemaProblemText } from './schema-problem.js';
