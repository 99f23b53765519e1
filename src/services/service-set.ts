import { type BudgetFigures, budgetService } from './domains/budget.js';
import { type CompanyFigures, companyService } from './domains/company.js';
import { type EventFigures, eventService } from './domains/event.js';
import { type MarketFigures, marketService } from './domains/market.js';
import { type PerformanceFigures, performanceService } from './domains/performance.js';
import { type ProductFigures, productService } from './domains/product.js';
import { type SupplierFigures, supplierService } from './domains/supplier.js';
import { type TransactionFigures, transactionService } from './domains/transaction.js';
import { createFigureService, type FigureService, type TurnInput } from './figure-service.js';
import type { ServiceOptions, Thresholds } from './service-options.js';
import type { TurnReport, WorldView } from '../simulation/index.js';
import { createStatsCache, type StatsCache } from './history/stats-cache.js';
import { DEFAULT_SLOS, type Slo } from './slo/slo-schema.js';
import { type SloServiceFigures, sloService } from './slo/slo-service.js';

/** Every service's figures for one turn. */
export interface ServiceFigures {
  readonly budget: BudgetFigures;
  readonly company: CompanyFigures;
  readonly product: ProductFigures;
  readonly supplier: SupplierFigures;
  readonly transaction: TransactionFigures;
  readonly event: EventFigures;
  readonly market: MarketFigures;
  /** Each SLO's figures by its name. */
  readonly slo: SloServiceFigures;
  readonly performance: PerformanceFigures;
}

/** The domain services, sharing one statistics cache. */
export interface ServiceSet {
  readonly cache: StatsCache;
  /** In the order they record: later ones may read the figures of earlier ones. */
  readonly domains: readonly FigureService<object>[];
  readonly performance: FigureService<PerformanceFigures>;
  /** The service that owns a figure (by its first name part), or undefined. */
  byName(name: string): FigureService<object> | undefined;
}

/**
 * Builds the services for one run. `subscriberErrors` reads the loop's count of them; `slos`
 * are counted in turns of `turnMinutes` (the scenario's calendar; one minute without one).
 */
export function createServiceSet(
  thresholds: Thresholds,
  options: ServiceOptions,
  subscriberErrors: () => number,
  slos: { readonly objectives: readonly Slo[]; readonly turnMinutes?: number } = { objectives: DEFAULT_SLOS },
): ServiceSet {
  const cache = createStatsCache(options.cacheSize);
  const shared = { cache, historyCapacity: options.historyTurns };
  const domains: FigureService<object>[] = [
    createFigureService(budgetService(thresholds), shared),
    createFigureService(companyService(options.topCompanies), shared),
    createFigureService(productService(options.statsWindow, options.topProducts), shared),
    createFigureService(supplierService(options.topSuppliers), shared),
    createFigureService(transactionService(options.statsWindow), shared),
    createFigureService(eventService(), shared),
    createFigureService(marketService(slos.turnMinutes), shared),
    // After every service an SLO may count from.
    createFigureService(sloService(slos.objectives, slos.turnMinutes), shared),
  ];
  const performance = createFigureService(performanceService(options.statsWindow, { cache, subscriberErrors }), shared);
  const all = new Map<string, FigureService<object>>([...domains, performance].map((s) => [s.name, s]));
  return { cache, domains, performance, byName: (name) => all.get(name) };
}

/** One turn as the loop measured it: the engine's report and the seconds of each phase. */
export interface MeasuredTurn {
  readonly report: TurnReport;
  readonly world: WorldView;
  readonly prices: number;
  readonly purchases: number;
  readonly market: number;
  readonly events: number;
  readonly clockSeconds: number;
}

/**
 * Feeds one turn to every domain service, then the performance service with the time the
 * others took. Returns every service's figures.
 */
export function recordTurn(set: ServiceSet, turn: MeasuredTurn, clockMs: () => number): ServiceFigures {
  const steps = recordTurnInSteps(set, turn, clockMs);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * recordTurn one service at a time: yields after each domain service, so a loop can let the
 * event loop in between on a large world. The services' time counts only their own steps.
 * Until it returns, the services hold the turn in part: read them only between turns.
 */
export function* recordTurnInSteps(
  set: ServiceSet,
  turn: MeasuredTurn,
  clockMs: () => number,
): Generator<void, ServiceFigures, void> {
  const { prices, purchases, market, events } = turn;
  const timings = { prices, purchases, market, events, services: 0 };
  // One input for every service; the domain services see services = 0, the performance one their time.
  const input: TurnInput = { report: turn.report, world: turn.world, timings, clockSeconds: turn.clockSeconds };
  const figures: Record<string, object> = {};
  let busyMs = 0;
  for (const service of set.domains) {
    const started = clockMs();
    figures[service.name] = service.record(input, figures);
    busyMs += clockMs() - started;
    yield;
  }
  timings.services = busyMs / 1000;
  figures.performance = set.performance.record(input, figures);
  return figures as unknown as ServiceFigures;
}
