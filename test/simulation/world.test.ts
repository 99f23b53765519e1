import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../src/simulation/generate-world.js';
import { loadScenario, type Scenario } from '../../src/simulation/index.js';
import { createRng } from '../../src/simulation/rng.js';
import { worldData, worldFromData } from '../../src/simulation/simulation-state.js';
import { playTurn } from '../../src/simulation/simulation.js';
import { CONTINENTS } from '../../src/simulation/types.js';
import { settleNumberFields, type World } from '../../src/simulation/world.js';

// V8's own test for an object's shape (its hidden class, "map"): two objects have the same one
// when every field has the same name, order and representation.
setFlagsFromString('--allow-natives-syntax');
// Compiled at run time, after the flag: V8's natives syntax is no TypeScript.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** `crisis` with every kind of shock early, so a short run goes through them all. */
function shockedCrisis(): Scenario {
  const crisis = JSON.parse(readFileSync('scenarios/crisis.json', 'utf8')) as { timeline: unknown[] };
  crisis.timeline = [
    { at: 5, shock: 'demand_surge', turns: 20, severity: 0.3 },
    { at: 10, shock: 'supply_disruption', turns: 30, severity: 0.9 },
    { at: 15, shock: 'inflation_shock', percent: 100, turns: 40 },
    { at: 20, shock: 'credit_freeze', turns: 30, severity: 1 },
    { at: 30, shock: 'product_recall', turns: 10 },
  ];
  return loadScenario(crisis);
}

function play(world: World, scenario: Scenario, turns: number): void {
  const rng = createRng(7);
  const buyers = new Int32Array(world.companies.length);
  for (let i = 0; i < turns; i++) playTurn(world, scenario, rng, buyers);
}

describe('the shape of a world', () => {
  it('does not change over a run: money, demand and shocks reach fractions without new shapes', () => {
    const scenario = shockedCrisis();
    const played = generateWorld(scenario, createRng(7));
    const fresh = generateWorld(scenario, createRng(8));
    play(played, scenario, 300);
    expect(Number.isInteger(played.demandIndex)).toBe(false);
    expect(haveSameMap(played, fresh)).toBe(true);
    expect(haveSameMap(played.totals, fresh.totals)).toBe(true);
    expect(haveSameMap(played.effects, fresh.effects)).toBe(true);
  });

  it('does not change over a run of a world restored from its data', () => {
    const scenario = shockedCrisis();
    const original = generateWorld(scenario, createRng(7));
    play(original, scenario, 3);
    const data = structuredClone(worldData(original));
    const played = worldFromData(structuredClone(data));
    const fresh = worldFromData(data);
    play(played, scenario, 300);
    expect(haveSameMap(played, fresh)).toBe(true);
    expect(haveSameMap(played.totals, fresh.totals)).toBe(true);
  });

  it('is settled without changing a value', () => {
    const world = generateWorld(shockedCrisis(), createRng(7));
    const numbers = (record: object) => Object.entries(record).filter(([, value]) => typeof value === 'number');
    const before = [numbers(world), numbers(world.totals), numbers(world.effects)];
    settleNumberFields(world);
    expect([numbers(world), numbers(world.totals), numbers(world.effects)]).toEqual(before);
    // 0 stays +0 (toEqual tells -0 from 0).
    expect(Object.is(world.totals.spentCents, 0)).toBe(true);
  });
});

describe('offers by continent', () => {
  it("lists each offer once, under its product and its supplier's continent, in offer order", () => {
    const world = generateWorld(shockedCrisis(), createRng(7));
    const k = CONTINENTS.length;
    const seen: number[] = [];
    for (let p = 0; p < world.products.length; p++) {
      for (let c = 0; c < k; c++) {
        const local = Array.from(
          world.localOffers.subarray(world.localStart[p * k + c], world.localStart[p * k + c + 1]),
        );
        expect(local).toEqual([...local].sort((a, b) => a - b));
        for (const o of local) {
          expect(o).toBeGreaterThanOrEqual(world.productOfferStart[p]!);
          expect(o).toBeLessThan(world.productOfferStart[p + 1]!);
          expect(world.offerContinent[o]).toBe(c);
        }
        seen.push(...local);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: world.offerStock.length }, (_, o) => o));
  });

  it('is rebuilt, not saved, with a world restored from its data', () => {
    const world = generateWorld(shockedCrisis(), createRng(7));
    const data = worldData(world);
    expect('localOffers' in data || 'localStart' in data).toBe(false);
    const restored = worldFromData(structuredClone(data));
    expect(restored.localOffers).toEqual(world.localOffers);
    expect(restored.localStart).toEqual(world.localStart);
  });
});

describe('the suppliers of a world', () => {
  it('stock every product, whatever a supplier drew', () => {
    // A supplier stocking 1 or 2 of 40 products leaves most products to a last draw.
    const scenario = loadScenario({ products: { count: 40 }, suppliers: { count: 5, productsMin: 1, productsMax: 2 } });
    for (const seed of [1, 2, 3, 4, 5]) {
      const world = generateWorld(scenario, createRng(seed));
      expect(new Set(world.offerProduct).size).toBe(world.products.length);
      for (const supplier of world.suppliers)
        expect([...supplier.offers]).toEqual([...supplier.offers].sort((a, b) => a - b));
    }
  });
});
