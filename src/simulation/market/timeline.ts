import { repriceOffer } from '../pricing.js';
import { inflateProduct } from '../events/inflation.js';
import type { Rng } from '../rng.js';
import type { Scenario } from '../scenario-schema.js';
import type { Shock } from '../timeline-schema.js';
import type { AppliedShock, EventTarget } from '../turn-report.js';
import { CONTINENTS } from '../types.js';
import { rebuildActiveLists, type World } from '../world.js';

/**
 * Starts the shocks scheduled for this turn and ends those whose `turns` are over, in timeline
 * order, then recomputes what the shocks in force do. Deterministic: only `supplier_exit`
 * draws (which suppliers leave), and only at its start.
 */
export function applyTimeline(world: World, scenario: Scenario, rng: Rng): AppliedShock[] {
  const applied: AppliedShock[] = [];
  const keep = scenario.report.transactions;
  scenario.timeline.forEach((shock, index) => {
    if (world.shockInForce[index] === 1 && world.turn === shock.at + shock.turns) {
      world.shockInForce[index] = 0;
      if (shock.shock === 'product_recall') endRecall(world, shock, index);
      applied.push({ index, kind: shock.shock, phase: 'end', severity: shock.severity, targetCount: 0, targets: null });
    } else if (world.shockInForce[index] === 0 && world.turn === shock.at) {
      world.shockInForce[index] = 1;
      const targets = startShock(world, scenario, rng, shock, index);
      applied.push({
        index,
        kind: shock.shock,
        phase: 'start',
        severity: shock.severity,
        targetCount: targets.length,
        targets: keep ? targets : null,
      });
    }
  });
  if (applied.length > 0) recomputeEffects(world, scenario);
  return applied;
}

/** Shocks in force this turn. */
export function shocksInForce(world: World): number {
  let n = 0;
  for (let i = 0; i < world.shockInForce.length; i++) n += world.shockInForce[i]!;
  return n;
}

function hitsProduct(shock: Shock, world: World, product: number): boolean {
  return shock.productType === undefined || world.products[product]!.type === shock.productType;
}

function hitsOffer(shock: Shock, world: World, offer: number): boolean {
  if (shock.continent !== undefined) return world.offerContinent[offer] === CONTINENTS.indexOf(shock.continent);
  return hitsProduct(shock, world, world.offerProduct[offer]!);
}

/** Applies what a shock does once, at its start; returns the entities it hit. */
function startShock(world: World, scenario: Scenario, rng: Rng, shock: Shock, index: number): EventTarget[] {
  const targets: EventTarget[] = [];
  switch (shock.shock) {
    case 'inflation_shock':
      for (let p = 0; p < world.products.length; p++) {
        if (!hitsProduct(shock, world, p)) continue;
        targets.push({ index: p, value: inflateProduct(world, scenario, p, shock.percent) });
        // The rise holds for the shock's turns, then declines as an inflation event's does.
        world.inflatedAt[p] = world.turn + shock.turns - scenario.events.inflation.holdTurns;
      }
      break;
    case 'product_recall': {
      const withdrawn: number[] = [];
      for (let p = 0; p < world.products.length; p++) {
        if (!hitsProduct(shock, world, p)) continue;
        world.recalls[p] = world.recalls[p]! + 1;
        if (world.active[p] === 1) withdrawn.push(p);
        world.active[p] = 0;
        targets.push({ index: p, value: 1 });
      }
      world.recalled[index] = withdrawn;
      rebuildActiveLists(world);
      break;
    }
    case 'supplier_exit':
      for (const s of chooseLeavers(world, rng, shock))
        targets.push({ index: s, value: closeSupplier(world, scenario, s) });
      break;
    case 'supply_disruption':
      for (let o = 0; o < world.offerProduct.length; o++) {
        if (hitsOffer(shock, world, o)) targets.push({ index: o, value: shock.severity });
      }
      break;
    default:
      break;
  }
  return targets;
}

/** Ends a recall: the products it withdrew come back unless another recall still holds them. */
function endRecall(world: World, shock: Shock, index: number): void {
  for (let p = 0; p < world.products.length; p++) {
    if (hitsProduct(shock, world, p)) world.recalls[p] = world.recalls[p]! - 1;
  }
  for (const p of world.recalled[index] ?? []) if (world.recalls[p] === 0) world.active[p] = 1;
  world.recalled[index] = [];
  rebuildActiveLists(world);
}

/** A share `severity` of the suppliers in the market (on the shock's continent), drawn. */
function chooseLeavers(world: World, rng: Rng, shock: Shock): number[] {
  const candidates = world.suppliers
    .filter((s) => world.supplierActive[s.index] === 1)
    .filter((s) => shock.continent === undefined || s.continent === shock.continent)
    .map((s) => s.index);
  const count = Math.round(shock.severity * candidates.length);
  return rng.sample(candidates, count).sort((a, b) => a - b);
}

/** Takes a supplier out of the market for good: its stock and orders are written off. */
function closeSupplier(world: World, scenario: Scenario, supplier: number): number {
  const lead = scenario.suppliers.leadTurns;
  let lost = 0;
  world.supplierActive[supplier] = 0;
  for (const o of world.suppliers[supplier]!.offers) {
    const stock = world.offerStock[o]!;
    lost += stock + world.inTransit[o]!;
    world.inTransitTotal -= world.inTransit[o]!;
    world.inTransit[o] = 0;
    for (let slot = 0; slot < lead; slot++) world.pipeline[slot * world.offerStock.length + o] = 0;
    if (stock > 0) {
      world.offerStock[o] = 0;
      world.offerChanges.add(o, world.offerProduct[o]!, supplier, 0, -stock);
      repriceOffer(world, scenario, o);
    }
  }
  world.totals.lostGoods += lost;
  return lost;
}

/** What the shocks in force do, recomputed from them all whenever one starts or ends. */
function recomputeEffects(world: World, scenario: Scenario): void {
  let demand = 1;
  let credit = 1;
  let frozen = 0;
  world.disruption.fill(0);
  scenario.timeline.forEach((shock, index) => {
    if (world.shockInForce[index] !== 1) return;
    if (shock.shock === 'demand_surge') demand *= 1 + shock.severity;
    if (shock.shock === 'demand_collapse') demand *= 1 - shock.severity;
    if (shock.shock === 'credit_freeze') {
      credit *= 1 - shock.severity;
      frozen = 1;
    }
    if (shock.shock !== 'supply_disruption') return;
    for (let o = 0; o < world.offerProduct.length; o++) {
      if (hitsOffer(shock, world, o)) world.disruption[o] = Math.max(world.disruption[o]!, shock.severity);
    }
  });
  world.effects = { demand, credit, frozen };
}
