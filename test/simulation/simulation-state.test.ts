import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { loadRunConfig } from '../../src/services/index.js';
import { createRng, createSimulation, restoreSimulation } from '../../src/simulation/index.js';

const crisis = loadRunConfig(readFileSync('scenarios/crisis.json', 'utf8')).scenario;
const preset = loadRunConfig(readFileSync('scenarios/default.json', 'utf8')).scenario;
const reports = (sim: ReturnType<typeof createSimulation>, turns: number) =>
  Array.from({ length: turns }, () => JSON.stringify(sim.step()));

describe('simulation state', () => {
  it('restored, goes on as the simulation it was taken from', () => {
    const straight = createSimulation(crisis, 7);
    reports(straight, 500);
    const cut = createSimulation(crisis, 7);
    reports(cut, 300);
    const saved = deserialize(serialize(cut.state())) as ReturnType<typeof cut.state>;
    reports(cut, 200);
    const restored = restoreSimulation(crisis, 7, saved);
    expect(restored.turn).toBe(300);
    const again = createSimulation(crisis, 7);
    reports(again, 300);
    expect(reports(restored, 200)).toEqual(reports(again, 200));
  });

  it('restores a world with an offer for each product no supplier drew, past suppliers x productsMax', () => {
    const few = loadRunConfig(
      JSON.stringify({ products: { count: 20 }, suppliers: { count: 5, productsMin: 2, productsMax: 2 } }),
    ).scenario;
    const cut = createSimulation(few, 1);
    reports(cut, 10);
    expect(cut.world.offerStock.length).toBeGreaterThan(5 * 2);
    const saved = deserialize(serialize(cut.state())) as ReturnType<typeof cut.state>;
    const restored = restoreSimulation(few, 1, saved);
    expect(reports(restored, 20)).toEqual(reports(cut, 20));
  });

  it('forked with another stream, differs; the entering companies still get unique names', () => {
    const sim = createSimulation(crisis, 7);
    reports(sim, 300);
    const saved = deserialize(serialize(sim.state())) as ReturnType<typeof sim.state>;
    const fork = restoreSimulation(crisis, 99, saved, createRng(99));
    expect(fork.seed).toBe(99);
    expect(reports(fork, 50)).not.toEqual(reports(restoreSimulation(crisis, 7, deserialize(serialize(saved))), 50));
    reports(fork, 700);
    const names = fork.world.companies.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses a world saved by a TradeSim whose world had other fields', () => {
    const { inventory: _, ...older } = createSimulation(crisis, 7).state().world;
    expect(() => restoreSimulation(crisis, 7, { world: older as never, rng: [1, 2, 3, 4] })).toThrow(
      "the checkpoint's world lacks inventory (saved by another TradeSim version)",
    );
  });

  it('names a missing field that an added one is sized by, rather than failing on it', () => {
    const { disruption: _d, outage: _o, ...older } = createSimulation(crisis, 7).state().world;
    expect(() => restoreSimulation(crisis, 7, { world: older as never, rng: [1, 2, 3, 4] })).toThrow(
      "the checkpoint's world lacks disruption (saved by another TradeSim version)",
    );
  });

  it.each([
    ['the windfall estimates', ['householdNormalCents', 'householdRecentCents']],
    ['supplier outages', ['outage', 'outageEnds']],
    ['capacity saved over turns', ['capacityCredit']],
    ["the industry's cover reports", ['coverReports', 'coverNormal']],
  ])('plays a world saved before %s existed as the run that saved it', (_, added) => {
    const cut = createSimulation(crisis, 7);
    reports(cut, 300);
    const saved = deserialize(serialize(cut.state())) as ReturnType<typeof cut.state>;
    const older: Record<string, unknown> = { ...saved.world };
    for (const field of added) delete older[field];
    const restored = restoreSimulation(crisis, 7, { world: older as never, rng: saved.rng });
    expect(reports(restored, 100)).toEqual(reports(cut, 100));
  });

  it('gives a world saved before the industry report none: with the lean on it leans nowhere for reportDelayTurns turns, then does', () => {
    const { reportDelayTurns: delay } = preset.suppliers;
    expect(preset.suppliers.reportLean).toBeGreaterThan(0);
    const sim = createSimulation(preset, 3);
    reports(sim, 300);
    const { coverReports, coverNormal, ...older } = sim.state().world;
    expect(coverNormal).toBeGreaterThan(0);
    expect(coverReports.some((cover) => cover > 0)).toBe(true);
    const rng = sim.state().rng;
    const restored = restoreSimulation(preset, 3, { world: structuredClone(older) as never, rng });
    expect(restored.state().world.coverNormal).toBe(0);
    expect(restored.state().world.coverReports.every((cover) => cover === 0)).toBe(true);
    const off = { ...preset, suppliers: { ...preset.suppliers, reportLean: 0 } };
    const plain = restoreSimulation(off, 3, { world: structuredClone(older) as never, rng });
    // The same turns but for the cover the lean-on run records (the lean-off run records none).
    const played = (sim: typeof plain, turns: number) =>
      Array.from({ length: turns }, () => {
        const { market, ...rest } = sim.step();
        const { industryCover: _recorded, ...trade } = market;
        return JSON.stringify({ ...rest, market: trade });
      });
    expect(played(restored, delay)).toEqual(played(plain, delay));
    expect(played(restored, 100)).not.toEqual(played(plain, 100));
  });

  it('refuses a world whose cover reports are not a ring of COVER_REPORT_SLOTS covers of 0 or more', () => {
    const sim = createSimulation(preset, 3);
    reports(sim, 30);
    const { world, rng } = sim.state();
    const short = { ...world, coverReports: new Float64Array(3) };
    expect(() => restoreSimulation(preset, 3, { world: short, rng })).toThrow(
      'world.coverReports: length 3, expected 1001 (coverReports)',
    );
    const negative = { ...world, coverReports: Float64Array.from(world.coverReports, (c, i) => (i === 5 ? -1 : c)) };
    expect(() => restoreSimulation(preset, 3, { world: negative, rng })).toThrow(
      'world.coverReports[5]: a cover below 0 (-1)',
    );
    expect(() => restoreSimulation(preset, 3, { world: { ...world, coverNormal: -2 }, rng })).toThrow(
      'world.coverNormal: a cover below 0 (-2)',
    );
  });

  it('gives a world saved before capacity was saved an empty saving per offer, and refuses one that is not a count', () => {
    const sim = createSimulation(preset, 3);
    reports(sim, 50);
    const { capacityCredit: credit, ...older } = sim.state().world;
    expect(credit.some((units) => units > 0)).toBe(true);
    const restored = restoreSimulation(preset, 3, { world: older as never, rng: sim.state().rng });
    expect(Array.from(restored.state().world.capacityCredit)).toEqual(new Array(credit.length).fill(0));
    for (const bad of [2.5, -1, Number.NaN]) {
      const world = { ...sim.state().world, capacityCredit: Float64Array.from(credit, (u, i) => (i === 1 ? bad : u)) };
      expect(() => restoreSimulation(preset, 3, { world, rng: sim.state().rng })).toThrow(
        `world.capacityCredit[1]: not a count of units (${bad})`,
      );
    }
  });

  it('checks every entity record, the empty slots and the money before a turn is played on them', () => {
    const sim = createSimulation(crisis, 7);
    reports(sim, 1_000);
    const { world, rng } = sim.state();
    expect(world.vacant.length).toBeGreaterThan(0);
    // Restored as it is, it plays: the checks pass on a world the engine made.
    expect(() => restoreSimulation(crisis, 7, { world, rng })).not.toThrow();
    const edited = (edit: (w: Record<string, unknown>) => void) => {
      const copy = deserialize(serialize(world)) as Record<string, unknown>;
      edit(copy);
      return () => restoreSimulation(crisis, 7, { world: copy as never, rng });
    };
    const list = (w: Record<string, unknown>, field: string) => w[field] as Record<string, unknown>[];
    const cases: [(w: Record<string, unknown>) => void, string][] = [
      [(w) => (list(w, 'products')[0]!.typeIndex = 99), 'world.products[0]: type raw_material and typeIndex 99'],
      [(w) => ((w.products as unknown[])[0] = null), 'world.products[0]: expected an object'],
      [(w) => ((w.companies as unknown[])[3] = null), 'world.companies[3]: expected an object'],
      [(w) => ((w.suppliers as unknown[])[0] = {}), 'world.suppliers[0]: index undefined, expected 0'],
      [(w) => (list(w, 'suppliers')[1]!.offers = [1e9]), 'world.suppliers[1]: offers: not indices'],
      [(w) => (list(w, 'companies')[2]!.strategy = 'greedy'), 'world.companies[2]: strategy greedy'],
      [(w) => (list(w, 'companies')[2]!.preferredTypes = [7]), 'world.companies[2]: preferredTypes'],
      [(w) => ((w.budgetCents as Float64Array)[0] = 1e300), 'world.budgetCents[0]: 1e+300 cents, past 2^53'],
      [(w) => (w.vacant = [99_999]), 'world.vacant: 99999 is not an empty company slot'],
      [(w) => (w.vacant = [-1]), 'world.vacant: -1 is not an empty company slot'],
      [(w) => (w.vacant = [...(w.vacant as number[]), ...(w.vacant as number[])]), 'listed once'],
    ];
    for (const [edit, problem] of cases) expect(edited(edit), problem).toThrow(problem);
  });

  it('refuses a world that does not fit the scenario, naming each size', () => {
    const sim = createSimulation(crisis, 7);
    const bigger = { ...crisis, companies: { ...crisis.companies, count: 5 } };
    expect(() => restoreSimulation(bigger, 7, sim.state())).toThrow(
      'checkpoint does not fit the scenario: companies.count: the checkpoint has 500, the scenario 5',
    );
  });
});
