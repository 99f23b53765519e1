import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRODUCT_TYPES } from '../../../src/simulation/index.js';
import { coefficientOfVariation } from '../../../src/services/index.js';
import { eachTurn } from './harness.js';

describe('product service', () => {
  it('matches prices, availability and inflation states of the world', () => {
    const indices: number[] = [];
    let sawInflated = false;
    const crisis = JSON.parse(readFileSync('scenarios/crisis.json', 'utf8')) as { events: object };
    // Frequent inflation, so products are seen on their curves.
    const scenario = { ...crisis, events: { ...crisis.events, interval: 5, inflation: { probability: 0.8 } } };
    eachTurn(scenario, 5, 60, ({ snapshot, world }) => {
      const p = snapshot.product;
      const prices = Array.from(world.prices);
      const active = world.products.filter((x) => world.active[x.index] === 1);
      expect(p.active).toBe(active.length);
      expect(p.inactive).toBe(world.products.length - active.length);
      expect(p.price.max).toBe(Math.max(...prices));
      expect(p.price.min).toBe(Math.min(...prices));
      expect(p.price.mean).toBeCloseTo(prices.reduce((a, b) => a + b, 0) / prices.length, 9);
      for (const type of PRODUCT_TYPES) {
        const ofType = world.products.filter((x) => x.type === type);
        expect(p.activeByType[type]).toBe(ofType.filter((x) => world.active[x.index] === 1).length);
        if (ofType.length > 0) expect(p.priceByType[type].max).toBe(Math.max(...ofType.map((x) => prices[x.index]!)));
      }
      const index = (100 * prices.reduce((a, b) => a + b, 0)) / world.products.reduce((a, x) => a + x.basePrice, 0);
      expect(p.priceIndex).toBeCloseTo(index, 9);
      const phases = world.products.map((x) => world.inflation(x.index).phase);
      expect(p.inflated).toBe(phases.filter((x) => x === 'hold').length);
      expect(p.declining).toBe(phases.filter((x) => x === 'decline').length);
      const best = world.products
        .filter((x) => world.unitsSold[x.index]! > 0)
        .sort((a, b) => world.unitsSold[b.index]! - world.unitsSold[a.index]! || a.index - b.index)
        .slice(0, 50)
        .map((x) => ({
          id: x.id,
          name: x.name,
          type: x.type,
          unitsSold: world.unitsSold[x.index]!,
          price: prices[x.index]!,
        }));
      expect(p.topBySales).toEqual(best);
      expect(p.unitsSoldTotal).toBe(world.products.reduce((a, x) => a + world.unitsSold[x.index]!, 0));
      sawInflated ||= p.inflated > 0;
      indices.push(index);
      // Absent on the first turn: one price index has no variation to measure.
      if (indices.length < 2) expect(p.volatility).toBeNaN();
      else expect(p.volatility).toBeCloseTo(coefficientOfVariation(indices.slice(-20)), 9);
    });
    expect(sawInflated).toBe(true);
  });
});
