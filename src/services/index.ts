/**
 * The services layer's front door: business metrics services, window statistics, alerts and
 * the turn loop. Everything returned is plain readonly data; nothing here knows Fastify or
 * prom-client.
 */
export { ALERT_OPS, ALERT_STATS, DEFAULT_ALERT_RULES, SEVERITIES } from './alert-rules.js';
export type { AlertOp, AlertRule, AlertStat, Severity } from './alert-rules.js';
export { createAlertEngine } from './alerts.js';
export type { ActiveAlert, AlertEngine, AlertEvaluation, AlertEvent, AlertState } from './alerts.js';
export { BUDGET_ORDER_TURNS, COMPANY_STATES } from './domains/budget.js';
export type { BudgetFigures, BudgetThresholds, CompanyState } from './domains/budget.js';
export type { CompanyFigures, TopCompany } from './domains/company.js';
export type { EventFigures, Impact } from './domains/event.js';
export type { PerformanceFigures, PerformanceWindow } from './domains/performance.js';
export type { PriceRange, ProductFigures, TopProduct } from './domains/product.js';
export type { SupplierFigures } from './domains/supplier.js';
export type { TransactionFigures, TransactionWindow, TypeTrade } from './domains/transaction.js';
export { ServicesErrors } from './errors.js';
export { figureCatalogue } from './figure-catalogue.js';
export type { FigureEntry } from './figure-catalogue.js';
export { planFigures, readFigure, round } from './figures.js';
export type { FigurePlan } from './figures.js';
export { createHistory } from './history.js';
export type { History } from './history.js';
export { createRingBuffer } from './ring-buffer.js';
export type { RingBuffer, RingReader } from './ring-buffer.js';
export { loadRunConfig } from './run-config.js';
export type { RunConfig, ServiceOptions, Thresholds } from './run-config.js';
export type { ServiceFigures, ServiceSet } from './service-set.js';
export { createSimulationService } from './simulation-service.js';
export type {
  Clocks,
  LoopState,
  RunOptions,
  SimulationService,
  SimulationServiceOptions,
  Subscriber,
} from './simulation-service.js';
export { SERVICE_NAMES } from './snapshot.js';
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
} from './statistics.js';
export type { Summary } from './statistics.js';
export { createStatsCache } from './stats-cache.js';
export type { StatsCache } from './stats-cache.js';
