import { describe, expect, it } from 'vitest';
import { inflateProduct } from '../../../src/simulation/events/inflation.js';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng } from '../../../src/simulation/index.js';
import { advancePrices } from '../../../src/simulation/phases/advance-prices.js';
import { computeOfferPriceCents } from '../../../src/simulation/pricing.js';
import { MAX_VALUE } from '../../../src/simulation/schema-parts.js';
import type { World } from '../../../src/simulation/world.js';
import { quietScenario } from '../fixtures.js';

const scenario = quietScenario({
  products: { count: 3, priceMin: 100, priceMax: 100 },
  suppliers: { count: 1, productsMin: 3, productsMax: 3 },
  events: { inflation: { holdTurns: 3, declineTurns: 4, finalPercent: 5, penaltyFactor: 0.5 } },
});

/** Runs the price phase for turns from..to and returns the product's price at each. */
function pricesOver(world: World, product: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let turn = from; turn <= to; turn++) {
    world.turn = turn;
    advancePrices(world, scenario);
    out.push(Number(world.price[product]!.toFixed(6)));
  }
  return out;
}

describe('inflation curve', () => {
  it('holds +20% for holdTurns, declines linearly over declineTurns, settles at base + finalPercent', () => {
    const world = generateWorld(scenario, createRng(1));
    expect(world.price[0]).toBe(100);
    world.turn = 10;
    expect(inflateProduct(world, scenario, 0, 20)).toBe(20);
    expect(world.price[0]).toBeCloseTo(120, 10);
    // hold at turns 11-13, then 120 -> 105 in four equal steps at turns 14-17, then stay.
    expect(pricesOver(world, 0, 11, 19)).toEqual([120, 120, 120, 116.25, 112.5, 108.75, 105, 105, 105]);
    expect(world.inflationPhase[0]).toBe(0);
  });

  it('stops the decline and applies the penalty when a second inflation comes', () => {
    const world = generateWorld(scenario, createRng(1));
    world.turn = 10;
    inflateProduct(world, scenario, 0, 20);
    expect(pricesOver(world, 0, 11, 15)).toEqual([120, 120, 120, 116.25, 112.5]);
    // 20% drawn, halved by the penalty factor: 112.5 * 1.10.
    expect(inflateProduct(world, scenario, 0, 20)).toBe(10);
    expect(world.price[0]).toBeCloseTo(123.75, 10);
    // A new hold of three turns from turn 15, then a decline from 123.75 to 105.
    expect(pricesOver(world, 0, 16, 22)).toEqual([123.75, 123.75, 123.75, 119.0625, 114.375, 109.6875, 105]);
  });

  it('compounds rises up to the largest price a scenario may state, never to an infinite one', () => {
    const world = generateWorld(scenario, createRng(1));
    world.turn = 1;
    const applied: number[] = [];
    // 200 rises of 10,000 % (a timeline of inflation shocks): 100 * 101^200 overflows a double.
    for (let i = 0; i < 200; i++) applied.push(inflateProduct(world, scenario, 0, 10_000));
    expect(world.curvePrice[0]).toBe(MAX_VALUE);
    expect(Number.isFinite(world.price[0])).toBe(true);
    // The rises said are those made: the first whole, the one that meets the ceiling in part, then none.
    expect(applied[0]).toBe(10_000);
    expect(applied.at(-1)).toBe(0);
    expect(applied.every((a) => Number.isFinite(a) && a >= 0)).toBe(true);
    // What it fell back to once the shocks are over is the target, as ever.
    expect(pricesOver(world, 0, 5, 12).at(-1)).toBe(105);
  });

  it('takes the penalty during the hold too, and leaves other products alone', () => {
    const world = generateWorld(scenario, createRng(1));
    world.turn = 1;
    inflateProduct(world, scenario, 1, 10);
    world.turn = 2;
    expect(inflateProduct(world, scenario, 1, 10)).toBe(5);
    expect(world.price[1]).toBeCloseTo(100 * 1.1 * 1.05, 10);
    expect(world.price[2]).toBe(100);
  });

  it('re-prices the offers of an inflated product', () => {
    const world = generateWorld(scenario, createRng(1));
    const offer = world.productOffers[0]![0]!;
    const before = world.offerPriceCents[offer]!;
    world.turn = 1;
    inflateProduct(world, scenario, 0, 20);
    expect(world.offerPriceCents[offer]).toBe(computeOfferPriceCents(world, scenario, offer));
    expect(world.offerPriceCents[offer]).toBeGreaterThan(before);
  });
});
