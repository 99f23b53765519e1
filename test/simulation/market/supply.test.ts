import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/simulation/generate-world.js';
import { createRng } from '../../../src/simulation/index.js';
import { placeOrders, receiveOrders } from '../../../src/simulation/market/supply.js';
import { quietScenario } from '../fixtures.js';

/** One supplier with one offer, nobody buying: orders and arrivals alone. */
function oneOffer(suppliers: object, timeline: object[] = []) {
  const scenario = quietScenario({
    products: { count: 1 },
    suppliers: { count: 1, productsMin: 1, productsMax: 1, stockMin: 0, stockMax: 0, ...suppliers },
    timeline: timeline,
  });
  const world = generateWorld(scenario, createRng(1));
  return { scenario, world };
}

/** Plays the supply side of `turns` turns: arrivals, then an order. */
function play(
  world: ReturnType<typeof oneOffer>['world'],
  scenario: ReturnType<typeof oneOffer>['scenario'],
  turns: number,
) {
  const arrivals: number[] = [];
  for (let t = 0; t < turns; t++) {
    world.turn += 1;
    world.offerChanges.count = 0;
    arrivals.push(receiveOrders(world, scenario));
    placeOrders(world, scenario);
  }
  return arrivals;
}

describe('suppliers: orders with a lead time', () => {
  it('order up to their target, within capacity, and receive each order leadTurns later', () => {
    const { scenario, world } = oneOffer({ leadTurns: 3, coverTurns: 1, capacity: 10, salesSmoothing: 0 });
    world.salesEstimate[0] = 5; // target = 5 x (3 + 1) = 20 units
    const arrivals = play(world, scenario, 8);
    // Turn 1 orders 10 (capacity), turn 2 the other 10; nothing more is needed.
    expect(arrivals).toEqual([0, 0, 0, 10, 10, 0, 0, 0]);
    expect(world.offerStock[0]).toBe(20);
    expect(world.inTransit[0]).toBe(0);
    expect(world.totals.producedGoods).toBe(20);
  });

  it('a disruption holds back its share of a delivery until it ends, and orders less', () => {
    const { scenario, world } = oneOffer({ leadTurns: 1, coverTurns: 0, capacity: 10, salesSmoothing: 0 }, [
      { at: 1, shock: 'supply_disruption', turns: 3, severity: 0.5 },
    ]);
    world.salesEstimate[0] = 8; // target 8
    world.disruption.fill(0.5); // what applyTimeline sets at turn 1
    const arrivals = play(world, scenario, 2);
    // Turn 1 orders floor(10 x 0.5) = 5; turn 2 receives 5 - floor(5 x 0.5) = 3, 2 wait.
    expect(arrivals).toEqual([0, 3]);
    expect(world.inTransit[0]).toBe(2 + 3); // held back, plus turn 2's order of 8 - 3 - 2
    world.disruption.fill(0);
    play(world, scenario, 1);
    expect(world.offerStock[0]).toBe(8);
  });

  it('with pauseWhileWithdrawn, neither learn from nor order for a withdrawn product, and take up where they left off', () => {
    const settings = { leadTurns: 1, coverTurns: 1, capacity: 100, salesSmoothing: 0.5 };
    const { scenario, world } = oneOffer({ ...settings, pauseWhileWithdrawn: true });
    world.salesEstimate[0] = 6;
    world.offerLongRun[0] = 6;
    world.active[0] = 0;
    play(world, scenario, 5);
    // Five turns without sales: the estimates stay where they were and nothing is produced.
    expect(world.salesEstimate[0]).toBe(6);
    expect(world.offerLongRun[0]).toBe(6);
    expect(world.totals.producedGoods).toBe(0);
    world.active[0] = 1;
    play(world, scenario, 1);
    // Back on sale: a turn without sales halves the estimate (smoothing 0.5) and it orders toward 3 x (1 + 1).
    expect(world.salesEstimate[0]).toBe(3);
    expect(world.inTransit[0]).toBe(6);
    // Without it, five turns off sale halve the estimate five times.
    const learning = oneOffer(settings);
    learning.world.salesEstimate[0] = 6;
    learning.world.active[0] = 0;
    play(learning.world, learning.scenario, 5);
    expect(learning.world.salesEstimate[0]).toBe(6 / 32);
  });

  it("order only what their supplier's outage leaves of their capacity, and in full once it is over", () => {
    const { scenario, world } = oneOffer({ leadTurns: 1, coverTurns: 0, capacity: 10, salesSmoothing: 0 });
    world.salesEstimate[0] = 8; // target 8 units a turn, within capacity
    world.outage[0] = 0.75; // what applySupplierOutage sets with keep 0.25
    play(world, scenario, 1);
    expect(world.inTransit[0]).toBe(2); // floor(10 x 0.25)
    world.outage[0] = 1; // keep 0: production stopped; what is in transit still arrives
    expect(play(world, scenario, 1)).toEqual([2]);
    expect(world.inTransit[0]).toBe(0);
    world.outage[0] = 0;
    play(world, scenario, 1);
    expect(world.inTransit[0]).toBe(6); // the target 8 less the 2 in stock
  });

  it('with capacityBurstTurns, save the capacity they leave unused, up to that many turns of it, and spend it at once', () => {
    const settings = { leadTurns: 1, coverTurns: 0, capacity: 10, capacityMultiple: 0, salesSmoothing: 0 };
    const { scenario, world } = oneOffer({ ...settings, capacityBurstTurns: 3 });
    world.salesEstimate[0] = 4; // target 4: 4 ordered of the 10 a turn allows, 6 saved
    play(world, scenario, 1);
    expect(world.capacityCredit[0]).toBe(6);
    play(world, scenario, 1); // the 4 arrive: nothing to order, 16 saved
    expect(world.capacityCredit[0]).toBe(16);
    world.salesEstimate[0] = 100; // a rush: the saved 16 and the turn's 10, then 10 a turn
    play(world, scenario, 1);
    expect(world.inTransit[0]).toBe(26);
    play(world, scenario, 1);
    expect(world.inTransit[0]).toBe(10);
    // Savings stop at 3 turns of capacity, however long the lull, and that is the most one turn orders.
    world.salesEstimate[0] = 0;
    play(world, scenario, 10);
    expect(world.capacityCredit[0]).toBe(30);
    world.salesEstimate[0] = 100;
    play(world, scenario, 1);
    expect(world.inTransit[0]).toBe(30);
    play(world, scenario, 1);
    expect(world.inTransit[0]).toBe(10);
    // Without it a turn's capacity is all a turn can order, and nothing is saved.
    const plain = oneOffer(settings);
    plain.world.salesEstimate[0] = 100;
    play(plain.world, plain.scenario, 1);
    expect(plain.world.inTransit[0]).toBe(10);
    expect(plain.world.capacityCredit[0]).toBe(0);
  });

  it.each([
    ['an outage', 'outage', 0.75, 2],
    ['a supply disruption', 'disruption', 0.5, 5],
  ] as const)(
    'with capacityBurstTurns, spend no savings while %s cuts their capacity, and save what the cut leaves unused',
    (_, cut, share, most) => {
      const settings = { leadTurns: 1, coverTurns: 0, capacity: 10, capacityMultiple: 0, salesSmoothing: 0 };
      const { scenario, world } = oneOffer({ ...settings, capacityBurstTurns: 3 });
      world.salesEstimate[0] = 0;
      play(world, scenario, 1);
      expect(world.capacityCredit[0]).toBe(10);
      world[cut].fill(share);
      // Nothing wanted: the savings grow by the turn's cut capacity, floor(10 x (1 - share)), not by 10.
      play(world, scenario, 1);
      expect(world.capacityCredit[0]).toBe(10 + most);
      // A rush: only the turn's cut capacity is ordered (a plant that is down works no overtime),
      // and the savings stay as they were: the order spends the cut capacity they took in.
      world.salesEstimate[0] = 100;
      play(world, scenario, 1);
      expect(world.inTransit[0]).toBe(most);
      expect(world.capacityCredit[0]).toBe(10 + most);
      world[cut].fill(0);
      play(world, scenario, 1);
      // Back in full: the cut turn's order has arrived, and the savings plus the turn's 10 are spent.
      expect(world.inTransit[0]).toBe(10 + most + 10);
      expect(world.capacityCredit[0]).toBe(0);
    },
  );

  it("close only part of the stock and supply-line gaps a turn (Sterman's anchoring and adjustment)", () => {
    const { scenario, world } = oneOffer({
      leadTurns: 3,
      coverTurns: 1,
      capacity: 30,
      salesSmoothing: 0,
      stockAdjustment: 0.5,
      supplyLineAdjustment: 0.25,
    });
    world.salesEstimate[0] = 4;
    play(world, scenario, 2);
    // Turn 1: 4 + 0.5 x (4 x 0 - 0) + 0.25 x (4 x 3 - 0) = 7; turn 2: 4 + 0 + 0.25 x (12 - 7) = 5.25, so 6.
    expect(world.inTransit[0]).toBe(7 + 6);
    // Where the order-up-to rule would have ordered 4 x (3 + 1) = 16 at once.
    const full = oneOffer({ leadTurns: 3, coverTurns: 1, capacity: 30, salesSmoothing: 0 });
    full.world.salesEstimate[0] = 4;
    play(full.world, full.scenario, 1);
    expect(full.world.inTransit[0]).toBe(16);
  });

  it('never orders a negative amount when stock is above the target', () => {
    const { scenario, world } = oneOffer({
      leadTurns: 2,
      coverTurns: 2,
      salesSmoothing: 0,
      stockAdjustment: 0.5,
      supplyLineAdjustment: 0.5,
    });
    world.salesEstimate[0] = 1;
    world.offerStock[0] = 50;
    play(world, scenario, 3);
    expect(world.inTransit[0]).toBe(0);
    expect(world.totals.producedGoods).toBe(0);
  });
});

