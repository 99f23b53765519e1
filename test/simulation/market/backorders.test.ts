import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng, type Scenario } from '../../../src/simulation/index.js';
import {
  backorderReport,
  cancelExitedBackorders,
  placeBackorder,
  serveBackorders,
} from '../../../src/simulation/market/backorders.js';
import { settlePurchases } from '../../../src/simulation/phases/settle-purchases.js';
import { addOfferStock } from '../../../src/simulation/pricing.js';
import type { World } from '../../../src/simulation/world.js';
import { quietScenario } from '../fixtures.js';

/** One product, one offer with no stock, `companies` buyers that each want 10 units. */
function shop(companies: number, backorders: Partial<Scenario['backorders']> = {}) {
  const scenario = quietScenario({
    companies: { count: companies, budgetMin: 1_000, budgetMax: 1_000, inventoryCoverTurns: 1, cheapestShare: 1 },
    products: { count: 1, priceMin: 10, priceMax: 10 },
    suppliers: { count: 1, productsMin: 1, productsMax: 1, stockMin: 0, stockMax: 0 },
    market: { quantityMin: 10, quantityMax: 10 },
    backorders,
  });
  return { scenario, world: generateWorld(scenario, createRng(3)) };
}

/** Every company tries to buy once, in index order, at the next turn. */
function buyAll(world: World, scenario: Scenario) {
  world.turn += 1;
  const buyers = Int32Array.from(world.companies, (c) => c.index);
  return settlePurchases(world, scenario, createRng(1), buyers, buyers.length).aggregates;
}

/** The next turn's service of the queues, after `arriving` units reached the offer. */
function serve(world: World, scenario: Scenario, arriving: number) {
  world.turn += 1;
  if (arriving > 0) addOfferStock(world, scenario, 0, arriving);
  return backorderReport(world, serveBackorders(world, scenario), 0, 0);
}

describe('backorders', () => {
  it('queue a purchase out of stock, then fill it oldest first when stock arrives, paid at delivery', () => {
    const { scenario, world } = shop(3);
    const failed = buyAll(world, scenario);
    expect(failed.failuresByReason.out_of_stock).toBe(3);
    // Nothing is paid while the orders wait.
    expect(Array.from(world.budgetCents)).toEqual([100_000, 100_000, 100_000]);
    expect(Array.from(world.backlogLength)).toEqual([3]);
    const held = Array.from(world.inventory);
    const first = serve(world, scenario, 15);
    // 15 units: the oldest order whole, the next one in part; they waited one turn.
    expect([first.filled, first.deliveredUnits, Array.from(first.waits)]).toEqual([1, 15, [1]]);
    expect(first.openOrders).toBe(2);
    expect(first.openUnits).toBe(15);
    expect(Array.from(world.inventory, (units, c) => units - held[c]!)).toEqual([10, 5, 0]);
    // Each paid for what it received, at the offer's price then; the last pays nothing yet.
    const paid = Array.from(world.budgetCents, (b) => 100_000 - b);
    expect(paid[0]! + paid[1]!).toBe(first.deliveredCents);
    expect(paid[0]! > 0 && paid[1]! > 0 && paid[2] === 0).toBe(true);
    expect(world.spentCents[0]).toBe(paid[0]);
    const second = serve(world, scenario, 100);
    expect([second.filled, Array.from(second.waits), second.openOrders, second.oldestAgeTurns]).toEqual([
      2,
      [2, 2],
      0,
      0,
    ]);
  });

  it('cancel an order older than its patience, and a buyer that cannot pay for a unit when its goods come', () => {
    const { scenario, world } = shop(2, { patienceTurns: 2 });
    buyAll(world, scenario);
    expect(serve(world, scenario, 0).oldestAgeTurns).toBe(1);
    expect(serve(world, scenario, 0).cancelled).toBe(0);
    const late = serve(world, scenario, 0);
    expect([late.cancelled, late.openOrders]).toEqual([2, 0]);
    buyAll(world, scenario);
    world.budgetCents[0] = 0;
    const broke = serve(world, scenario, 50);
    expect([broke.cancelled, broke.filled]).toEqual([1, 1]);
    expect(world.totals.backordersCancelled).toBe(3);
  });

  it('drop an order beyond maxPerProduct, keep one order per company, and wait for none when patience is 0', () => {
    const capped = shop(4, { maxPerProduct: 2 });
    buyAll(capped.world, capped.scenario);
    expect([capped.world.totals.backordersPlaced, capped.world.totals.backordersDropped]).toEqual([2, 2]);
    expect(placeBackorder(capped.world, capped.scenario, 0, 0, 5)).toBe(0);
    const off = shop(2, { patienceTurns: 0 });
    buyAll(off.world, off.scenario);
    expect(off.world.totals.backordersPlaced + off.world.totals.backordersDropped).toBe(0);
  });

  it('count an order late once, the turn it has waited longer than lateTurns, whatever becomes of it', () => {
    const { scenario, world } = shop(2, { lateTurns: 2, patienceTurns: 5 });
    buyAll(world, scenario);
    const lates = [0, 0, 0, 0].map(() => serve(world, scenario, 0).late);
    expect(lates).toEqual([0, 0, 2, 0]);
    const filled = serve(world, scenario, 100);
    expect([filled.filled, filled.filledOnTime, filled.late]).toEqual([2, 0, 0]);
    const fresh = shop(2, { lateTurns: 2 });
    buyAll(fresh.world, fresh.scenario);
    const onTime = serve(fresh.world, fresh.scenario, 100);
    expect([onTime.filled, onTime.filledOnTime, onTime.late]).toEqual([2, 2, 0]);
  });

  it('cancel the orders of companies that leave the market', () => {
    const { scenario, world } = shop(3);
    buyAll(world, scenario);
    const served = serveBackorders(world, scenario);
    cancelExitedBackorders(world, [1, 2], served);
    expect([served.cancelled, served.cancelledEarly]).toEqual([2, 2]);
    expect(Array.from(world.backorderProduct)).toEqual([0, -1, -1]);
    expect(world.backlogLength[0]).toBe(1);
  });
});
