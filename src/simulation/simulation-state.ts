import { generateWorld } from './generate-world.js';
import { createRng } from './rng.js';
import { defaultScenario } from './scenario.js';
import { createUniqueNames } from './names.js';
import type { RngState } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import { derivedParts, settleNumberFields, type World } from './world.js';

/**
 * A world as data: everything but the name maker, which companyNames rebuilds, the change
 * journals, which hold only the turn being played (each turn starts them empty; readers that
 * did not follow the last turn start again from the world), and the offers by continent,
 * derived from offerContinent.
 */
export type WorldData = Omit<
  World,
  'uniqueCompanyName' | 'companyChanges' | 'offerChanges' | 'localOffers' | 'localStart'
>;

/** Everything a simulation is between two turns: its world and where its RNG stands. */
export interface SimulationState {
  readonly world: WorldData;
  readonly rng: RngState;
}

/** The world's data, sharing its arrays (copy it before the next turn, as a serializer does). */
export function worldData(world: World): WorldData {
  const {
    uniqueCompanyName: _names,
    companyChanges: _companies,
    offerChanges: _offers,
    localOffers: _local,
    localStart: _localStart,
    ...data
  } = world;
  return data;
}

/**
 * A world again from its data (as a structured clone gives it back): its derived parts made
 * as a generated world's (derivedParts), the name maker over companyNames, and one shock flag
 * and recall list per entry of the timeline it will play (a fork's may be longer).
 */
export function worldFromData(data: WorldData, timelineLength = data.shockInForce.length): World {
  const shockInForce = new Uint8Array(timelineLength);
  shockInForce.set(data.shockInForce.subarray(0, timelineLength));
  const recalled = Array.from({ length: timelineLength }, (_, i) => data.recalled[i] ?? []);
  return settleNumberFields({
    ...data,
    shockInForce,
    recalled,
    uniqueCompanyName: createUniqueNames(data.companyNames),
    ...derivedParts(data.companies.length, data.productOfferStart, data.offerContinent),
  });
}

/**
 * Why a saved world cannot be played with a scenario: the sizes fixed when a world is
 * generated (companies, products, suppliers, the order pipeline's lead time) must match.
 * Everything else (timeline, prices, demand, events, alerts) may differ: that is a fork.
 */
export function worldMismatch(world: WorldData, scenario: Scenario, from?: Scenario): string[] {
  const problems: string[] = [];
  // A world saved by a TradeSim whose world had other fields cannot be played by this one.
  const missing = worldFields().filter((field) => !(field in world));
  if (missing.length > 0)
    return [`the checkpoint's world lacks ${missing.join(', ')} (saved by another TradeSim version)`];
  const check = (what: string, saved: number, wanted: number) => {
    if (saved !== wanted) problems.push(`${what}: the checkpoint has ${saved}, the scenario ${wanted}`);
  };
  check('companies.count', world.companies.length, scenario.companies.count);
  check('products.count', world.products.length, scenario.products.count);
  check('suppliers.count', world.suppliers.length, scenario.suppliers.count);
  const offers = world.offerStock.length;
  check('suppliers.leadTurns', offers === 0 ? 0 : world.pipeline.length / offers, scenario.suppliers.leadTurns);
  if (from) problems.push(...timelineMismatch(from, scenario, world.turn));
  return problems;
}

let fields: readonly string[] | undefined;
/** The fields of this TradeSim's world data, read once from a generated world of one company. */
function worldFields(): readonly string[] {
  if (!fields) {
    const tiny = defaultScenario();
    const one = {
      ...tiny,
      companies: { ...tiny.companies, count: 1 },
      products: { ...tiny.products, count: 1 },
      suppliers: { ...tiny.suppliers, count: 1 },
    };
    fields = Object.keys(worldData(generateWorld(one, createRng(1))));
  }
  return fields;
}

/**
 * Why a fork's timeline cannot follow the saved one at `turn`: the past is fixed, so every
 * shock that had started must stay as it was, at its place; a shock may be moved, changed,
 * added or dropped only if it had not started (that is the what-if).
 */
function timelineMismatch(from: Scenario, to: Scenario, turn: number): string[] {
  const problems: string[] = [];
  from.timeline.forEach((shock, i) => {
    if (shock.at > turn) return;
    const now = to.timeline[i];
    if (!now || JSON.stringify(now) !== JSON.stringify(shock)) {
      problems.push(
        `timeline.${i}: started at turn ${shock.at}, before the checkpoint's turn ${turn}; it must stay as it was`,
      );
    }
  });
  to.timeline.forEach((shock, i) => {
    if (i >= from.timeline.length || from.timeline[i]!.at > turn) {
      if (shock.at <= turn)
        problems.push(`timeline.${i}: starts at turn ${shock.at}, not after the checkpoint's turn ${turn}`);
    }
  });
  return problems;
}
