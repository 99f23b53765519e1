import { generateWorld } from './generate-world.js';
import { COVER_REPORT_SLOTS } from './market/cover-report.js';
import { createRng } from './rng.js';
import { defaultScenario } from './scenario.js';
import { createUniqueNames } from './names.js';
import type { RngState } from './rng.js';
import type { Scenario } from './scenario-schema.js';
import { derivedParts, settleNumberFields, type World } from './world.js';
import { entityProblems } from './entity-shape.js';
import { type FieldShape, learnWorldShape, worldKindProblems, worldShapeProblems } from './world-shape.js';

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
 * Fields the world gained since checkpoints were first written, each with the value a world
 * saved before it takes: one that leaves every business figure as the saving run had it.
 */
const ADDED_FIELDS: Readonly<Record<string, (world: Readonly<Record<string, unknown>>) => unknown>> = {
  // Households' windfall estimates: read only with windfall spending on; today's money.
  householdNormalCents: (world) => world.householdCents,
  householdRecentCents: (world) => world.householdCents,
  // Supplier outages: none in force in a world saved before they existed, sized as the fields
  // saved beside them (a world lacking those is left for the check to name).
  outage: (world) => new Float64Array((world.disruption as Float64Array | undefined)?.length ?? 0),
  outageEnds: (world) => new Float64Array((world.supplierActive as Uint8Array | undefined)?.length ?? 0),
  // Capacity saved over past turns (suppliers.capacityBurstTurns): none saved yet.
  capacityCredit: (world) => new Float64Array((world.offerLongRun as Float64Array | undefined)?.length ?? 0),
  // The industry's cover reports (suppliers.reportLean): none recorded yet, so none read for a delay.
  coverReports: () => new Float64Array(COVER_REPORT_SLOTS),
  coverNormal: () => 0,
};

/** A saved world with the fields it predates added (see ADDED_FIELDS); the world itself if none is missing. */
export function withAddedFields(world: WorldData): WorldData {
  if (world === null || typeof world !== 'object') return world;
  const saved = world as unknown as Record<string, unknown>;
  const missing = Object.keys(ADDED_FIELDS).filter((field) => !(field in saved));
  if (missing.length === 0) return world;
  const added = Object.fromEntries(missing.map((field) => [field, ADDED_FIELDS[field]!(saved)]));
  return { ...saved, ...added } as unknown as WorldData;
}

/**
 * Why a saved world cannot be played with a scenario: the sizes fixed when a world is
 * generated (companies, products, suppliers, the order pipeline's lead time) must match.
 * Everything else (timeline, prices, demand, events, alerts) may differ: that is a fork.
 */
export function worldMismatch(world: WorldData, scenario: Scenario, from?: Scenario): string[] {
  const problems: string[] = [];
  // A world saved by a TradeSim whose world had other fields cannot be played by this one.
  const { shapes, template } = worldShape();
  if (world === null || typeof world !== 'object') return ['world: expected an object'];
  const missing = [...shapes.keys()].filter((field) => !(field in world));
  if (missing.length > 0)
    return [`the checkpoint's world lacks ${missing.join(', ')} (saved by another TradeSim version)`];
  const kinds = worldKindProblems(world, shapes);
  if (kinds.length > 0) return kinds;
  const check = (what: string, saved: number, wanted: number) => {
    if (saved !== wanted) problems.push(`${what}: the checkpoint has ${saved}, the scenario ${wanted}`);
  };
  check('companies.count', world.companies.length, scenario.companies.count);
  check('products.count', world.products.length, scenario.products.count);
  check('suppliers.count', world.suppliers.length, scenario.suppliers.count);
  const offers = world.offerStock.length;
  check('suppliers.leadTurns', offers === 0 ? 0 : world.pipeline.length / offers, scenario.suppliers.leadTurns);
  if (problems.length > 0) return problems;
  // Then everything a decoded file could have wrong: lengths, numbers, indices, the turn.
  problems.push(...worldShapeProblems(world, scenario, shapes, template));
  if (problems.length > 0) return problems;
  problems.push(...entityProblems(world));
  if (problems.length > 0) return problems;
  if (from) problems.push(...timelineMismatch(from, scenario, world.turn));
  return problems;
}

let shape: { shapes: ReadonlyMap<string, FieldShape>; template: Record<string, unknown> } | undefined;
/**
 * The shape of this TradeSim's world data, learnt once from two small generated worlds of
 * different sizes (see learnWorldShape).
 */
function worldShape(): NonNullable<typeof shape> {
  if (!shape) {
    const base = defaultScenario();
    const sized = (companies: number, products: number, suppliers: number, perSupplier: number, lead: number) => ({
      scenario: {
        ...base,
        companies: { ...base.companies, count: companies },
        products: { ...base.products, count: products },
        suppliers: {
          ...base.suppliers,
          count: suppliers,
          productsMin: perSupplier,
          productsMax: perSupplier,
          leadTurns: lead,
        },
      },
      sizes: {
        companies,
        products,
        'products+1': products + 1,
        suppliers,
        offers: suppliers * perSupplier,
        pipeline: suppliers * perSupplier * lead,
        coverReports: COVER_REPORT_SLOTS,
      },
    });
    const a = sized(19, 23, 29, 3, 5);
    const b = sized(31, 37, 41, 4, 7);
    const worlds = [a, b].map(
      (s) => worldData(generateWorld(s.scenario, createRng(1))) as unknown as Record<string, unknown>,
    ) as [Record<string, unknown>, Record<string, unknown>];
    shape = { shapes: learnWorldShape(worlds, [a.sizes, b.sizes]), template: worlds[0] };
  }
  return shape;
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