describe('a world that opens near its steady state (suppliers.initialCover)', () => {
  it('gives each offer initialCover turns of its expected sales in stock and a full supply line, counted in the goods', () => {
    const scenario = quietScenario({ suppliers: { initialCover: 10, leadTurns: 4 } });
    const world = generateWorld(scenario, createRng(3));
    const offers = world.offerStock.length;
    for (let o = 0; o < offers; o++) {
      const expected = world.salesEstimate[o]!;
      expect(world.offerStock[o]).toBe(Math.ceil(10 * expected));
      expect(world.inTransit[o]).toBe(4 * Math.ceil(expected));
      // One turn's sales due in each of the next leadTurns turns.
      for (let slot = 0; slot < 4; slot++) expect(world.pipeline[slot * offers + o]).toBe(Math.ceil(expected));
    }
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
    expect(world.inTransitTotal).toBe(sum(world.inTransit));
    expect(world.totals.initialGoods).toBe(sum(world.offerStock) + sum(world.inventory) + world.inTransitTotal);
    // The supply line arrives from turn 1 on, before any order could.
    world.turn = 1;
    expect(receiveOrders(world, scenario)).toBe(
      sum(Array.from({ length: offers }, (_, o) => Math.ceil(world.salesEstimate[o]!))),
    );
  });

  it('leaves the drawn stock and an empty supply line without it', () => {
    const world = generateWorld(quietScenario({ suppliers: { stockMin: 7, stockMax: 7 } }), createRng(3));
    expect(new Set(world.offerStock)).toEqual(new Set([7]));
    expect(world.inTransitTotal).toBe(0);
  });
});
