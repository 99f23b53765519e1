import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng } from '../../../src/simulation/index.js';
import { switchCustomers } from '../../../src/simulation/market/competition.js';
import { quietScenario } from '../fixtures.js';

function market(count: number, switching: object) {
  const scenario = quietScenario({
    companies: { count, budgetMin: 1_000, budgetMax: 1_000 },
    market: {
      switchProbability: 1,
      sampleSize: 3,
      priceThreshold: 0.02,
      switchShare: 0.1,
      stockoutLoss: 0.5,
      ...switching,
    },
  });
  const world = generateWorld(scenario, createRng(1));
  world.turn = 1;
  world.inventory.fill(10);
  return { scenario, world };
}

const total = (values: Float64Array): number => values.reduce((a, b) => a + b, 0);

describe('switchCustomers', () => {
  it('moves customers from a dear company to a cheaper one with stock, and keeps their number', () => {
    const { scenario, world } = market(2, {});
    world.salePriceCents.set([1_000, 500]);
    const before = total(world.companyWeight);
    switchCustomers(world, scenario, createRng(3));
    // The dear one loses switchShare of its customers to the cheap one; the cheap one keeps its own.
    expect(world.companyWeight[0]).toBeCloseTo(0.9, 12);
    expect(world.companyWeight[1]).toBeCloseTo(1.1, 12);
    expect(total(world.companyWeight)).toBeCloseTo(before, 12);
  });

  it('does not move customers for a difference under the threshold, nor to a competitor out of stock', () => {
    const { scenario, world } = market(2, {});
    world.salePriceCents.set([1_000, 990]);
    switchCustomers(world, scenario, createRng(3));
    expect(Array.from(world.companyWeight)).toEqual([1, 1]);
    world.salePriceCents.set([1_000, 500]);
    world.inventory.set([10, 0]);
    switchCustomers(world, scenario, createRng(3));
    expect(Array.from(world.companyWeight)).toEqual([1, 1]);
  });

  it('loses to a competitor the customers a stock-out left unserved, whatever its price', () => {
    const { scenario, world } = market(2, {});
    // Within the threshold of each other: only the stock-out moves customers.
    world.salePriceCents.set([500, 505]);
    world.companyUnmet.set([0.4, 0]);
    switchCustomers(world, scenario, createRng(3));
    // stockoutLoss x the unserved share: 0.5 x 0.4 of the first company's customers.
    expect(world.companyWeight[0]).toBeCloseTo(0.8, 12);
    expect(world.companyWeight[1]).toBeCloseTo(1.2, 12);
  });

  it('leaves shares fixed when switching is off, and moves them multiplicatively when it is on', () => {
    const off = market(50, { switchProbability: 0 });
    for (let c = 0; c < 50; c++) off.world.salePriceCents[c] = 500 + 10 * c;
    switchCustomers(off.world, off.scenario, createRng(3));
    expect(Array.from(off.world.companyWeight).every((w) => w === 1)).toBe(true);
    const on = market(50, {});
    for (let c = 0; c < 50; c++) on.world.salePriceCents[c] = 500 + 10 * c;
    const rng = createRng(3);
    for (let t = 0; t < 20; t++) switchCustomers(on.world, on.scenario, rng);
    // The cheapest companies gained what the dearest lost.
    expect(on.world.companyWeight[0]).toBeGreaterThan(1.5);
    expect(on.world.companyWeight[49]).toBeLessThan(0.5);
    expect(total(on.world.companyWeight)).toBeCloseTo(50, 9);
  });

  it('draws the competitors compared in proportion to their customers with sampleBySize', () => {
    const gained = (bySize: boolean): number => {
      const { scenario, world } = market(3, { sampleSize: 1, sampleBySize: bySize });
      const rng = createRng(5);
      let big = 0;
      for (let trial = 0; trial < 400; trial++) {
        world.companyWeight.set([1, 98, 1]);
        // The two cheaper companies sell at the same price: which one gains is which one was drawn.
        world.salePriceCents.set([1_000, 500, 500]);
        switchCustomers(world, scenario, rng);
        if (world.companyWeight[1]! > 98) big += 1;
      }
      return big;
    };
    // Uniformly, company 0 draws 1 or 2 as often; by size, nearly always 1 (98 of 99 customers).
    expect(gained(false)).toBeGreaterThan(150);
    expect(gained(false)).toBeLessThan(260);
    expect(gained(true)).toBeGreaterThan(380);
  });

  describe('with sizeVolatility (Gibrat shocks)', () => {
    it('grows or shrinks each company in the market by a share within the bound, and the vacant not at all', () => {
      const { scenario, world } = market(200, { switchProbability: 0, sizeVolatility: 0.03 });
      world.companyActive[7] = 0;
      switchCustomers(world, scenario, createRng(3));
      const factors = Array.from(world.companyWeight);
      expect(factors[7]).toBe(1);
      const active = factors.filter((_, c) => c !== 7);
      for (const f of active) expect(Math.abs(f - 1)).toBeLessThanOrEqual(0.03);
      // Spread over the whole bound, both ways.
      expect(Math.min(...active)).toBeLessThan(0.975);
      expect(Math.max(...active)).toBeGreaterThan(1.025);
    });

    it('keeps customers in expectation: the mean factor of many shocks is 1', () => {
      const { scenario, world } = market(1_000, { switchProbability: 0.2, sizeVolatility: 0.03 });
      // All at one price and in stock: only the shocks move customers.
      world.salePriceCents.fill(500);
      switchCustomers(world, scenario, createRng(9));
      const mean = total(world.companyWeight) / 1_000;
      // The factor's standard deviation is 0.03 / sqrt(3); the mean of 1,000 is within 4 of its deviations.
      expect(Math.abs(mean - 1)).toBeLessThan((4 * 0.03) / Math.sqrt(3) / Math.sqrt(1_000));
      expect(new Set(world.companyWeight).size).toBeGreaterThan(990);
    });

    it('gives a company that compares, as one that does not, a shock over the whole bound', () => {
      const p = 0.2;
      const { scenario, world } = market(400, { switchProbability: p, sizeVolatility: 0.03 });
      // One price and stock everywhere: a comparison moves nobody, so each weight is its shock.
      world.salePriceCents.fill(500);
      switchCustomers(world, scenario, createRng(11));
      // The same draws again: one per slot, then sampleSize (3) for a slot that compares.
      const replay = createRng(11);
      const compared: number[] = [];
      const others: number[] = [];
      for (let c = 0; c < 400; c++) {
        const u = replay.float();
        const v = u < p ? u / p : (u - p) / (1 - p);
        expect(world.companyWeight[c]).toBeCloseTo(1 + 0.03 * (2 * v - 1), 12);
        if (u < p) {
          for (let k = 0; k < 3; k++) replay.float();
          compared.push(world.companyWeight[c]!);
        } else {
          others.push(world.companyWeight[c]!);
        }
      }
      for (const group of [compared, others]) {
        expect(Math.min(...group)).toBeLessThan(0.975);
        expect(Math.max(...group)).toBeGreaterThan(1.025);
      }
    });

    it('takes the same draws as without the shocks: the generator stands where it would', () => {
      const next = (sizeVolatility: number): number => {
        const { scenario, world } = market(50, { sizeVolatility });
        for (let c = 0; c < 50; c++) world.salePriceCents[c] = 500 + 10 * c;
        const rng = createRng(4);
        for (let t = 0; t < 5; t++) switchCustomers(world, scenario, rng);
        return rng.nextUint32();
      };
      expect(next(0.03)).toBe(next(0));
    });
  });
});
