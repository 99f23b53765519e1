/**
 * The simulation layer's front door: the pure, deterministic market engine. Other layers
 * import only from this file.
 */

export type { CompanyChanges, OfferChanges } from './change-journal.js';
export type { ErrorClass } from './errors.js';
export { defineError, problemList, SimulationErrors, TradeSimError } from './errors.js';
export type { Country } from './geography.js';
export { COUNTRIES } from './geography.js';
export { duplicateKeys } from './duplicate-keys.js';
export { stockFactor } from './pricing.js';
export type { Rng, RngState } from './rng.js';
export { createRng, isValidSeed } from './rng.js';
export {
  defaultScenario,
  distinctProblems,
  formatValueError,
  loadScenario,
  MAX_JSON_DEPTH,
  pointerToPath,
  readJsonObject,
  shapeProblems,
} from './scenario.js';
export type { JsonObjectRead } from './scenario.js';
export type { Scenario } from './scenario-schema.js';
export { ScenarioSchema } from './scenario-schema.js';
export type { Simulation, TurnInProgress, TurnPhase } from './simulation.js';
export { createSimulation, restoreSimulation } from './simulation.js';
export type { SimulationState, WorldData } from './simulation-state.js';
export type { Shock, ShockKind } from './timeline-schema.js';
export { SHOCK_KINDS, ShockSchema, shockProblems } from './timeline-schema.js';
export type {
  AppliedEvent,
  AppliedShock,
  EventTarget,
  PopulationChange,
  MarketReport,
  Transaction,
  TurnAggregates,
  TurnReport,
  TypeVolume,
} from './turn-report.js';
export type { Continent, EventType, FailureReason, ProductType, Strategy } from './types.js';
export { CONTINENTS, EVENT_TYPES, FAILURE_REASONS, PRODUCT_TYPES, STRATEGIES } from './types.js';
export type { CompanyInfo, ProductInfo, SupplierInfo, WorldTotals } from './world.js';
export type { InflationState, WorldView } from './world-view.js';
